"""The database session dependency: told apart from other things called sessions."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model import read_project
from planner.inspect.model.conventions import is_session_dependency
from planner.inspect.project import inspect_project
from tests.trees import write_tree

_MAIN = """\
from fastapi import FastAPI

from clinic.routers import doctors, patients

app = FastAPI()
app.include_router(doctors.router)
app.include_router(patients.router)
"""

# A cloud SDK session and a context-variable lookup share the session's
# naming; the login session is a signed-in visitor's record, not a database.
_LOOKALIKES = {
    "clinic/aws/session.py": (
        "from boto3.session import Session\n\n\n"
        "def get_session(region: str) -> Session:\n"
        "    return Session(region_name=region)\n"
    ),
    "clinic/context.py": (
        "from contextvars import ContextVar\n\n"
        'request_id: ContextVar[str] = ContextVar("request_id")\n\n\n'
        "def get_session_context() -> str:\n"
        "    return request_id.get()\n"
    ),
    "clinic/auth.py": (
        "from fastapi import Cookie\n\n\n"
        "class LoginSession:\n    token: str\n\n\n"
        "async def get_login_session(token: str = Cookie()) -> LoginSession:\n"
        "    return LoginSession()\n"
    ),
}

_DB = """\
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine("sqlite+aiosqlite://")
factory = async_sessionmaker(engine)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        yield session
"""

_ROUTER = """\
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.auth import LoginSession, get_login_session
from clinic.db import get_session

router = APIRouter(prefix="/{plural}")


@router.get("/")
async def list_{plural}(
    visitor: LoginSession = Depends(get_login_session),
    db: AsyncSession = Depends(get_session),
): ...


@router.get("/{{{name}_id}}")
async def read_{name}(
    {name}_id: int, visitor: LoginSession = Depends(get_login_session)
): ...


@router.delete("/{{{name}_id}}", status_code=204)
async def delete_{name}(
    {name}_id: int, visitor: LoginSession = Depends(get_login_session)
): ...
"""


def _clinic(root: Path) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "clinic"\n',
            "clinic/__init__.py": "",
            "clinic/main.py": _MAIN,
            "clinic/db.py": _DB,
            "clinic/routers/__init__.py": "",
            "clinic/routers/doctors.py": _ROUTER.format(
                plural="doctors", name="doctor"
            ),
            "clinic/routers/patients.py": _ROUTER.format(
                plural="patients", name="patient"
            ),
            **_LOOKALIKES,
        },
    )


def test_the_database_session_is_found_among_other_sessions(tmp_path: Path) -> None:
    """A boto3 `Session` or a `str` lookup never stands for the database session."""
    _clinic(tmp_path)
    facts = inspect_project(tmp_path)
    session = facts.session_dependency
    assert session is not None
    assert (session.name, session.file) == ("get_session", "clinic/db.py")
    assert facts.session_async is True


def test_routes_vote_for_the_session_they_take_not_a_login_session(
    tmp_path: Path,
) -> None:
    """A dependency typed as the visitor's session record is not a database one."""
    _clinic(tmp_path)
    model = read_project(tmp_path, cache=False)
    vote = model.convention("session_dependency")
    assert vote.winner == "get_session (clinic.db)"
    assert [name for name, _ in vote.counts] == ["get_session (clinic.db)"]


def test_session_dependency_by_type_or_by_name() -> None:
    """The parameter's type decides where it names one; else the name's words."""
    assert is_session_dependency("provide_db", "AsyncSession")
    assert is_session_dependency("get_async_db", "")
    assert is_session_dependency("SessionDep", "SessionDep")
    assert not is_session_dependency("provide_database_interface", "DBInterface")
    assert not is_session_dependency("get_server", "SyncServer")
    assert is_session_dependency("get_db", "DBSession")
    assert not is_session_dependency("get_session_token", "")
    assert not is_session_dependency("get_login_session", "LoginSession")
    assert not is_session_dependency("get_user_db_manager", "UserDBManager")
    assert not is_session_dependency("get_settings", "")


_SCOPED_SERVICE = """\
from sqlalchemy import select

from shelf.db import session
from shelf.models import Book


class BookService:
    async def list_books(self) -> list[Book]:
        return list(await session.scalars(select(Book)))
"""


def test_no_session_dependency_is_invented_where_routes_take_none(
    tmp_path: Path,
) -> None:
    """Services on a scoped session: the plan neither adds nor names a dependency.

    The only `get_session_*` function returns a context key, and the engine
    is async, so sessions are async.
    """
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shelf"\n',
            "shelf/__init__.py": "",
            "shelf/main.py": (
                "from fastapi import FastAPI\n\nfrom shelf.books import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "shelf/db.py": (
                "from contextvars import ContextVar\n\n"
                "from sqlalchemy.ext.asyncio import async_scoped_session, "
                "async_sessionmaker, create_async_engine\n"
                "from sqlalchemy.orm import DeclarativeBase\n\n"
                'key: ContextVar[str] = ContextVar("key")\n\n\n'
                "def get_session_context() -> str:\n    return key.get()\n\n\n"
                'engine = create_async_engine("sqlite+aiosqlite://")\n'
                "session = async_scoped_session(async_sessionmaker(engine), "
                "scopefunc=get_session_context)\n\n\n"
                "class Base(DeclarativeBase):\n    pass\n"
            ),
            "shelf/models.py": (
                "from sqlalchemy.orm import Mapped, mapped_column\n\n"
                "from shelf.db import Base\n\n\n"
                "class Book(Base):\n"
                '    __tablename__ = "books"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
            "shelf/services.py": _SCOPED_SERVICE,
            "shelf/books.py": (
                "from fastapi import APIRouter\n\n"
                "from shelf.services import BookService\n\n"
                'router = APIRouter(prefix="/books")\n\n\n'
                '@router.get("")\nasync def list_books():\n'
                "    return await BookService().list_books()\n\n\n"
                '@router.get("/{book_id}")\nasync def read_book(book_id: int): ...\n'
            ),
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.session_dependency is None
    assert facts.session_async is True
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "shelf_label"\n'
        'operations = ["list", "read"]\n\n'
        '[[resource.fields]]\nname = "text"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = render_markdown(plan)
    assert "shared dependencies" not in {f.purpose for f in plan.files}
    assert "get_session_context" not in text
    assert "without a session, as the project's routes do" in text


def test_new_routes_name_the_session_parameter_as_the_routes_do(
    tmp_path: Path,
) -> None:
    """The clinic's routes take `db: AsyncSession = Depends(get_session)`."""
    _clinic(tmp_path)
    assert read_project(tmp_path, cache=False).convention("session_param").winner == (
        "db"
    )
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "nurse"\n'
        'operations = ["list", "create"]\n\n[[resource.fields]]\n'
        'name = "name"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = "\n".join(g for f in plan.files for g in f.guidance)
    assert "`db: Annotated[AsyncSession, Depends(get_session)]`" in text
    assert "`session: Annotated[AsyncSession" not in text
