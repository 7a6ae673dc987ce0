"""Details a plan takes from the project: path aliases, Alembic package paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.inspect.findings import describe
from planner.inspect.project import inspect_project
from tests.trees import write_tree

_POLICIES = """\
from uuid import UUID

from fastapi import APIRouter, Path

router = APIRouter(prefix="/policies")


@router.post("/", status_code=201)
async def create_policy(): ...


@router.get("/{id}")
async def read_policy(policy_id: UUID = Path(..., alias="id")): ...


@router.patch("/{id}", status_code=201)
async def update_policy(policy_id: UUID = Path(..., alias="id")): ...


@router.delete("/{id}")
async def delete_policy(policy_id: UUID = Path(..., alias="id")): ...
"""

_SPEC = """\
kind = "crud-resource"

[resource]
name = "rule"
operations = ["read", "create", "update", "delete"]

[[resource.fields]]
name = "title"
type = "str"
"""


def _project(root: Path) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.api import policies\n\n"
                "app = FastAPI()\napp.include_router(policies.router)\n"
            ),
            "app/api/__init__.py": "",
            "app/api/policies.py": _POLICIES,
        },
    )


def test_a_path_alias_gives_the_id_its_type(tmp_path: Path) -> None:
    # `policy_id: UUID = Path(alias="id")` types the route's `{id}`: the new
    # resource gets UUID ids, as the one it follows has.
    _project(tmp_path)
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert any("Ids are `uuid`" in a for a in plan.assumptions), plan.assumptions


def test_only_a_create_sets_a_location_header(tmp_path: Path) -> None:
    # The project answers its PATCH with 201, and the plan follows it; a
    # `Location` header still belongs to the create alone.
    _project(tmp_path)
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    by_function = {e.function: e for e in plan.endpoints}
    assert by_function["update_rule"].success_status == 201
    lines = [g for f in plan.files for g in f.guidance]
    update = next(g for g in lines if g.startswith("`update_rule`"))
    create = next(g for g in lines if g.startswith("`create_rule`"))
    assert "Location" not in update
    assert "Location" in create


def _alembic_project(root: Path, location: str) -> None:
    revision = (
        'revision = "{rev}"\ndown_revision = {down}\n\n\ndef upgrade() -> None: ...\n'
    )
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "src/svc/__init__.py": "",
            "src/svc/db/__init__.py": "",
            "src/svc/db/alembic.ini": f"[alembic]\nscript_location = {location}\n",
            "src/svc/db/migrations/env.py": "from svc.db import models\n",
            "src/svc/db/migrations/versions/pg/0001_a.py": revision.format(
                rev="aaaaaaaaaaaa", down="None"
            ),
            "src/svc/db/migrations/versions/pg/0002_b.py": revision.format(
                rev="bbbbbbbbbbbb", down='"aaaaaaaaaaaa"'
            ),
            "src/svc/db/migrations/versions/lite/0001_a.py": revision.format(
                rev="cccccccccccc", down="None"
            ),
        },
    )


def test_a_package_script_location_names_the_package_folder(tmp_path: Path) -> None:
    # `svc:db:migrations` is a folder inside the importable `svc` package,
    # which lives under `src/`, not beside the ini file.
    _alembic_project(tmp_path, "svc:db:migrations")
    facts = inspect_project(tmp_path)
    assert facts.alembic is not None
    assert facts.alembic.script_location == "src/svc/db/migrations"
    assert facts.alembic.env == "src/svc/db/migrations/env.py"


def test_histories_side_by_side_are_not_a_merge(tmp_path: Path) -> None:
    # One history per database dialect, each with its own head: nothing to
    # merge, so no advice to merge.
    _alembic_project(tmp_path, "svc:db:migrations")
    facts = inspect_project(tmp_path)
    assert facts.alembic is not None
    assert facts.alembic.heads == ("bbbbbbbbbbbb", "cccccccccccc")
    assert facts.alembic.trees == 2
    line = next(f for f in describe(facts) if f.startswith("Alembic"))
    assert "2 histories side by side" in line
    assert "merge" not in line


_EVENTS = """\
from fastapi import APIRouter

from app.defs.request.events_body import EventsBody

router = APIRouter(tags=["events"])


@router.get("/events")
def list_events(): ...


@router.post("/events")
def create_event(body: EventsBody): ...


@router.get("/events/{event_id}")
def read_event(event_id: int): ...


@router.delete("/events/{event_id}")
def delete_event(event_id: int): ...
"""


def test_a_mirrored_file_takes_its_folders_number(tmp_path: Path) -> None:
    # `events_body.py` is the only plural among the request bodies: the new
    # resource's body is named in the singular, as most of them are.
    body = "from pydantic import BaseModel\n\n\nclass {0}(BaseModel):\n    x: int\n"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "cams"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import events\n\n"
                "app = FastAPI()\napp.include_router(events.router)\n"
            ),
            "app/events.py": _EVENTS,
            "app/defs/__init__.py": "",
            "app/defs/request/__init__.py": "",
            "app/defs/request/events_body.py": body.format("EventsBody"),
            "app/defs/request/review_body.py": body.format("ReviewBody"),
            "app/defs/request/app_body.py": body.format("AppBody"),
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "camera_group"\n'
        'operations = ["list", "create", "read", "delete"]\n\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    paths = {f.path for f in plan.files}
    assert "app/defs/request/camera_group_body.py" in paths, paths
    assert "app/defs/request/camera_groups_body.py" not in paths


def test_models_of_an_orm_planner_does_not_read_are_followed(tmp_path: Path) -> None:
    # A peewee project: the new model goes beside the others, declared as they
    # are, with no SQLAlchemy code and no session dependency invented.
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "cams"\n',
            "app/__init__.py": "",
            "app/models.py": (
                "from peewee import CharField, Model\n\n\n"
                "class Event(Model):\n    label = CharField()\n"
            ),
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import events\n\n"
                "app = FastAPI()\napp.include_router(events.router)\n"
            ),
            "app/events.py": (
                "from fastapi import APIRouter\n\nfrom app.models import Event\n\n"
                "router = APIRouter()\n\n\n"
                '@router.get("/events")\ndef list_events():\n'
                "    return list(Event.select().dicts())\n\n\n"
                '@router.post("/events")\ndef create_event():\n'
                "    return Event.create(label='x')\n"
            ),
        },
    )
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    files = {f.path: " ".join(f.guidance) for f in plan.files}
    assert "declared as they are" in files["app/models.py"]
    text = " ".join(files.values())
    assert "Mapped[" not in text and "SessionDep" not in text, text
    assert "No table is mapped with SQLAlchemy or SQLModel" in text, text


def test_one_ini_with_two_configurations_reads_both_histories(tmp_path: Path) -> None:
    # `[main]` and `[workspace]` share the scripts and keep their revisions
    # in folders named inside the package: two heads, nothing to merge.
    revision = (
        'revision = "{rev}"\ndown_revision = None\n\n\ndef upgrade() -> None: ...\n'
    )
    sections = "".join(
        f"[{name}]\nscript_location = svc:alembic\n"
        f"version_locations = svc:alembic/{name}_versions\n\n"
        for name in ("main", "workspace")
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "backend/svc/__init__.py": "",
            "backend/svc/alembic.ini": sections,
            "backend/svc/alembic/env.py": "",
            "backend/svc/alembic/main_versions/a.py": revision.format(
                rev="aaaaaaaaaaaa"
            ),
            "backend/svc/alembic/workspace_versions/b.py": revision.format(
                rev="bbbbbbbbbbbb"
            ),
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.alembic is not None
    assert facts.alembic.script_location == "backend/svc/alembic"
    assert facts.alembic.heads == ("aaaaaaaaaaaa", "bbbbbbbbbbbb")
    assert facts.alembic.trees == 2


def test_an_engine_without_mapped_tables_is_no_orm(tmp_path: Path) -> None:
    # SQLAlchemy serves only as the engine: the project's crud module writes
    # SQL itself, so the plan follows it rather than advising `select(...)`.
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "wallet"\n',
            "app/__init__.py": "",
            "app/db.py": (
                "from sqlalchemy import create_engine, text\n\n"
                'engine = create_engine("sqlite://")\n'
            ),
            "app/migrations.py": (
                "async def m001_initial(db):\n"
                "    await db.execute('CREATE TABLE events (id TEXT)')\n"
            ),
            "app/crud.py": (
                "from app.db import engine, text\n\n\n"
                "def get_events():\n    with engine.connect() as c:\n"
                '        return c.execute(text("select * from events")).all()\n'
            ),
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import events\n\n"
                "app = FastAPI()\napp.include_router(events.router)\n"
            ),
            "app/events.py": (
                "from fastapi import APIRouter\n\nfrom app.crud import get_events\n\n"
                "router = APIRouter()\n\n\n"
                '@router.get("/events")\ndef list_events():\n    return get_events()\n'
            ),
        },
    )
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert "No table is mapped with SQLAlchemy or SQLModel" in text, text
    assert "select(" not in text and "Mapped[" not in text
    # No model class to add: no step says to add one; the migration module's
    # next function is a step of its own.
    steps = {s.title: s.detail for s in plan.steps}
    assert "Model" not in steps
    assert "`app/migrations.py`" in steps.get("Migration", ""), steps


def test_a_data_access_class_per_resource_gets_one_more(tmp_path: Path) -> None:
    # The exemplar's data access is a `TagService` class: the new resource
    # gets a `RuleService` written the same way, not module functions.
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.api import tags\n\n"
                "app = FastAPI()\napp.include_router(tags.router)\n"
            ),
            "app/api/__init__.py": "",
            "app/api/tags.py": (
                "from fastapi import APIRouter\n\n"
                "from app.services.tag_service import TagService\n\n"
                'router = APIRouter(prefix="/tags")\n\n\n'
                '@router.get("/")\nasync def list_tags():\n'
                "    return await TagService().list_tags()\n\n\n"
                '@router.post("/")\nasync def create_tag():\n'
                "    return await TagService().create_tag()\n"
            ),
            "app/services/__init__.py": "",
            "app/services/tag_service.py": (
                "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
                "class TagService:\n"
                "    def __init__(self, session: AsyncSession) -> None:\n"
                "        self.session = session\n\n"
                "    async def list_tags(self): ...\n"
            ),
            "app/models.py": (
                "from sqlalchemy.orm import DeclarativeBase, Mapped\n"
                "from sqlalchemy.orm import mapped_column\n\n\n"
                "class Base(DeclarativeBase): ...\n\n\n"
                "class Tag(Base):\n    __tablename__ = 'tags'\n"
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "rule"\n'
        'operations = ["list", "create"]\n\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert (
        "A `RuleService` class written as `TagService` in "
        "`app/services/tag_service.py`" in text
    ), text
    assert "Plain functions" not in text


def test_a_paginate_over_a_third_party_api_is_no_project_helper(
    tmp_path: Path,
) -> None:
    # A client module's `paginate` walks another service's pages; the one
    # that takes a query is the helper the project's endpoints page with.
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "app/connectors/github.py": (
                "import httpx\n\n\n"
                "def paginate(client: httpx.Client, url: str):\n"
                "    yield from client.get(url).json()\n"
            ),
            "app/paging.py": (
                "from sqlalchemy import Select\n\n\n"
                "def paginate(query: Select, limit: int, offset: int):\n"
                "    return query.limit(limit).offset(offset)\n"
            ),
        },
    )
    helpers = inspect_project(tmp_path).pagination.helpers
    assert [(h.name, h.file) for h in helpers] == [("paginate", "app/paging.py")]


def test_layer_folders_name_the_role_at_any_depth_outside_tooling() -> None:
    from planner.inspect.deps import role_modules

    found = role_modules(
        [
            "app/schema/group/webhook.py",
            "app/schema/mapper.py",
            "docs/scripts/generate_api_schema.py",
            "app/migrations/migrate_offline_schema.py",
        ]
    )
    assert found["schemas"] == ("app/schema/group/webhook.py", "app/schema/mapper.py")


@pytest.mark.parametrize(
    ("strategy", "is_async"),
    [("strategy=ASYNCIO_STRATEGY", True), ('strategy="asyncio"', True), ("", False)],
)
def test_an_engine_awaited_through_an_asyncio_strategy_is_async(
    tmp_path: Path, strategy: str, is_async: bool
) -> None:
    # sqlalchemy_aio: `create_engine(url, strategy=ASYNCIO_STRATEGY)` makes
    # every query awaited, though the call is `create_engine`.
    args = f'"sqlite://", {strategy}' if strategy else '"sqlite://"'
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "app/db.py": (
                "from sqlalchemy import create_engine\n"
                "from sqlalchemy_aio.strategy import ASYNCIO_STRATEGY\n\n"
                f"engine = create_engine({args})\n"
            ),
        },
    )
    assert inspect_project(tmp_path).session_async is is_async


def test_overloads_of_one_paginate_are_one_helper(tmp_path: Path) -> None:
    overload = "@overload\ndef paginate(query: Select, page: {t}) -> list: ...\n\n\n"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "app/paging.py": (
                "from typing import overload\n\nfrom sqlalchemy import Select\n\n\n"
                + overload.format(t="int")
                + overload.format(t="str")
                + "def paginate(query, page):\n    return query\n"
            ),
        },
    )
    helpers = inspect_project(tmp_path).pagination.helpers
    assert [(h.name, h.line) for h in helpers] == [("paginate", 7)]
