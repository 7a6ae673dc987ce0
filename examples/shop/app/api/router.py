"""Every router of the API, under one prefix."""

from fastapi import APIRouter

from app.api.routes import orders, products

api_router = APIRouter()
api_router.include_router(products.router, prefix="/products", tags=["products"])
api_router.include_router(orders.router, prefix="/orders", tags=["orders"])
