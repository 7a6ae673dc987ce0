"""Existing-resource targets: the router, the module the handler calls, its test."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model import (
    ProjectModel,
    existing_resource_targets,
    find_resource,
    read_project,
)
from planner.inspect.model.index import ProjectIndex
from planner.inspect.model.tables import table_classes
from tests.trees import write_tree

FIXTURES = Path(__file__).parent.parent / "fixtures" / "model"


@pytest.fixture(scope="module")
def ledger() -> ProjectModel:
    return read_project(FIXTURES / "ledger", cache=False)


def test_a_shared_views_module_serves_one_resource_per_route_group(
    ledger: ProjectModel,
) -> None:
    assert {(r.name, r.served_prefix) for r in ledger.resources} == {
        ("invoices", "/api/v1/invoices"),
        ("transfers", "/api/v1/transfers"),
    }


def test_routes_know_the_project_modules_their_handlers_call(
    ledger: ProjectModel,
) -> None:
    calls = {r.function: r.calls for r in ledger.routes}
    assert calls["list_transfers"] == ("ledger/crud.py", "ledger/helpers.py")
    assert calls["read_invoice"] == ("ledger/crud.py",)


@pytest.mark.parametrize("kind", ["pagination", "endpoint"])
def test_existing_targets_are_router_data_access_and_the_router_test(
    ledger: ProjectModel, kind: str
) -> None:
    found = find_resource(ledger, "GET /api/v1/transfers", "/api/v1/transfers")
    assert found is not None
    targets = existing_resource_targets(ledger, found, kind=kind)
    assert [(t.path, t.action, t.role) for t in targets.files] == [
        ("ledger/crud.py", "modify", "service"),
        # The shared schema module the views import: a page envelope or a
        # request body goes there.
        ("ledger/models.py", "modify", "schema"),
        ("ledger/views/api.py", "modify", "router"),
        ("tests/views/test_api.py", "modify", "test"),
    ]
    bare = existing_resource_targets(ledger, found, kind=kind, body=False)
    assert "ledger/models.py" not in {t.path for t in bare.files}


def test_a_named_route_narrows_the_calls_followed(ledger: ProjectModel) -> None:
    found = find_resource(ledger, "/api/v1/invoices")
    assert found is not None
    targets = existing_resource_targets(
        ledger,
        found,
        kind="endpoint",
        path="GET /api/v1/invoices/{invoice_id}",
        body=False,
    )
    assert {t.path for t in targets.files} == {
        "ledger/crud.py",
        "ledger/views/api.py",
        "tests/views/test_api.py",
    }


def test_columns_declared_by_annotation_alone_are_columns(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "shop" / "models.py").write_text(
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
        "class Base(DeclarativeBase): ...\n\n\n"
        "class Coupon(Base):\n"
        '    __tablename__ = "coupons"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    code: Mapped[str]\n"
        '    note: "Mapped[str | None]"\n'
        "    label: str\n",
        encoding="utf-8",
    )
    (table,), _ = table_classes(ProjectIndex(tmp_path, cache=False))
    assert table.columns == ("id", "code", "note")


def _board(root: Path, returns: str = "") -> None:
    """Projects and their tasks; the task list answers ``returns``."""
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "board"\n',
            "board/__init__.py": "",
            "board/models.py": (
                "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
                "\n\nclass Base(DeclarativeBase): ...\n\n\n"
                "class Project(Base):\n"
                '    __tablename__ = "projects"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n\n\n"
                "class Task(Base):\n"
                '    __tablename__ = "tasks"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
            "board/main.py": (
                "from fastapi import APIRouter, FastAPI\n\n"
                'router = APIRouter(prefix="/projects")\n\n\n'
                "@router.get('')\ndef list_projects(): ...\n\n\n"
                "@router.get('/{project_id}/tasks')\n"
                f"def tasks_of_project(project_id: int){returns}: ...\n\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
        },
    )


def test_a_nested_list_is_paged_over_its_own_table_by_its_own_handler(
    tmp_path: Path,
) -> None:
    _board(tmp_path)
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /projects/{project_id}/tasks"\n'
        'style = "cursor"\nsort = ["id"]\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = render_markdown(plan)
    assert "live in the `tasks` table" in text
    # The handler declares no response model: none is invented for it.
    assert "the route's current item schema" in text
    assert "TaskPublic" not in text and "ProjectPublic" not in text
    assert plan.endpoints[0].function == "tasks_of_project"
    # Ordered by the primary key: no index, so no migration step.
    assert [s.title for s in plan.steps][:1] == ["Schemas"]


@pytest.mark.parametrize(
    ("returns", "extra", "bare"),
    [
        (' -> list["Task"]', "", True),
        (" -> Sequence[Task]", "", True),
        ("", "", False),
        # The project's list stays bare, but a total asks for an envelope.
        (" -> list[Task]", "include_total = true\n", False),
        # The spec's choice stands.
        (" -> list[Task]", 'links = "envelope"\n', False),
        ("", 'links = "none"\n', True),
    ],
)
def test_a_list_answered_bare_stays_bare_unless_asked_otherwise(
    tmp_path: Path, returns: str, extra: str, bare: bool
) -> None:
    _board(tmp_path, returns)
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /projects/{project_id}/tasks"\n'
        f'style = "cursor"\nsort = ["id"]\n{extra}'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    (endpoint,) = plan.endpoints
    # The list's items are named as the handler declares them; a class
    # planner cannot read (a quoted name, no annotation) is never invented.
    read = "Task]" in returns
    answer = "list[Task]" if read else "the route's current response model"
    if bare:
        assert endpoint.response_schema == answer
        assert not plan.schemas
        assert any(
            q.startswith("after: the id of the last item") for q in endpoint.query
        )
        text = render_markdown(plan)
        assert f"keeps returning {'`list[Task]`' if read else answer}" in text
        # Kept as the project has it, the plan says so beside current practice.
        kept = "stays a bare list, as the project answers it today" in text
        assert kept is ("links" not in extra)
    else:
        assert endpoint.response_schema == "TasksPage"
        assert [s.name for s in plan.schemas] == ["TasksPage"]


@pytest.mark.parametrize(("links", "extra"), [("none", False), ("envelope", True)])
def test_only_a_list_that_tells_the_next_page_fetches_an_extra_row(
    tmp_path: Path, links: str, extra: bool
) -> None:
    # A bare list lets the client stop at a short page: no `+ 1` row to find
    # a next page it never announces.
    _board(tmp_path, " -> list[Task]")
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /projects/{project_id}/tasks"\n'
        f'style = "offset"\nlinks = "{links}"\n'
    ).spec
    text = render_markdown(make_plan(spec, request=prepare(spec, project=tmp_path)))
    assert ("LIMIT limit + 1" in text) is extra
    assert ("the extra row tells whether a next page exists" in text) is extra
