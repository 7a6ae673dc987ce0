"""A new resource or route does its data work where the project's routes do theirs.

In the handler where they query with their session (through the tables' own
methods, too), in a controller module of its own where they call one, and
never in a module one route of many imports on the side.
"""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree


def _plan(root: Path, spec: str) -> Plan:
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _files(plan: Plan) -> dict[str, str]:
    return {f.path: " ".join(f.guidance) for f in plan.files}


# --- a CRUD resource beside routes that query inline --------------------------

_SPACES = """\
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import SearchSpace, get_async_session

router = APIRouter()


@router.get("/searchspaces")
async def read_search_spaces(session: AsyncSession = Depends(get_async_session)):
    return (await session.execute(select(SearchSpace))).scalars().all()


@router.post("/searchspaces")
async def create_search_space(
    name: str, session: AsyncSession = Depends(get_async_session)
):
    space = SearchSpace(name=name)
    session.add(space)
    await session.commit()
    return space


@router.get("/searchspaces/{search_space_id}")
async def read_search_space(
    search_space_id: int, session: AsyncSession = Depends(get_async_session)
):
    return await session.get(SearchSpace, search_space_id)


@router.put("/searchspaces/{search_space_id}")
async def update_search_space(
    search_space_id: int, name: str, session: AsyncSession = Depends(get_async_session)
):
    space = await session.get(SearchSpace, search_space_id)
    space.name = name
    await session.commit()
    return space


@router.delete("/searchspaces/{search_space_id}")
async def delete_search_space(
    search_space_id: int, session: AsyncSession = Depends(get_async_session)
):
    await session.delete(await session.get(SearchSpace, search_space_id))
    await session.commit()


@router.get("/searchspaces/{search_space_id}/snapshots")
async def list_search_space_snapshots(
    search_space_id: int, session: AsyncSession = Depends(get_async_session)
):
    from app.services.public_chat_service import list_snapshots_for_search_space

    return await list_snapshots_for_search_space(session, search_space_id)
"""

_SIBLING = """\
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_async_session
from app.services.{name}_service import list_{name}s

router = APIRouter()


@router.get("/{name}s")
async def read_{name}s(session: AsyncSession = Depends(get_async_session)):
    return await list_{name}s(session)
"""

_DB = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SearchSpace(Base):
    __tablename__ = "searchspaces"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


async def get_async_session():
    yield None
"""


def _spaces(root: Path) -> None:
    siblings = ("composio", "model_list", "public_chat")
    files = {
        "pyproject.toml": '[project]\nname = "space"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\n\nfrom app.routes import router\n\n"
            "app = FastAPI()\napp.include_router(router)\n"
        ),
        "app/db.py": _DB,
        "app/routes/__init__.py": (
            "from fastapi import APIRouter\n\n"
            "from .search_spaces_routes import router as spaces\n"
            + "".join(f"from .{n}_routes import router as {n}\n" for n in siblings)
            + "\nrouter = APIRouter()\nrouter.include_router(spaces)\n"
            + "".join(f"router.include_router({n})\n" for n in siblings)
        ),
        "app/routes/search_spaces_routes.py": _SPACES,
        "app/services/__init__.py": "",
    }
    for name in siblings:
        files[f"app/routes/{name}_routes.py"] = _SIBLING.format(name=name)
        files[f"app/services/{name}_service.py"] = (
            f"async def list_{name}s(session):\n    return []\n\n\n"
            "async def list_snapshots_for_search_space(session, search_space_id):\n"
            "    return []\n"
        )
    write_tree(root, files)


_NOTES = """\
kind = "crud-resource"
[resource]
name = "note"
operations = ["list", "read", "create", "update", "delete"]
[[resource.fields]]
name = "title"
type = "str"
"""


def test_a_resource_does_its_queries_where_the_routes_it_follows_do(
    tmp_path: Path,
) -> None:
    """Search spaces query with their session; one route imports a service inside.

    That side import makes no service layer of theirs to copy or join, and
    the sibling routers' own services are not how these routes work.
    """
    _spaces(tmp_path)
    plan = _plan(tmp_path, _NOTES)
    files = _files(plan)
    assert "app/services/public_chat_service.py" not in files
    assert not any(p.startswith("app/services/") for p in files), sorted(files)
    router = next(p for p in files if p.startswith("app/routes/note"))
    assert (
        "each handler does its own queries with the session it takes" in (files[router])
    )


# --- an endpoint beside handlers that call their tables' own methods ----------

_RECORD = """\
from sqlmodel import select


class ActiveRecordMixin:
    @classmethod
    async def one_by_id(cls, session, id: int):
        return await session.get(cls, id)

    @classmethod
    async def all_by_fields(cls, session, fields: dict):
        return (await session.exec(select(cls).filter_by(**fields))).all()

    async def delete(self, session):
        await session.delete(self)
"""

_FLEET_DB = """\
from typing import Annotated

from fastapi import Depends
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from fleet.mixins.active_record import ActiveRecordMixin


class Cluster(SQLModel, ActiveRecordMixin, table=True):
    __tablename__ = "clusters"
    id: int | None = Field(default=None, primary_key=True)
    name: str


class Worker(SQLModel, ActiveRecordMixin, table=True):
    __tablename__ = "workers"
    id: int | None = Field(default=None, primary_key=True)
    name: str


class Pool(SQLModel, ActiveRecordMixin, table=True):
    __tablename__ = "pools"
    id: int | None = Field(default=None, primary_key=True)
    name: str


async def get_session():
    yield AsyncSession()


SessionDep = Annotated[AsyncSession, Depends(get_session)]
"""

_SERVICES = """\
class ClusterService:
    def __init__(self, session):
        self.session = session

    async def delete(self, cluster) -> None:
        await cluster.delete(self.session)
"""

_TABLE_ROUTES = """\
from fastapi import APIRouter, HTTPException

from fleet.db import {cls}, SessionDep
from fleet.server.services import ClusterService

router = APIRouter(prefix="/{name}s")


@router.get("")
async def get_{name}s(session: SessionDep):
    return await {cls}.all_by_fields(session, {{}})


@router.get("/mine")
async def get_my_{name}s():
    return []


@router.get("/{{id}}")
async def get_{name}(session: SessionDep, id: int):
    found = await {cls}.one_by_id(session, id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@router.delete("/{{id}}")
async def delete_{name}(session: SessionDep, id: int):
    found = await {cls}.one_by_id(session, id)
    await ClusterService(session).delete(found)
"""


def _fleet(root: Path) -> None:
    routes = {
        f"fleet/routes/{name}s.py": _TABLE_ROUTES.format(name=name, cls=name.title())
        for name in ("cluster", "worker")
    }
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "fleet"\n',
            "fleet/__init__.py": "",
            "fleet/main.py": (
                "from fastapi import FastAPI\n\n"
                "from fleet.routes import clusters, workers\n\n"
                "app = FastAPI()\napp.include_router(clusters.router)\n"
                "app.include_router(workers.router)\n"
            ),
            "fleet/mixins/__init__.py": "",
            "fleet/mixins/active_record.py": _RECORD,
            "fleet/db.py": _FLEET_DB,
            "fleet/server/__init__.py": "",
            "fleet/server/services.py": _SERVICES,
            "fleet/routes/__init__.py": "",
            **routes,
        },
    )


def _dashboard(path: str) -> str:
    return (
        f'kind = "endpoint"\nmethod = "GET"\npath = "{path}"\n'
        'summary = "Redirect to the dashboard"\npath_types = { id = "int" }\n'
        'errors = [{ status = 404, when = "no row has that id" }]\n'
    )


def test_a_handler_calling_its_tables_methods_gets_the_new_work(
    tmp_path: Path,
) -> None:
    """``Cluster.one_by_id(session, id)`` is the handler's own data work.

    The tables' module (``db.py``) is no data-access module to add to, and
    the one route calling a service does not make the others' habit.
    """
    _fleet(tmp_path)
    files = _files(_plan(tmp_path, _dashboard("/clusters/{id}/dashboard")))
    assert "fleet/db.py" not in files
    assert "fleet/server/services.py" not in files
    router = files["fleet/routes/clusters.py"]
    assert "Do it in the handler" in router
    assert "`get_cluster` (`fleet/routes/clusters.py:20`) does with " in router
    assert "`Cluster.one_by_id`" in router
    assert "Map the service's domain errors" not in router


def test_a_new_router_module_does_its_work_as_its_exemplar_does(
    tmp_path: Path,
) -> None:
    """A table no router serves gets a module whose handler does the work.

    The exemplar's GET handlers query through their tables' methods (its
    ``/mine`` route touches no data and says nothing).
    """
    _fleet(tmp_path)
    files = _files(_plan(tmp_path, _dashboard("/pools/{id}/dashboard")))
    assert "fleet/server/services.py" not in files
    assert "fleet/db.py" not in files
    router = next(p for p in files if p.startswith("fleet/routes/pool"))
    assert "Do it in the handler" in files[router]


# --- a resource beside controller modules -------------------------------------

_CRUD_BASE = """\
from typing import Generic, TypeVar

ModelType = TypeVar("ModelType")


class CRUDBase(Generic[ModelType]):
    def __init__(self, model):
        self.model = model

    async def get(self, id: int):
        return await self.model.get(id=id)

    async def list(self, page: int, page_size: int):
        return await self.model.all()
"""

_CONTROLLER = """\
from app.core.crud import CRUDBase
from app.models.admin import {cls}


class {cls}Controller(CRUDBase[{cls}]):
    def __init__(self):
        super().__init__(model={cls})

    async def is_exist(self, name: str) -> bool:
        return await self.model.filter(name=name).exists()


{name}_controller = {cls}Controller()
"""

_ADMIN_ROUTES = """\
from fastapi import APIRouter, Query

from app.controllers.{name} import {name}_controller

router = APIRouter()


@router.get("/list")
async def list_{name}(page: int = Query(1)):
    return await {name}_controller.list(page=page, page_size=10)


@router.get("/get")
async def get_{name}({name}_id: int = Query(...)):
    return await {name}_controller.get(id={name}_id)


@router.post("/create")
async def create_{name}(name: str):
    if await {name}_controller.is_exist(name=name):
        return None
    return None
"""


_LOCAL_ROUTES = """\
from fastapi import APIRouter, Query

from app.controllers.{name} import {cls}Controller

router = APIRouter()


@router.get("/list")
async def list_{name}(page: int = Query(1)):
    {name}_controller = {cls}Controller()
    return await {name}_controller.list(page=page, page_size=10)


@router.get("/get")
async def get_{name}({name}_id: int = Query(...)):
    {name}_controller = {cls}Controller()
    return await {name}_controller.get(id={name}_id)
"""


def _admin(root: Path, routes: str = _ADMIN_ROUTES) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "admin"\n',
        "app/__init__.py": (
            "from fastapi import FastAPI\n\nfrom app.api import api_router\n\n"
            "app = FastAPI()\napp.include_router(api_router, prefix='/api')\n"
        ),
        "app/api/__init__.py": (
            "from fastapi import APIRouter\n\n"
            "from app.api.roles import router as roles\n"
            "from app.api.users import router as users\n\n"
            "api_router = APIRouter()\n"
            "api_router.include_router(users, prefix='/user')\n"
            "api_router.include_router(roles, prefix='/role')\n"
        ),
        "app/core/__init__.py": "",
        "app/core/crud.py": _CRUD_BASE,
        "app/models/__init__.py": "",
        "app/models/admin.py": (
            "from tortoise import fields\nfrom tortoise.models import Model\n\n\n"
            "class User(Model):\n    name = fields.CharField(max_length=20)\n\n\n"
            "class Role(Model):\n    name = fields.CharField(max_length=20)\n"
        ),
        "app/controllers/__init__.py": "",
    }
    for name in ("user", "role"):
        files[f"app/controllers/{name}.py"] = _CONTROLLER.format(
            name=name, cls=name.title()
        )
        files[f"app/api/{name}s.py"] = routes.format(name=name, cls=name.title())
    write_tree(root, files)


_DEPTS = (
    'kind = "crud-resource"\n[resource]\nname = "dept"\n'
    'operations = ["list", "read", "create"]\n'
    '[[resource.fields]]\nname = "name"\ntype = "str"\n'
)


def test_a_resource_gets_a_controller_beside_its_siblings(tmp_path: Path) -> None:
    """``controllers/<name>.py`` is each resource's data access, named for no role."""
    _admin(tmp_path)
    files = _files(_plan(tmp_path, _DEPTS))
    controller = files["app/controllers/dept.py"]
    assert "`dept_controller`" in controller
    assert "made as `user_controller` is in `app/controllers/user.py`" in controller
    router = next(p for p in files if p.startswith("app/api/dept"))
    assert "Functions, or methods" not in files[router]


def test_a_controller_class_the_routes_make_is_written_again(tmp_path: Path) -> None:
    """Routes making ``UserController()`` themselves: one class per resource."""
    _admin(tmp_path, _LOCAL_ROUTES)
    files = _files(_plan(tmp_path, _DEPTS))
    controller = files["app/controllers/dept.py"]
    assert "A `DeptController` class written as `UserController` in " in controller
    assert "the module-level `dept_controller` the routes use" in controller
