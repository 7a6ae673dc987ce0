"""Every model, imported so that Alembic's autogenerate sees them."""

from app.models.customer import Customer
from app.models.order import Order, OrderLine
from app.models.product import Product

__all__ = ["Customer", "Order", "OrderLine", "Product"]
