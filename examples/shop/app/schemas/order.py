"""What the API reads and returns for orders."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class OrderLineIn(BaseModel):
    product_id: int
    quantity: int = Field(ge=1, le=100)


class OrderCreate(BaseModel):
    lines: list[OrderLineIn] = Field(min_length=1)


class OrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    created_at: datetime
    lines: list[OrderLineRead]
