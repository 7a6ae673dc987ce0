"""/orders: a signed-in customer's own orders."""

from fastapi import APIRouter, HTTPException, status

from app.api.deps import CurrentUser, SessionDep
from app.schemas.order import OrderCreate, OrderRead
from app.services import orders as service

router = APIRouter()


@router.get("/", response_model=list[OrderRead])
def list_orders(session: SessionDep, customer: CurrentUser) -> list[OrderRead]:
    return [OrderRead.model_validate(o) for o in service.list_orders(session, customer.id)]


@router.get("/{order_id}", response_model=OrderRead)
def read_order(session: SessionDep, customer: CurrentUser, order_id: int) -> OrderRead:
    order = service.get_order(session, customer.id, order_id)
    if order is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
    return OrderRead.model_validate(order)


@router.post("/", response_model=OrderRead, status_code=status.HTTP_201_CREATED)
def create_order(
    session: SessionDep, customer: CurrentUser, data: OrderCreate
) -> OrderRead:
    try:
        order = service.create_order(session, customer.id, data)
    except service.UnknownProductError as err:
        raise HTTPException(
            status_code=422,
            detail=f"Unknown product {err.args[0]}",
        ) from err
    return OrderRead.model_validate(order)


@router.post("/{order_id}/cancel", response_model=OrderRead)
def cancel_order(session: SessionDep, customer: CurrentUser, order_id: int) -> OrderRead:
    order = service.get_order(session, customer.id, order_id)
    if order is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
    return OrderRead.model_validate(service.cancel_order(session, order))
