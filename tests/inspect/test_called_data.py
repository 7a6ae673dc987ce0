"""Where a handler's data work is done: past instances, re-exports and parameters."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import read_project
from planner.inspect.model.records import Route
from tests.trees import write_tree

_MAIN = """\
from fastapi import FastAPI

from shop.routers import items

app = FastAPI()
app.include_router(items.router)
"""

_BASE = """\
from typing import Generic, TypeVar

from sqlalchemy import select

Model = TypeVar("Model")


class CRUDBase(Generic[Model]):
    def __init__(self, model):
        self.model = model

    async def get_multi(self, db, **filters):
        return (await db.scalars(select(self.model))).all()

    async def get(self, db, **filters):
        return None
"""

_INSTANCE = """\
from shop.crud.crud_base import CRUDBase
from shop.models import Item

CRUDItem = CRUDBase[Item]
crud_items = CRUDItem(Item)
"""

_ITEMS = """\
from fastapi import APIRouter, Depends

from shop.crud.crud_items import crud_items
from shop.db import get_db

router = APIRouter(prefix="/items")


@router.get("")
async def read_items(db=Depends(get_db)):
    return await crud_items.get_multi(db)
"""


def _route(routes: tuple[Route, ...], function: str) -> Route:
    return next(r for r in routes if r.function == function)


def test_a_generic_base_instance_is_reached_in_its_module_and_written_in_the_base(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "shop/__init__.py": "",
            "shop/main.py": _MAIN,
            "shop/db.py": "async def get_db():\n    yield None\n",
            "shop/models.py": "class Item: ...\n",
            "shop/crud/__init__.py": "",
            "shop/crud/crud_base.py": _BASE,
            "shop/crud/crud_items.py": _INSTANCE,
            "shop/routers/__init__.py": "",
            "shop/routers/items.py": _ITEMS,
        },
    )
    route = _route(read_project(tmp_path, cache=False).routes, "read_items")
    assert route.called == (("shop/crud/crud_items.py", "crud_items.get_multi"),)
    assert route.data == ("shop/crud/crud_items.py",)
    assert route.inherited == (("crud_items.get_multi", "shop/crud/crud_base.py"),)


_ENGINE = """\
from sqlalchemy import select


class Engine:
    def _rpc_stop(self, bot_id):
        return select(bot_id)

    def _rpc_status(self, bot_id):
        return None
"""

_BOTS = """\
from fastapi import APIRouter, Depends

from trader.rpc import Engine
from trader.rpc.deps import get_engine
from trader.utils.text import shorten

router = APIRouter(prefix="/bots")


@router.get("/{bot_id}")
def bot_status(bot_id: int, engine: Engine = Depends(get_engine)):
    return shorten(engine._rpc_status(bot_id))


@router.delete("/{bot_id}")
def bot_stop(bot_id: int, engine: Engine = Depends(get_engine)):
    return engine._rpc_stop(bot_id)
"""


def _trader(root: Path) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "trader"\n',
            "trader/__init__.py": "",
            "trader/main.py": (
                "from fastapi import FastAPI\n\nfrom trader.api import bots\n\n"
                "app = FastAPI()\napp.include_router(bots.router)\n"
            ),
            "trader/rpc/__init__.py": "from .engine import Engine  # noqa: F401\n",
            "trader/rpc/engine.py": _ENGINE,
            "trader/rpc/deps.py": (
                "from trader.rpc import Engine\n\n\n"
                "def get_engine() -> Engine:\n    return Engine()\n"
            ),
            "trader/utils/__init__.py": "",
            "trader/utils/text.py": "def shorten(value):\n    return value\n",
            "trader/api/__init__.py": "",
            "trader/api/bots.py": _BOTS,
        },
    )


def test_a_parameter_typed_with_a_reexported_class_reaches_its_module(
    tmp_path: Path,
) -> None:
    _trader(tmp_path)
    model = read_project(tmp_path, cache=False)
    route = _route(model.routes, "bot_stop")
    assert route.called == (("trader/rpc/engine.py", "engine._rpc_stop"),)
    assert route.data == ("trader/rpc/engine.py",)
    # A helper of no data role that reaches no database is called, not data.
    status = _route(model.routes, "bot_status")
    assert "trader/utils/text.py" in status.calls
    assert status.data == ("trader/rpc/engine.py",)
    # The routes reach their data through the object the dependency hands them.
    assert model.convention("data_dependency").winner == (
        "engine: Engine = get_engine (trader.rpc.deps)"
    )


def test_an_adapter_module_of_another_orm_holds_data_access(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "notes/__init__.py": "",
            "notes/main.py": (
                "from fastapi import FastAPI\n\nfrom notes.routers import api_note\n\n"
                "app = FastAPI()\napp.include_router(api_note.api_note)\n"
            ),
            "notes/database/__init__.py": "",
            "notes/database/models/__init__.py": "class Note: ...\n",
            "notes/database/adapters/__init__.py": (
                "from django.db.models import Q\n\n"
                "from notes.database.models import Note\n\n\n"
                "class NoteAdapters:\n"
                "    @staticmethod\n"
                "    def get_notes(user):\n"
                "        return Note.objects.filter(Q(user=user))\n"
            ),
            "notes/routers/__init__.py": "",
            "notes/routers/api_note.py": (
                "from fastapi import APIRouter\n\n"
                "from notes.database.adapters import NoteAdapters\n\n"
                'api_note = APIRouter(prefix="/api/notes")\n\n\n'
                '@api_note.get("")\n'
                "def list_notes(user: str):\n"
                "    return NoteAdapters.get_notes(user)\n"
            ),
        },
    )
    route = _route(read_project(tmp_path, cache=False).routes, "list_notes")
    adapters = "notes/database/adapters/__init__.py"
    assert route.called == ((adapters, "NoteAdapters.get_notes"),)
    assert route.data == (adapters,)
