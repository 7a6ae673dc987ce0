"""A small project's app and generic page envelopes, shared by the paging tests."""

MAIN = (
    "from fastapi import FastAPI\nfrom app.routes import router\n\n"
    "app = FastAPI()\napp.include_router(router)\n"
)

ENVELOPES = """\
from typing import Generic, List, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class ListResponse(BaseModel, Generic[T]):
    data: List[T]


class PaginatedListResponse(ListResponse[T]):
    total_count: int
    has_more: bool
"""
