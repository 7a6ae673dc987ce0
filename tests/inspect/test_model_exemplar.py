"""Choosing the resource a new one is modelled on, in a project of route areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model import (
    ProjectModel,
    new_endpoint_targets,
    new_resource_targets,
    read_project,
)
from planner.inspect.model.analogy import pick_exemplar
from planner.inspect.model.roles import role_of
from tests.trees import write_tree

ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})

_AREA = """\
from fastapi import APIRouter, Depends
from app.api.defs.request.{name}_body import {cls}Body
from app.api.defs.query.{name}_query import {cls}Query

router = APIRouter(tags=["{name}"])


@router.get("/{name}")
def list_{name}s(params: {cls}Query = Depends()): ...


@router.post("/{name}")
def create_{name}(body: {cls}Body): ...


@router.get("/{name}/{{{name}_id}}")
def read_{name}({name}_id: int): ...


@router.patch("/{name}/{{{name}_id}}")
def update_{name}({name}_id: int, body: {cls}Body): ...


@router.delete("/{name}/{{{name}_id}}")
def delete_{name}({name}_id: int): ...
"""

_PLUGIN = """\
from fastapi import APIRouter

{name}_ext = APIRouter()


@{name}_ext.get("/api/v1/{name}s")
def list_{name}s(): ...


@{name}_ext.post("/api/v1/{name}s")
def create_{name}(): ...


@{name}_ext.get("/api/v1/{name}s/{{{name}_id}}")
def read_{name}({name}_id: int): ...


@{name}_ext.delete("/api/v1/{name}s/{{{name}_id}}")
def delete_{name}({name}_id: int): ...
"""

_MISC = """\
from fastapi import APIRouter
from app.config.config import load
from app.config.logger import LoggerConfig

router = APIRouter()


@router.get("/config")
def config(): return load()


@router.put("/config/set")
def set_config(): ...


@router.get("/config/raw")
def raw_config(): ...
""" + "".join(
    f'\n\n@router.get("/{seg}")\ndef {seg}(): ...\n'
    for seg in ("stats", "logs", "version", "labels", "metrics", "restart")
)


@pytest.fixture(scope="module")
def areas(tmp_path_factory: pytest.TempPathFactory) -> ProjectModel:
    """Route areas without router prefixes, one module of misc routes, plugins."""
    root = tmp_path_factory.mktemp("areas")
    files = {
        "pyproject.toml": '[project]\nname = "areas"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\n"
            "from app.api import misc, review, event\n\n"
            "app = FastAPI()\n"
            "app.include_router(misc.router)\n"
            "app.include_router(review.router)\n"
            "app.include_router(event.router)\n"
        ),
        "app/api/__init__.py": "",
        "app/api/misc.py": _MISC,
        "app/config/__init__.py": "",
        "app/config/config.py": "def load(): ...\n",
        "app/config/logger.py": "class LoggerConfig: ...\n",
        "app/plugins/__init__.py": "",
    }
    for name in ("review", "event"):
        cls = name.title()
        files[f"app/api/{name}.py"] = _AREA.format(name=name, cls=cls)
        for role in ("request", "query"):
            stem = "body" if role == "request" else "query"
            files[f"app/api/defs/{role}/{name}_{stem}.py"] = (
                f"from pydantic import BaseModel\n\n\nclass {cls}{stem.title()}"
                "(BaseModel):\n    name: str\n"
            )
    for name in ("widget", "gadget", "gizmo", "doohickey"):
        files[f"app/plugins/{name}s/__init__.py"] = ""
        files[f"app/plugins/{name}s/views_api.py"] = _PLUGIN.format(name=name)
    write_tree(root, files)
    return read_project(root, cache=False)


def test_a_router_without_prefix_is_based_at_the_segment_naming_it(
    areas: ProjectModel,
) -> None:
    bases = {r.name: r.served_prefix for r in areas.resources}
    assert bases["reviews"] == "/review"
    assert bases["events"] == "/event"


def test_a_router_without_prefix_is_based_below_its_grouping_segment(
    tmp_path: Path,
) -> None:
    """`/system/tiers` in every decorator: the tiers are served there, with CRUD."""
    files = {
        "pyproject.toml": '[project]\nname = "groups"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\nfrom app.api import tier, report\n\n"
            'app = FastAPI()\napp.include_router(tier.router, prefix="/api")\n'
            'app.include_router(report.router, prefix="/api")\n'
        ),
        "app/api/__init__.py": "",
        "app/api/tier.py": _AREA.replace('"/{name}', '"/system/{name}s').format(
            name="tier", cls="Tier"
        ),
        "app/api/report.py": (
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            '@router.get("/system/reports/daily")\ndef daily(): ...\n'
        ),
    }
    write_tree(tmp_path, files)
    model = read_project(tmp_path, cache=False)
    tiers = next(r for r in model.resources if r.name == "tiers")
    assert tiers.served_prefix == "/api/system/tiers"
    assert pick_exemplar(model, ALL_OPS) == tiers


def test_plugins_the_app_does_not_reach_are_not_followed(areas: ProjectModel) -> None:
    served = {r.file for r in areas.routes if r.served}
    assert "app/api/review.py" in served
    assert not any(f.startswith("app/plugins/") for f in served)
    ex = pick_exemplar(areas, ALL_OPS)
    assert ex is not None and ex.router_file in {
        "app/api/event.py",
        "app/api/review.py",
    }


def test_a_new_resource_gets_the_exemplars_layers_only(areas: ProjectModel) -> None:
    t = new_resource_targets(
        areas,
        singular="case",
        plural="cases",
        operations=ALL_OPS,
        owned=False,
        paginated=False,
    )
    assert t.exemplar is not None
    paths = {f.path for f in t.files}
    assert {"app/api/case.py", "app/api/defs/request/case_body.py"} <= paths
    # A list without query parameters needs no query parameter class.
    assert "app/api/defs/query/case_query.py" not in paths
    # The misc module's settings package is no layer of a resource.
    assert not any(p.startswith("app/config/") for p in paths)
    assert {(e.method, e.path) for e in t.endpoints} >= {
        ("GET", "/case"),
        ("DELETE", "/case/{case_id}"),
    }


def test_a_paged_list_gets_the_exemplars_query_parameter_module(
    areas: ProjectModel,
) -> None:
    t = new_resource_targets(
        areas,
        singular="case",
        plural="cases",
        operations=ALL_OPS,
        owned=False,
        paginated=True,
    )
    paths = {f.path for f in t.files}
    assert "app/api/defs/query/case_query.py" in paths
    # Request bodies go where the exemplar's are, not in the query module.
    assert t.slot("schema_request") == "app/api/defs/request/case_body.py"


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("app/api/defs/query/event_query.py", "schema"),
        ("app/api/defs/request/event_body.py", "schema"),
        ("app/api/event.py", "router"),
        ("app/services/api/tasks.py", "router"),
        ("app/db/models/user.py", "model"),
        # A role word inside a resource's name is the resource's.
        ("app/models/admin_api_key.py", "model"),
        ("app/managers/admin_api_key.py", "service"),
        # At the end, alone, or at the start outside a role's folder, it is
        # the file's role.
        ("app/notes_router.py", "router"),
        ("app/schemas.py", "schema"),
        ("app/crud_user.py", "service"),
    ],
)
def test_the_nearest_folder_names_a_files_role(path: str, role: str) -> None:
    assert role_of(path) == role


_NOTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/notes")


@router.get("")
def list_notes(): ...


@router.post("", status_code=201)
def create_note(): ...


@router.get("/{note_id}")
def read_note(note_id: int): ...


@router.delete("/{note_id}", status_code=204)
def delete_note(note_id: int): ...
"""

_TABLES = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase): ...


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column()


class Label(Base):
    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column()
"""


@pytest.fixture(scope="module")
def tabled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose `labels` table exists before any route serves it."""
    root = tmp_path_factory.mktemp("tabled")
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "tabled"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routers import notes\n\n"
                "app = FastAPI()\napp.include_router(notes.router)\n"
            ),
            "app/models.py": _TABLES,
            "app/routers/__init__.py": "",
            "app/routers/notes.py": _NOTES,
            "alembic/env.py": "from app.models import Base\n",
            "alembic/versions/0001_notes.py": (
                'revision = "0001"\ndown_revision = None\n\n\ndef upgrade():\n'
                '    op.create_table("notes")\n'
            ),
        },
    )
    return root


def _label_spec(*fields: str) -> str:
    rows = "".join(
        f'\n[[resource.fields]]\nname = "{f}"\ntype = "str"\n' for f in fields
    )
    return (
        'kind = "crud-resource"\n\n[resource]\nname = "label"\n'
        'operations = ["list", "read", "create", "delete"]\n' + rows
    )


@pytest.mark.parametrize(
    ("fields", "model_changes"), [(("name",), False), (("name", "color"), True)]
)
def test_an_existing_table_is_not_created_again(
    tabled: Path, fields: tuple[str, ...], model_changes: bool
) -> None:
    spec = parse_spec(_label_spec(*fields)).spec
    plan = make_plan(spec, request=prepare(spec, project=tabled))
    files = {f.path: f.action for f in plan.files}
    assert "app/routers/labels.py" in files
    assert not any(p.startswith("alembic/versions/") for p in files)
    changed = [f for f in plan.files if "existing `Label` table" in f.purpose]
    assert [f.path for f in changed] == (["app/models.py"] if model_changes else [])
    text = render_markdown(plan)
    # The data model lists what the plan adds to the table, nothing else.
    action = "alter" if model_changes else "existing"
    assert f"(model `Label`, {action})" in text
    (table,) = plan.data_model.tables if plan.data_model else ()
    assert [c.name for c in table.columns] == (["color"] if model_changes else [])
    assert ("`color`" in text) is model_changes
    assert ("stay as the project declares them" in text) is not model_changes


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> ProjectModel:
    """Services reached through a container, and a domain package named like one."""
    root = tmp_path_factory.mktemp("services")
    common = (
        "from pydantic import BaseModel\n\n\nclass {c}DTO(BaseModel):\n    id: int\n"
    )
    router = (
        "from fastapi import APIRouter\n"
        "from app.services.{n}_records.{n}_records_common import {c}DTO\n\n"
        'router = APIRouter(prefix="/api/{n}s")\n\n\n'
        '@router.get("/")\ndef list_{n}s() -> list[{c}DTO]: ...\n\n\n'
        '@router.get("/{{{n}_id}}")\ndef read_{n}({n}_id: int) -> {c}DTO: ...\n\n\n'
        '@router.post("/")\ndef create_{n}() -> {c}DTO: ...\n\n\n'
        '@router.post("/{{{n}_id}}/refresh")\ndef refresh_{n}({n}_id: int): ...\n'
    )
    files = {
        "pyproject.toml": '[project]\nname = "services"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\nfrom app.routers import boards, lights\n\n"
            "app = FastAPI()\napp.include_router(boards.router)\n"
            "app.include_router(lights.router)\n"
        ),
        "app/routers/__init__.py": "",
        "app/services/__init__.py": "",
    }
    for n in ("board", "light"):
        c = n.title()
        files[f"app/routers/{n}s.py"] = router.format(n=n, c=c)
        pkg = f"app/services/{n}_records"
        files[f"{pkg}/__init__.py"] = ""
        files[f"{pkg}/{n}_records_common.py"] = common.format(c=c)
        files[f"{pkg}/{n}_records_base.py"] = f"class {c}RecordsBase: ...\n"
        files[f"{pkg}/{n}_records_sqlite.py"] = f"class Sqlite{c}Records: ...\n"
    files["app/routers/lights.py"] = files["app/routers/lights.py"].replace(
        "from app.services",
        "from app.light.physics import light_speed\nfrom app.services",
    )
    write_tree(root, files)
    return read_project(root, cache=False)


def test_a_service_package_named_for_the_resource_is_all_its_own(
    services: ProjectModel,
) -> None:
    boards = next(r for r in services.resources if r.name == "boards")
    own = {f.path for f in boards.files if f.own}
    assert {
        "app/services/board_records/board_records_base.py",
        "app/services/board_records/board_records_sqlite.py",
    } <= own
    t = new_resource_targets(
        services,
        singular="prompt",
        plural="prompts",
        operations=frozenset({"list", "read", "create"}),
        owned=False,
        paginated=False,
    )
    assert {
        "app/services/prompt_records/__init__.py",
        "app/services/prompt_records/prompt_records_base.py",
        "app/services/prompt_records/prompt_records_common.py",
        "app/services/prompt_records/prompt_records_sqlite.py",
    } <= {f.path for f in t.files}


def test_a_new_endpoint_module_takes_one_file_of_each_layer(
    services: ProjectModel,
) -> None:
    t = new_endpoint_targets(services, method="POST", path="/api/colors/mix")
    paths = {f.path for f in t.files}
    assert "app/routers/colors.py" in paths
    assert not any(p.startswith("app/color") for p in paths), paths
    layers = [
        p
        for p in paths
        if p.startswith("app/services/") and not p.endswith("__init__.py")
    ]
    assert len(layers) <= 1, layers


def test_a_list_the_project_serves_by_post_is_paged_as_it_is(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "rpc"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routers import runs\n\n"
                'app = FastAPI()\napp.include_router(runs.router, prefix="/api")\n'
            ),
            "app/routers/__init__.py": "",
            "app/routers/runs.py": (
                "from fastapi import APIRouter\n\n"
                'router = APIRouter(prefix="/runs")\n\n\n'
                '@router.post("/list")\ndef list_runs(): ...\n\n\n'
                '@router.post("/get")\ndef get_run(): ...\n'
            ),
        },
    )
    text = (
        'kind = "pagination"\ntarget = "GET /runs/list"\nstyle = "offset"\n'
        'sort = ["-submitted_at"]\n'
    )
    spec = parse_spec(text).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert [(e.method, e.path) for e in plan.endpoints] == [("POST", "/api/runs/list")]
    assert any("by `POST`, not `GET`" in a for a in plan.assumptions)
    assert plan.endpoints[0].request_schema == "RunListRequest"


def test_a_module_is_the_role_its_classes_say(tmp_path: Path) -> None:
    """`db/schemas.py` of tables is the data model; `models.py` of Pydantic, schemas."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "roles"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.notes.router import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "app/db/__init__.py": "",
            "app/db/schemas.py": (
                "from sqlmodel import SQLModel, Field\n\n\n"
                "class Note(SQLModel, table=True):\n"
                "    id: int = Field(primary_key=True)\n"
            ),
            "app/notes/__init__.py": "",
            "app/notes/models.py": (
                "from pydantic import BaseModel\n\n\nclass NoteRead(BaseModel):\n"
                "    id: int\n"
            ),
            "app/notes/router.py": (
                "from fastapi import APIRouter\nfrom app.db.schemas import Note\n"
                "from app.notes.models import NoteRead\n\n"
                'router = APIRouter(prefix="/notes")\n\n\n'
                '@router.get("")\ndef list_notes() -> list[NoteRead]: ...\n'
            ),
        },
    )
    model = read_project(tmp_path, cache=False)
    notes = next(r for r in model.resources if r.name == "notes")
    roles = {f.path: f.role for f in notes.files}
    assert roles["app/db/schemas.py"] == "model"
    assert roles["app/notes/models.py"] == "schema"


def test_a_project_without_an_orm_gets_no_invented_model_module(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "raw"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.api import boards\n\n"
                'app = FastAPI()\napp.include_router(boards.router, prefix="/api")\n'
            ),
            "app/api/__init__.py": "",
            "app/api/boards.py": (
                "from fastapi import APIRouter\n"
                "from app.services.boards_sqlite import list_boards as q\n\n"
                'router = APIRouter(prefix="/boards")\n\n\n'
                '@router.post("/filter")\ndef list_boards(): return q()\n\n\n'
                '@router.get("/{board_id}")\ndef read_board(board_id: str): ...\n'
            ),
            "app/services/__init__.py": "",
            "app/services/boards_sqlite.py": (
                "import sqlite3\n\n\ndef list_boards():\n"
                '    return sqlite3.connect("db").execute("select * from boards")\n'
            ),
        },
    )
    text = (
        'kind = "crud-resource"\n\n[resource]\nname = "prompt"\n'
        'operations = ["list", "read"]\n\n[[resource.fields]]\nname = "text"\n'
        'type = "str"\n'
    )
    spec = parse_spec(text).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    paths = {f.path for f in plan.files}
    assert not any("models" in p for p in paths), paths
    assert any("No ORM was found" in a for a in plan.assumptions)
    # Data access follows the project's own, not SQLAlchemy's.
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert "as the data access of `boards` does" in guidance, guidance
    assert "Session" not in guidance and "dependency_overrides" not in guidance
    assert "select(Prompt)" not in guidance, guidance
    # The exemplar lists by `POST /filter`: so does the new resource.
    assert ("POST", "/api/prompts/filter") in {
        (e.method, e.path) for e in plan.endpoints
    }


def test_a_new_endpoint_module_adds_no_table_and_no_lone_pattern(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "small"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\nfrom app.api import notes, tasks\n\n"
            'app = FastAPI()\napp.include_router(notes.router, prefix="/v1")\n'
            'app.include_router(tasks.router, prefix="/v1")\n'
        ),
        "app/api/__init__.py": "",
        "app/models/__init__.py": "from .note import Note\nfrom .task import Task\n",
        "app/schemas/__init__.py": "",
        # One module alone in a folder named for a resource: no pattern.
        "app/notes/__init__.py": "",
        "app/notes/services/cleanup.py": "def clean(): ...\n",
    }
    for n in ("note", "task"):
        c = n.title()
        files[f"app/api/{n}.py"] = (
            "from fastapi import APIRouter\n"
            f"from app.models.{n} import {c}\nfrom app.schemas.{n} import {c}In\n\n"
            f'router = APIRouter(prefix="/{n}")\n\n\n'
            f'@router.post("/add")\ndef add_{n}(body: {c}In): ...\n'
        )
        files[f"app/models/{n}.py"] = (
            "from sqlalchemy.orm import DeclarativeBase\n\n\n"
            f"class {c}(DeclarativeBase):\n"
            f'    __tablename__ = "{n}s"\n    id = 1\n'
        )
        files[f"app/schemas/{n}.py"] = (
            f"from pydantic import BaseModel\n\n\nclass {c}In(BaseModel):\n"
            "    text: str\n"
        )
    write_tree(tmp_path, files)
    text = (
        'kind = "endpoint"\nmethod = "POST"\npath = "/ml/chat"\n'
        'summary = "Chat with the model"\n\n[[request.fields]]\nname = "prompt"\n'
        'type = "text"\n'
    )
    spec = parse_spec(text).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    paths = {f.path for f in plan.files}
    assert "app/api/ml.py" in paths
    assert not any(p.startswith("app/models/") for p in paths), paths
    assert not any("cleanup" in p for p in paths), paths


_PLAIN = """\
from fastapi import APIRouter

from app.{helper}

router = APIRouter(prefix="/{name}s")


@router.get("")
def list_{name}s(): ...


@router.post("")
def create_{name}(): ...


@router.get("/{{item_id}}")
def read_{name}(item_id: int): ...
"""


def test_a_service_no_route_calls_is_no_layer_of_the_exemplar(tmp_path: Path) -> None:
    """``notify_service.py``, reached through ``alpha_tasks.py``, serves the tasks.

    It gives ``alphas`` no data layer the like-shaped ``betas`` lack.
    """
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "app"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\n\n"
                "from app.routes import alphas, betas\n\n"
                "app = FastAPI()\napp.include_router(alphas.router)\n"
                "app.include_router(betas.router)\n"
            ),
            "app/routes/__init__.py": "",
            "app/routes/alphas.py": _PLAIN.format(
                name="alpha", helper="tasks.alpha_tasks import run_alpha"
            ),
            "app/routes/betas.py": _PLAIN.format(
                name="beta", helper="helpers import nothing"
            ),
            "app/helpers.py": "nothing = None\n",
            "app/tasks/__init__.py": "",
            "app/tasks/alpha_tasks.py": (
                "from app.services.notify_service import notify_alpha_done\n\n\n"
                "def run_alpha():\n    notify_alpha_done()\n"
            ),
            "app/services/__init__.py": "",
            "app/services/notify_service.py": "def notify_alpha_done(): ...\n",
        },
    )
    model = read_project(tmp_path, cache=False)
    alphas = next(r for r in model.resources if r.name == "alphas")
    assert "app/services/notify_service.py" in {f.path for f in alphas.files}
    ex = pick_exemplar(model, frozenset({"list", "create", "read"}))
    assert ex is not None and ex.name == "betas"
