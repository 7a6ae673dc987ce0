"""/products: anyone may read; signed-in customers manage the catalogue."""

from fastapi import APIRouter, HTTPException, Query, status

from app.api.deps import CurrentUser, SessionDep
from app.schemas.product import ProductCreate, ProductPage, ProductRead, ProductUpdate
from app.services import products as service

router = APIRouter()


@router.get("/", response_model=ProductPage)
def list_products(
    session: SessionDep,
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=100),
) -> ProductPage:
    rows, total = service.list_products(session, offset=offset, limit=limit)
    items = [ProductRead.model_validate(row) for row in rows]
    return ProductPage(items=items, total=total, offset=offset, limit=limit)


@router.get("/{product_id}", response_model=ProductRead)
def read_product(session: SessionDep, product_id: int) -> ProductRead:
    product = service.get_product(session, product_id)
    if product is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Product not found")
    return ProductRead.model_validate(product)


@router.post("/", response_model=ProductRead, status_code=status.HTTP_201_CREATED)
def create_product(
    session: SessionDep, customer: CurrentUser, data: ProductCreate
) -> ProductRead:
    return ProductRead.model_validate(service.create_product(session, data))


@router.patch("/{product_id}", response_model=ProductRead)
def update_product(
    session: SessionDep, customer: CurrentUser, product_id: int, data: ProductUpdate
) -> ProductRead:
    product = service.get_product(session, product_id)
    if product is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Product not found")
    return ProductRead.model_validate(service.update_product(session, product, data))


@router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_product(session: SessionDep, customer: CurrentUser, product_id: int) -> None:
    product = service.get_product(session, product_id)
    if product is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Product not found")
    service.delete_product(session, product)
