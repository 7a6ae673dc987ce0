"""A paged list pages as the project's own lists do, however they are written."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.plan import Plan
from tests.paging_project import ENVELOPES, MAIN
from tests.trees import write_tree

_SIZED_ROUTES = """\
from fastapi import APIRouter

from app.envelopes import PaginatedListResponse
from app.schemas import TaskRead, TierRead
from app.service import service

router = APIRouter()


@router.get("/tiers", response_model=PaginatedListResponse[TierRead])
async def read_tiers(page: int = 1, items_per_page: int = 10) -> dict:
    return await service.tiers(page=page, items_per_page=items_per_page)


@router.get("/tags", response_model=PaginatedListResponse[TierRead])
async def read_tags(page: int = 1, items_per_page: int = 10) -> dict:
    return await service.tags(page=page, items_per_page=items_per_page)


@router.get("/tasks/pending")
async def read_pending_tasks() -> list[TaskRead]:
    return await service.pending()
"""

_SCHEMAS = """\
from pydantic import BaseModel


class TierRead(BaseModel):
    name: str


class TaskRead(BaseModel):
    name: str


class Comment(BaseModel):
    body: str


class ListOfCommentsInResponse(BaseModel):
    comments: list[Comment]
"""


def _plan(root: Path, files: dict[str, str], spec: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "shelf"\n',
            "app/__init__.py": "",
            "app/main.py": MAIN,
            "app/schemas.py": _SCHEMAS,
            "app/service.py": "service = None\n",
            **files,
        },
    )
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _guidance(plan: Plan) -> str:
    return " ".join(g for f in plan.files for g in f.guidance)


def test_a_list_takes_the_projects_page_size_and_page_class(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        {"app/envelopes.py": ENVELOPES, "app/routes.py": _SIZED_ROUTES},
        'kind = "pagination"\ntarget = "GET /tasks/pending"\nstyle = "page"\n'
        "include_total = true\n",
    )
    (endpoint,) = plan.endpoints
    # `items_per_page`, not a `size` of planner's own, with the lists' default.
    assert endpoint.query[0] == "items_per_page: 1..100, default 10"
    # The project's class, its list field read from its base: no `TasksPage`.
    assert endpoint.response_schema == "PaginatedListResponse[TaskRead]"
    assert "TasksPage" not in _guidance(plan)
    assert "`items_per_page: Annotated[int, Query(ge=1, le=100)] = 10`" in (
        _guidance(plan)
    )
    (schema,) = plan.schemas
    assert [f.name for f in schema.fields][:2] == ["data", "total_count"]


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

_DECORATED_ROUTES = """\
from fastapi import APIRouter

from app.pagination import DependsPagination, PageData
from app.schemas import TierRead

router = APIRouter()


@router.get("/roles", dependencies=[DependsPagination])
async def get_roles() -> PageData[TierRead]:
    ...


@router.get("/depts", dependencies=[DependsPagination])
async def get_depts() -> PageData[TierRead]:
    ...


@router.get("/tasks/pending")
async def read_pending_tasks() -> list[TierRead]:
    ...
"""


def test_a_list_lists_the_paging_dependency_its_decorator_runs(
    tmp_path: Path,
) -> None:
    plan = _plan(
        tmp_path,
        {"app/pagination.py": _PAGINATION, "app/routes.py": _DECORATED_ROUTES},
        'kind = "pagination"\ntarget = "GET /tasks/pending"\nstyle = "page"\n',
    )
    (endpoint,) = plan.endpoints
    # The dependency's own default and cap, not planner's 50 and 100.
    assert endpoint.query[0] == "size: 1..200, default 20"
    assert endpoint.response_schema == "PageData[TierRead]"
    guidance = _guidance(plan)
    assert (
        "list `DependsPagination` in its decorator's `dependencies=[...]` as the "
        "project's other lists do"
    ) in guidance
    assert "Query(" not in guidance


_WRAPPED_ROUTES = """\
from fastapi import APIRouter

from app.schemas import ListOfCommentsInResponse

router = APIRouter()


@router.get("/articles/{slug}/comments", response_model=ListOfCommentsInResponse)
async def list_comments_for_article(slug: str) -> ListOfCommentsInResponse:
    ...
"""


def test_a_lists_own_envelope_is_the_page_not_its_items(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        {"app/routes.py": _WRAPPED_ROUTES},
        'kind = "pagination"\ntarget = "GET /articles/{slug}/comments"\n'
        'style = "offset"\ninclude_total = true\n',
    )
    (endpoint,) = plan.endpoints
    assert endpoint.response_schema == "ListOfCommentsInResponse"
    (schema,) = plan.schemas
    # Its list field keeps its name and holds the items it held.
    assert (schema.fields[0].name, schema.fields[0].type) == (
        "comments",
        "list[Comment]",
    )
    guidance = _guidance(plan)
    assert "CommentsPage" not in guidance
    assert "list[ListOfCommentsInResponse]" not in guidance
    assert "`ListOfCommentsInResponse`, the list's own envelope, keeps `comments`" in (
        guidance
    )


def test_a_paged_endpoint_answers_the_projects_page_class(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        {"app/envelopes.py": ENVELOPES, "app/routes.py": _SIZED_ROUTES},
        'kind = "endpoint"\nmethod = "GET"\npath = "/tiers/archived"\n'
        'summary = "List archived tiers"\n\n[paginated]\nstyle = "page"\n',
    )
    (endpoint,) = plan.endpoints
    # The contract names the class the schema section describes.
    assert (endpoint.response_schema or "").startswith("PaginatedListResponse[")
    assert "TiersPage" not in (endpoint.response_schema or "")


_HELPERS = """\
def compute_offset(page: int, items_per_page: int) -> int:
    return (page - 1) * items_per_page


def paginated_response(data: dict, page: int, items_per_page: int) -> dict:
    return {**data, "page": page, "items_per_page": items_per_page}
"""

_SERVICE = """\
from app.paging import compute_offset, paginated_response


class Service:
    async def tiers(self, page: int, items_per_page: int) -> dict:
        offset = compute_offset(page, items_per_page)
        return paginated_response({"data": [], "offset": offset}, page, items_per_page)

    async def tags(self, page: int, items_per_page: int) -> dict:
        offset = compute_offset(page, items_per_page)
        return paginated_response({"data": [], "offset": offset}, page, items_per_page)


service = Service()
"""


def test_a_list_pages_with_the_helpers_the_others_data_access_uses(
    tmp_path: Path,
) -> None:
    plan = _plan(
        tmp_path,
        {
            "app/envelopes.py": ENVELOPES,
            "app/routes.py": _SIZED_ROUTES,
            "app/paging.py": _HELPERS,
            "app/service.py": _SERVICE,
        },
        'kind = "pagination"\ntarget = "GET /tasks/pending"\nstyle = "page"\n',
    )
    (service,) = [f for f in plan.files if f.path == "app/service.py"]
    assert any(
        "`compute_offset`, `paginated_response` from `app/paging.py`" in g
        for g in service.guidance
    )
