"""A new paged list takes the names and shape the project's other lists use."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.plan import Plan
from tests.trees import write_tree

_PAGES = """\
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
"""

_ROUTES = """\
from fastapi import APIRouter, Query

from app.pages import Page

router = APIRouter()


@router.get("/books", response_model=Page[dict])
def list_books(page: int = Query(1, ge=1), per_page: int = Query(25, ge=1)):
    ...


@router.get("/authors", response_model=Page[dict])
def list_authors(page: int = Query(1, ge=1), per_page: int = Query(25, ge=1)):
    ...


@router.get("/readers")
def list_readers() -> list[dict]:
    ...
"""

_BODY_ROUTES = """\
from fastapi import APIRouter, Body

from app.deps import LimitBody

router = APIRouter(prefix="/api")


@router.post("/gadgets/filter")
def read_gadgets(limit: int = LimitBody(), offset: int = Body(0, ge=0)) -> list[dict]:
    ...


@router.post("/widgets/filter")
def read_widgets(limit: int = LimitBody(), offset: int = Body(0, ge=0)) -> list[dict]:
    ...


@router.post("/parts/filter")
def read_parts() -> list[dict]:
    ...
"""


def _plan(root: Path, routes: str, spec: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "shelf"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routes import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "app/pages.py": _PAGES,
            "app/deps.py": "def LimitBody():\n    ...\n",
            "app/routes.py": routes,
        },
    )
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _guidance(plan: Plan) -> str:
    return " ".join(g for f in plan.files for g in f.guidance)


def _notes(plan: Plan) -> str:
    return " ".join(n.text for n in plan.notes)


def test_a_list_pages_with_the_projects_names_and_page_class(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        _ROUTES,
        'kind = "pagination"\ntarget = "GET /readers"\nstyle = "page"\n',
    )
    (endpoint,) = plan.endpoints
    assert endpoint.query == (
        "per_page: 1..100, default 25",
        "page: >= 1, default 1",
    )
    assert (endpoint.response_schema or "").startswith("Page[")
    assert "`per_page` is below 1 or above 100" in endpoint.errors[-1].when
    # The project's class is answered as it is: no new envelope to write.
    assert not any("ReadersPage" in g for g in _guidance(plan).split("`"))
    assert "OFFSET (page - 1) * per_page LIMIT per_page" in _guidance(plan)
    assert "carries no link to the next page" in _notes(plan)
    assert "with no maximum" in _notes(plan)
    tests = {t.name: t.checks for t in plan.tests}
    assert tests["test_list_empty"] == "200 with `items == []`; never 404"


def test_another_style_keeps_the_projects_size_name(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        _ROUTES,
        'kind = "pagination"\ntarget = "GET /readers"\nstyle = "cursor"\n',
    )
    (endpoint,) = plan.endpoints
    assert endpoint.query[0] == "per_page: 1..100, default 25"
    assert "by page (`per_page`, `page`)" in _notes(plan)
    assert not (endpoint.response_schema or "").startswith("Page[")


def test_a_size_declared_by_the_projects_helper_is_declared_with_it(
    tmp_path: Path,
) -> None:
    plan = _plan(
        tmp_path,
        _BODY_ROUTES,
        'kind = "pagination"\ntarget = "POST /api/parts/filter"\nstyle = "offset"\n',
    )
    guidance = _guidance(plan)
    assert "`limit: int = LimitBody()`" in guidance
    assert "Body(" in guidance
    (endpoint,) = plan.endpoints
    # The project's lists answer bare lists without a total: so does this one.
    assert endpoint.response_schema == "list[dict]"
    assert "above 100 now get 422" not in _notes(plan)
    assert "include_total" not in guidance
    assert "bounds `LimitBody()` sets" in endpoint.errors[-1].when


def test_without_paged_lists_the_specs_names_stay(tmp_path: Path) -> None:
    routes = _ROUTES.replace("page: int = Query(1, ge=1), ", "")
    plan = _plan(
        tmp_path,
        routes,
        'kind = "pagination"\ntarget = "GET /readers"\nstyle = "page"\n',
    )
    (endpoint,) = plan.endpoints
    assert endpoint.query[0] == "size: 1..100, default 50"


_BLOCKS = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/shelves/{shelf_id}")
def read_shelf(shelf_id: str) -> dict:
    ...


@router.get("/shelves/{shelf_id}/books")
def list_books(shelf_id: str) -> list[dict]:
    ...
"""


def test_a_list_keyed_by_its_id_alone_seeks_by_it(tmp_path: Path) -> None:
    # `after` is an id, typed as the routes type ids; a unique key has no
    # ties to test and needs no row value to seek past.
    plan = _plan(
        tmp_path,
        _BLOCKS,
        'kind = "pagination"\ntarget = "GET /shelves/{shelf_id}/books"\n'
        'style = "cursor"\nsort = ["-id"]\ninclude_total = false\n',
    )
    text = _guidance(plan)
    assert "`after: str | None = None`" in text
    assert "`WHERE id < :after`" in text
    assert "<id type>" not in text and "tuple_(id)" not in text
    assert "test_list_ties_on_sort_key" not in {t.name for t in plan.tests}


_DEPENDENCY_ROUTES = """\
from typing import Annotated

from fastapi import APIRouter, Depends

from app.pages import Page

router = APIRouter()


def get_paging(page: int = 1, per_page: int = 25) -> tuple[int, int]:
    return page, per_page


Paging = Annotated[tuple[int, int], Depends(get_paging)]


@router.get("/books", response_model=Page[dict])
def list_books(paging: Paging): ...


@router.get("/authors", response_model=Page[dict])
def list_authors(paging: Paging): ...


@router.get("/readers")
def list_readers() -> list[dict]: ...
"""


def test_a_list_takes_the_paging_dependency_the_others_take(tmp_path: Path) -> None:
    # `Paging` runs `get_paging`, which reads `page` and `per_page`: the new
    # list takes it too rather than declaring its own parameters.
    plan = _plan(
        tmp_path,
        _DEPENDENCY_ROUTES,
        'kind = "pagination"\ntarget = "GET /readers"\nstyle = "page"\n',
    )
    (endpoint,) = plan.endpoints
    assert (endpoint.response_schema or "").startswith("Page[")
    guidance = _guidance(plan)
    assert "take `paging: Paging` as the project's other lists do" in guidance
    assert "Query(" not in guidance


def test_the_projects_page_class_needs_no_new_schema(tmp_path: Path) -> None:
    routes = _ROUTES.replace(
        "from app.pages import Page\n",
        "from app.pages import Page\nfrom app import schemas\n",
    ).replace(
        "def list_readers() -> list[dict]:",
        "def list_readers() -> list[schemas.Reader]:",
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "schemas.py").write_text(
        "from pydantic import BaseModel\n\n\nclass Reader(BaseModel):\n    name: str\n"
    )
    plan = _plan(
        tmp_path,
        routes,
        'kind = "pagination"\ntarget = "GET /readers"\nstyle = "page"\n'
        "include_total = true\n",
    )
    (endpoint,) = plan.endpoints
    assert (endpoint.response_schema or "").startswith("Page[")
    assert "app/schemas.py" not in {f.path for f in plan.files}


def test_the_tests_step_writes_a_test_module_the_plan_creates(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        _ROUTES,
        'kind = "pagination"\ntarget = "GET /readers"\nstyle = "page"\n',
    )
    created = {f.path for f in plan.files if f.action == "create"}
    (step,) = [s.detail for s in plan.steps if s.title == "Tests"]
    test_file = step.split("`")[1]
    assert test_file in created
    assert step.startswith("Write ")
