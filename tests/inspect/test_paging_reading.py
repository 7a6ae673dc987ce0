"""Paging read however a project names and declares it."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import read_project
from tests.paging_project import ENVELOPES, MAIN
from tests.trees import write_tree

_SIZED_ROUTES = """\
from datetime import datetime

from fastapi import APIRouter

from app.envelopes import PaginatedListResponse
from app.paging import compute_offset
from app.service import service

router = APIRouter()


@router.get("/tiers", response_model=PaginatedListResponse[dict])
async def read_tiers(page: int = 1, items_per_page: int = 10) -> dict:
    return await service.tiers(page=page, items_per_page=items_per_page)


@router.get("/tags", response_model=PaginatedListResponse[dict])
async def read_tags(page: int = 1, n: int = 10, year: int = 2024) -> dict:
    return await service.tags(offset=compute_offset(page, n), limit=n, year=year)


@router.get("/messages")
async def read_messages(persona_id: int, start: datetime) -> dict:
    return await service.messages(persona_id=persona_id, start=start)
"""


def _votes(root: Path, files: dict[str, str]) -> dict[str, str | None]:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "shelf"\n',
            "app/__init__.py": "",
            "app/main.py": MAIN,
            **files,
        },
    )
    model = read_project(root, cache=False)
    return {v.name: v.winner for v in model.conventions if v.name.startswith("pag")}


def test_a_page_size_is_what_the_route_pages_with_whatever_its_name(
    tmp_path: Path,
) -> None:
    votes = _votes(
        tmp_path,
        {
            "app/envelopes.py": ENVELOPES,
            "app/paging.py": "def compute_offset(page, size):\n    ...\n",
            "app/service.py": "service = None\n",
            "app/routes.py": _SIZED_ROUTES,
        },
    )
    # `items_per_page` says what it is; `n` is what the offset is computed
    # with beside `page` (`year` goes to the same call, not into the offset).
    # A `start` that is a date pages nothing, and an id is never a size.
    assert votes["paging_style"] == "page"
    model = read_project(tmp_path, cache=False)
    assert dict(model.convention("paging_style").counts) == {"page": 2}
    assert votes["paging_page"] is None  # one route each: no name wins
    counts = dict(model.convention("paging_page").counts)
    assert counts == {"items_per_page+page": 1, "n+page": 1}
    assert votes["paging_size_default"] == "10"
    # The items' field comes from the page class's generic base.
    assert votes["paging_page_envelope"] == "PaginatedListResponse"
    assert votes["paging_page_envelope_fields"] == "data total_count has_more"


_PAGINATION = """\
from typing import Generic, Sequence, TypeVar

from fastapi import Depends, Query
from fastapi_pagination import pagination_ctx
from fastapi_pagination.bases import AbstractPage, AbstractParams
from pydantic import BaseModel

T = TypeVar("T")


class _PageParams(BaseModel, AbstractParams):
    page: int = Query(1, ge=1)
    size: int = Query(20, gt=0, le=200)


class _PageDetails(BaseModel):
    items: list
    total: int
    page: int
    size: int


class _Page(_PageDetails, AbstractPage[T], Generic[T]):
    __params_type__ = _PageParams


class PageData(_PageDetails, Generic[T]):
    items: Sequence[T]


DependsPagination = Depends(pagination_ctx(_Page))
"""

_WRAPPED_ROUTES = """\
from typing import Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel

from app.pagination import DependsPagination, PageData

T = TypeVar("T")
router = APIRouter()


class ResponseModel(BaseModel, Generic[T]):
    code: int
    data: T


@router.get(
    "/roles",
    dependencies=[
        DependsPagination,
    ],
)
async def get_roles(name: str | None = None) -> ResponseModel[PageData[dict]]:
    ...


@router.get("/depts", dependencies=[DependsPagination])
async def get_depts() -> ResponseModel[PageData[dict]]:
    ...
"""


def test_a_dependency_of_the_decorator_pages_the_route(tmp_path: Path) -> None:
    votes = _votes(
        tmp_path,
        {"app/pagination.py": _PAGINATION, "app/routes.py": _WRAPPED_ROUTES},
    )
    # The page class names the class its values come from; its default and
    # cap are the lists' own.
    assert votes["paging_style"] == "page"
    assert votes["paging_page"] == "size+page"
    assert votes["paging_dependency"] == "dependencies=[DependsPagination]"
    assert votes["paging_size_default"] == "20"
    assert votes["paging_size_max"] == "200"
    # The page class inside the wrapper every answer goes in.
    assert votes["paging_page_envelope"] == "PageData"
    assert votes["paging_page_envelope_fields"] == "items total page size"


_SERVICE = """\
class ItemService:
    async def list(self, limit: int = 10, offset: int = 0):
        ...


def get_service() -> ItemService:
    return ItemService()
"""

_SERVICE_ROUTES = """\
from fastapi import APIRouter, Depends

from app.service import ItemService, get_service

router = APIRouter()


@router.get("/items")
async def list_items(service: ItemService = Depends(get_service)):
    return await service.list()
"""


def test_a_service_whose_methods_page_is_no_paging_dependency(tmp_path: Path) -> None:
    _votes(tmp_path, {"app/service.py": _SERVICE, "app/routes.py": _SERVICE_ROUTES})
    model = read_project(tmp_path, cache=False)
    (route,) = model.routes
    # The class's methods take paging values; the dependency hands the route
    # a service, not the values.
    assert route.paging == ()


def test_a_size_below_a_bound_is_capped_one_under_it(tmp_path: Path) -> None:
    routes = (
        "from fastapi import APIRouter, Query\n\nrouter = APIRouter()\n\n\n"
        '@router.get("/items")\n'
        "def list_items(offset: int = 0, limit: int = Query(20, lt=101)):\n"
        "    ...\n"
    )
    votes = _votes(tmp_path, {"app/routes.py": routes})
    # `lt=101` admits 100, the largest size a request may ask for.
    assert votes["paging_size_max"] == "100"
