"""Order rules: a customer sees and changes only their own orders."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.order import Order, OrderLine
from app.schemas.order import OrderCreate
from app.services.products import get_product


class UnknownProductError(Exception):
    """An order line names a product that does not exist."""


def list_orders(session: Session, owner_id: int) -> list[Order]:
    rows = session.scalars(
        select(Order).where(Order.owner_id == owner_id).order_by(Order.id.desc())
    ).all()
    return list(rows)


def get_order(session: Session, owner_id: int, order_id: int) -> Order | None:
    order = session.get(Order, order_id)
    if order is None or order.owner_id != owner_id:
        return None
    return order


def create_order(session: Session, owner_id: int, data: OrderCreate) -> Order:
    order = Order(owner_id=owner_id)
    for line in data.lines:
        if get_product(session, line.product_id) is None:
            raise UnknownProductError(line.product_id)
        order.lines.append(OrderLine(product_id=line.product_id, quantity=line.quantity))
    session.add(order)
    session.commit()
    session.refresh(order)
    return order


def cancel_order(session: Session, order: Order) -> Order:
    order.status = "cancelled"
    session.commit()
    session.refresh(order)
    return order
