"""Plans change the data access where the project writes it, in its own way."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from planner.render.markdown import render_markdown
from tests.inspect.test_called_data import _trader
from tests.trees import write_tree


def _plan(root: Path, spec: str) -> Plan:
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _files(plan: Plan) -> dict[str, str]:
    return {f.path: " ".join(f.guidance) for f in plan.files}


_BASE = """\
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

Model = TypeVar("Model")


class CRUDBase(Generic[Model]):
    def __init__(self, model):
        self.model = model

    async def get_multi(self, db: AsyncSession, **filters):
        return (await db.scalars(select(self.model))).all()
"""

_MODELS = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
"""

_ITEMS = """\
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from shop.crud.crud_items import crud_items
from shop.db import get_db

router = APIRouter(prefix="/items")


@router.get("")
async def read_items(db: Annotated[AsyncSession, Depends(get_db)]):
    return await crud_items.get_multi(db)
"""


def _shop(root: Path) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "shop/__init__.py": "",
            "shop/main.py": (
                "from fastapi import FastAPI\n\nfrom shop.routers import items\n\n"
                "app = FastAPI()\napp.include_router(items.router)\n"
            ),
            "shop/db.py": "async def get_db():\n    yield None\n",
            "shop/models.py": _MODELS,
            "shop/crud/__init__.py": "",
            "shop/crud/crud_base.py": _BASE,
            "shop/crud/crud_items.py": (
                "from shop.crud.crud_base import CRUDBase\n"
                "from shop.models import Item\n\n"
                "CRUDItem = CRUDBase[Item]\ncrud_items = CRUDItem(Item)\n"
            ),
            "shop/routers/__init__.py": "",
            "shop/routers/items.py": _ITEMS,
        },
    )


def test_a_list_read_through_a_generic_base_is_paged_in_the_base(
    tmp_path: Path,
) -> None:
    """``crud_items = CRUDItem(Item)`` holds no query: its base's module does."""
    _shop(tmp_path)
    plan = _plan(
        tmp_path, 'kind = "pagination"\ntarget = "GET /items"\nstyle = "offset"\n'
    )
    files = _files(plan)
    assert "shop/crud/crud_items.py" not in files
    base = files["shop/crud/crud_base.py"]
    assert "`read_items` calls `crud_items.get_multi` here" in base
    assert "`crud_items` inherits it from the base class here" in base


def test_a_resource_beside_generic_base_instances_gets_one_more(
    tmp_path: Path,
) -> None:
    """Data access the project's way: an instance, not plain select() functions."""
    _shop(tmp_path)
    plan = _plan(
        tmp_path,
        'kind = "crud-resource"\n[resource]\nname = "tag"\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n',
    )
    data = _files(plan)["shop/crud/crud_tags.py"]
    assert (
        "`crud_tags`, an instance of the generic base in `shop/crud/crud_base.py`"
        in (data)
    )
    assert "`crud_tags.get_multi(...)`" in data
    assert "Plain functions" not in data and "select(Tag)" not in data


_ADAPTERS = """\
from django.db.models import Q

from notes.database.models import Note, SharedNote


class NoteAdapters:
    @staticmethod
    def get_notes(user):
        return Note.objects.filter(Q(user=user))


class SharedNoteAdapters:
    @staticmethod
    def get_shared_note(slug):
        return SharedNote.objects.filter(slug=slug).first()
"""

_API_NOTE = """\
from fastapi import APIRouter, Depends

from notes.auth import require_user
from notes.database.adapters import NoteAdapters, SharedNoteAdapters

api_note = APIRouter(prefix="/api/notes")


@api_note.get("")
def list_notes(user=Depends(require_user)):
    return NoteAdapters.get_notes(user)


@api_note.get("/share")
def get_shared_note(slug: str, user=Depends(require_user)):
    return SharedNoteAdapters.get_shared_note(slug)
"""


def test_an_endpoint_beside_adapter_calls_adds_an_adapter_method_and_no_session(
    tmp_path: Path,
) -> None:
    """Django adapters under FastAPI: no SQLAlchemy session is invented."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "notes/__init__.py": "",
            "notes/main.py": (
                "from fastapi import FastAPI\n\nfrom notes.routers import api_note\n\n"
                "app = FastAPI()\napp.include_router(api_note.api_note)\n"
            ),
            "notes/auth.py": "def require_user():\n    return None\n",
            "notes/database/__init__.py": "",
            "notes/database/models/__init__.py": (
                "class Note: ...\n\n\nclass SharedNote: ...\n"
            ),
            "notes/database/adapters/__init__.py": _ADAPTERS,
            "notes/routers/__init__.py": "",
            "notes/routers/api_note.py": _API_NOTE,
        },
    )
    plan = _plan(
        tmp_path,
        'kind = "endpoint"\nmethod = "DELETE"\npath = "/api/notes/share"\n'
        'summary = "Unshare a note"\n\n[auth]\nrequired = true\n',
    )
    files = _files(plan)
    adapters = files["notes/database/adapters/__init__.py"]
    assert "a method of `SharedNoteAdapters`" in adapters
    assert "beside `SharedNoteAdapters.get_shared_note`" in adapters
    assert "planner reads no ORM in this project" in adapters
    text = render_markdown(plan)
    assert "Session" not in text and "session:" not in text


def test_an_endpoint_beside_an_injected_object_takes_it_and_adds_its_method(
    tmp_path: Path,
) -> None:
    """``engine: Engine = Depends(get_engine)`` and ``engine._rpc_stop()``."""
    _trader(tmp_path)
    plan = _plan(
        tmp_path,
        'kind = "endpoint"\nmethod = "POST"\npath = "/bots/{bot_id}/reload"\n'
        'summary = "Reload a bot"\neffect = "action"\n\n[path_types]\n'
        'bot_id = "int"\n',
    )
    files = _files(plan)
    engine = files["trader/rpc/engine.py"]
    assert "a method of `Engine`" in engine
    assert "beside `engine._rpc_status` (which `bot_status` calls)" in engine
    assert "session" not in engine
    router = files["trader/api/bots.py"]
    assert "Depends(get_engine)" in router
    assert "SessionDep" not in router and "session" not in router


_FILTERS = """\
from fastapi import Request


class Filters:
    limit: int | None = None
    offset: int | None = None


def parse_filters(model):
    def parse(request: Request) -> Filters:
        return Filters()

    return parse
"""

_HELPERS = """\
def generate_filter_params_openapi(model):
    return {"parameters": []}
"""

_PAYMENTS = """\
from fastapi import APIRouter, Depends

from bank.crud import get_payments
from bank.db import Filters, parse_filters
from bank.helpers import generate_filter_params_openapi
from bank.models import Payment

router = APIRouter()


@router.get(
    "/api/v1/payments",
    openapi_extra=generate_filter_params_openapi(Payment),
)
async def api_payments(filters: Filters = Depends(parse_filters(Payment))):
    return await get_payments(filters=filters)
"""


def test_a_list_documenting_its_query_by_hand_gets_the_new_parameters_documented(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "bank"\n',
            "bank/__init__.py": "",
            "bank/main.py": (
                "from fastapi import FastAPI\n\nfrom bank import payments\n\n"
                "app = FastAPI()\napp.include_router(payments.router)\n"
            ),
            "bank/db.py": _FILTERS,
            "bank/helpers.py": _HELPERS,
            "bank/models.py": "class Payment: ...\n",
            "bank/crud.py": "async def get_payments(filters):\n    return []\n",
            "bank/payments.py": _PAYMENTS,
        },
    )
    plan = _plan(
        tmp_path,
        'kind = "pagination"\ntarget = "GET /api/v1/payments"\nstyle = "offset"\n',
    )
    files = _files(plan)
    assert "bank/db.py" in files
    assert "with a function here (its `openapi_extra=`)" in files["bank/helpers.py"]
