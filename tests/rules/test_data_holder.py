"""Routes that take a database wrapper or a server, and routers kept in a list."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from planner.inspect.model import read_project
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "label"\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)

_MODELS = (
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
    "class Base(DeclarativeBase):\n    pass\n\n\n"
    "class Tag(Base):\n"
    '    __tablename__ = "tags"\n'
    "    id: Mapped[int] = mapped_column(primary_key=True)\n\n\n"
    "class Note(Base):\n"
    '    __tablename__ = "notes"\n'
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
)

_WRAPPED = """\
from fastapi import APIRouter, Depends

from shop.db import Database, provide_database
from shop.store import {plural} as store

router = APIRouter(prefix="/{plural}")


@router.get("/")
async def list_{plural}(db: Database = Depends(provide_database)):
    async with db.session_context() as session:
        return await store.list_{plural}(session=session)


@router.post("/", status_code=201)
async def create_{singular}(db: Database = Depends(provide_database)):
    async with db.session_context(begin_transaction=True) as session:
        return await store.create_{singular}(session=session)


@router.get("/{{item_id}}")
async def read_{singular}(item_id: int, db: Database = Depends(provide_database)):
    async with db.session_context() as session:
        return await store.read_{singular}(session=session, item_id=item_id)
"""

_SERVED = """\
from fastapi import APIRouter, Depends

from shop.server import Server, get_server

router = APIRouter(prefix="/{plural}")


@router.get("/")
def list_{plural}(server: Server = Depends(get_server)):
    return server.{singular}_manager.list_{plural}()


@router.post("/", status_code=201)
def create_{singular}(server: Server = Depends(get_server)):
    return server.{singular}_manager.create_{singular}()


@router.get("/{{item_id}}")
def read_{singular}(item_id: int, server: Server = Depends(get_server)):
    return server.{singular}_manager.get_{singular}(item_id)
"""


def _shop(root: Path, router: str) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi"]\n',
        "shop/__init__.py": "",
        "shop/models.py": _MODELS,
        "shop/db.py": (
            "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
            "class Database:\n"
            "    def session_context(self, begin_transaction: bool = False):\n"
            "        ...\n\n\n"
            "def provide_database() -> Database:\n    return Database()\n\n\n"
            "async def get_db():\n    yield AsyncSession()\n"
        ),
        "shop/server.py": (
            "class Server:\n    pass\n\n\n"
            "def get_server() -> Server:\n    return Server()\n"
        ),
        "shop/api/__init__.py": "",
        "shop/main.py": (
            "from fastapi import FastAPI\n\n"
            "from shop.api.notes import router as notes_router\n"
            "from shop.api.tags import router as tags_router\n\n"
            "ROUTERS = [tags_router, notes_router]\n\n"
            "app = FastAPI()\n"
            "for router in ROUTERS:\n"
            '    app.include_router(router, prefix="/api")\n'
        ),
    }
    for singular, plural in (("tag", "tags"), ("note", "notes")):
        text = router.format(singular=singular, plural=plural)
        files[f"shop/api/{plural}.py"] = text
    write_tree(root, files)


def _plan(root: Path) -> Plan:
    spec = parse_spec(SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _guidance(plan: Plan, path: str) -> str:
    return " ".join(g for f in plan.files if f.path == path for g in f.guidance)


def _taken(plan: Plan) -> str:
    """The router guidance that says what the routes take for their data."""
    return next(
        g for f in plan.files for g in f.guidance if g.startswith(("Take", "Call"))
    )


def test_a_database_wrapper_is_no_session(tmp_path: Path) -> None:
    """Routes handed a `Database` open their session through it, as theirs do."""
    _shop(tmp_path, _WRAPPED)
    model = read_project(tmp_path, cache=False)
    assert model.convention("session_dependency").counts == ()
    assert model.convention("data_dependency").winner == (
        "db: Database = provide_database (shop.db)"
    )
    plan = _plan(tmp_path)
    router = _taken(plan)
    assert "Depends(provide_database)" in router
    assert "`db.session_context(...)`" in router
    assert "AsyncSession" not in router and "get_db" not in router
    service = " ".join(g for f in plan.files for g in f.guidance if "commit" in g)
    assert "never call `commit()`" in service
    assert "they call `commit()`" not in service


def test_a_server_reaches_data_through_the_resource_manager(tmp_path: Path) -> None:
    """`server.tag_manager` for tags gives `server.label_manager` for labels."""
    _shop(tmp_path, _SERVED)
    plan = _plan(tmp_path)
    router = _taken(plan)
    assert "Depends(get_server)" in router
    assert "`server.label_manager`" in router
    assert "`server.tag_manager`" in router
    assert "session:" not in router
    functions = _guidance(plan, "shop/api/labels.py")
    assert "Plain functions taking `session" not in functions


def test_a_router_joins_the_list_its_siblings_are_in(tmp_path: Path) -> None:
    """`ROUTERS = [tags_router, ...]` gets `labels_router`, no `include_router`."""
    _shop(tmp_path, _SERVED)
    plan = _plan(tmp_path)
    registration = _guidance(plan, "shop/main.py")
    assert "Add `labels_router` to `ROUTERS`" in registration
    assert "include_router" not in registration


def test_a_package_that_imports_router_modules_registers_none(
    tmp_path: Path,
) -> None:
    """An `__init__.py` importing the router modules lists modules, not routers."""
    _shop(tmp_path, _SERVED)
    write_tree(
        tmp_path,
        {
            "shop/api/__init__.py": "from . import notes, tags\n",
            "shop/main.py": (
                "from fastapi import FastAPI\n\n"
                "from shop import api\n\n"
                "API_ROUTERS = (api.tags.router, api.notes.router)\n\n"
                "app = FastAPI()\n"
                "for router in API_ROUTERS:\n"
                "    app.include_router(router)\n"
            ),
        },
    )
    roles = {r.path: r.role for r in read_project(tmp_path, cache=False).registries}
    assert roles.get("shop/api/__init__.py") == "registry"
    assert roles.get("shop/main.py") == "app"
    registration = _guidance(_plan(tmp_path), "shop/main.py")
    assert "Add `api.labels.router` to `API_ROUTERS`" in registration


def test_a_router_is_included_through_the_projects_own_function(
    tmp_path: Path,
) -> None:
    """`include_with_prefix(app, tags_router)` for each router: the new one too."""
    _shop(tmp_path, _SERVED)
    write_tree(
        tmp_path,
        {
            "shop/main.py": (
                "from fastapi import APIRouter, FastAPI\n\n"
                "from shop.api.notes import router as notes_router\n"
                "from shop.api.tags import router as tags_router\n\n\n"
                "def include_with_prefix(application: FastAPI, router: APIRouter):\n"
                '    application.include_router(router, prefix="/api")\n\n\n'
                "app = FastAPI()\n"
                "include_with_prefix(app, tags_router)\n"
                "include_with_prefix(app, notes_router)\n"
            ),
        },
    )
    registration = _guidance(_plan(tmp_path), "shop/main.py")
    assert "add `include_with_prefix(app, labels_router)`" in registration
    assert "include_router(...)" not in registration


_MANAGED = """\
from fastapi import APIRouter, Depends

from shop.managers import {title}Manager, get_{singular}_manager

router = APIRouter(prefix="/{plural}")


@router.get("/")
async def list_{plural}(manager: {title}Manager = Depends(get_{singular}_manager)):
    return await manager.list()


@router.post("/", status_code=201)
async def create_{singular}(
    manager: {title}Manager = Depends(get_{singular}_manager),
):
    return await manager.create()
"""


def test_a_data_access_class_per_resource_is_handed_to_its_routes(
    tmp_path: Path,
) -> None:
    """Each resource's routes take its own manager: the new routes take theirs."""
    _shop(tmp_path, _SERVED)
    files = {
        "shop/managers.py": "".join(
            f"class {t}Manager:\n    ...\n\n\n"
            f"def get_{s}_manager() -> {t}Manager:\n    return {t}Manager()\n\n\n"
            for t, s in (("Tag", "tag"), ("Note", "note"))
        )
    }
    for singular, plural in (("tag", "tags"), ("note", "notes")):
        files[f"shop/api/{plural}.py"] = _MANAGED.format(
            title=singular.title(), singular=singular, plural=plural
        )
    write_tree(tmp_path, files)
    taken = _taken(_plan(tmp_path))
    assert (
        "Take `manager: Annotated[LabelManager, Depends(get_label_manager)]`" in taken
    )
    assert "session" not in taken.split("(it hands")[0]
