"""The project's own HTTP errors and its tables' base decide what a plan raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.cli.inspect import describe_model
from planner.inspect.model import read_project
from planner.inspect.model.records import BaseWrite, HttpErrorClass
from tests.trees import write_tree

_EXCEPTIONS = """\
from fastapi import HTTPException, status
from starlette.exceptions import HTTPException as StarletteHTTPException


class AuthFailed(HTTPException):
    def __init__(self):
        super().__init__(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )


class NotFoundError(StarletteHTTPException):
    def __init__(self, msg: str):
        super().__init__(404, msg)


class AppError(HTTPException):
    def __init__(self, status_code: int, msg: str):
        super().__init__(status_code=status_code, detail=msg)


class Conflict(AppError):
    status_code = 409


class Plain(Exception):
    status_code = 400
"""

_BASE = """\
from fastapi import HTTPException, status
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    async def save(self, db):
        try:
            db.add(self)
            return await db.commit()
        except SQLAlchemyError as ex:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail=repr(ex)
            ) from ex

    async def update(self, db, **kwargs):
        try:
            for k, v in kwargs.items():
                setattr(self, k, v)
            return await db.commit()
        except SQLAlchemyError as ex:
            raise HTTPException(status_code=422, detail=repr(ex)) from ex
"""

_NOTE = """\
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
"""

_ROUTER = """\
from fastapi import APIRouter, Depends, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_db
from app.models.note import Note
from app.schemas.note import NoteCreate, NoteRead

router = APIRouter(prefix="/notes")


@router.get("/")
async def list_notes(db: AsyncSession = Depends(get_db)) -> list[NoteRead]: ...


@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_note(body: NoteCreate, db: AsyncSession = Depends(get_db)) -> NoteRead:
    note = Note(**body.model_dump())
    await note.save(db)
    return note


@router.get("/{note_id}")
async def read_note(note_id: int, db: AsyncSession = Depends(get_db)) -> NoteRead: ...
"""


def _project(
    root: Path, base: str = _BASE, main: str = "", errors: str = "app/exceptions.py"
) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\nfrom app.api import notes\n"
            + main
            + "\napp = FastAPI()\napp.include_router(notes.router)\n"
            + ("install(app)\n" if main else ""),
            errors: _EXCEPTIONS,
            "app/database.py": (
                "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
                "async def get_db() -> AsyncSession: ...\n"
            ),
            "app/models/__init__.py": "",
            "app/models/base.py": base,
            "app/models/note.py": _NOTE,
            "app/schemas/__init__.py": "",
            "app/schemas/note.py": (
                "from pydantic import BaseModel\n\n\n"
                "class NoteCreate(BaseModel):\n    title: str\n\n\n"
                "class NoteRead(NoteCreate):\n    id: int\n"
            ),
            "app/api/__init__.py": "",
            "app/api/notes.py": _ROUTER,
        },
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("notes")
    _project(path)
    return path


def test_http_error_classes_with_a_fixed_status_are_read(root: Path) -> None:
    assert read_project(root, cache=False).http_errors == (
        HttpErrorClass(
            "AuthFailed", "app/exceptions.py", 5, 401, ("WWW-Authenticate: Bearer",)
        ),
        HttpErrorClass("NotFoundError", "app/exceptions.py", 14, 404),
        HttpErrorClass("Conflict", "app/exceptions.py", 24, 409),
    )


def test_a_base_that_answers_database_errors_is_read(root: Path) -> None:
    assert read_project(root, cache=False).base_writes == (
        BaseWrite(
            "Base", "Base", "app/models/base.py", 7, "save",
            "SQLAlchemyError", "HTTPException", 422,
        ),
        BaseWrite(
            "Base", "Base", "app/models/base.py", 16, "update",
            "SQLAlchemyError", "HTTPException", 422,
        ),
    )  # fmt: skip


def test_inspect_shows_the_projects_errors(root: Path) -> None:
    text = describe_model(read_project(root, cache=False))
    assert "  AuthFailed in app/exceptions.py:5: 401 (WWW-Authenticate: Bearer)" in text
    assert "  Conflict in app/exceptions.py:24: 409" in text
    assert (
        "  Base.save in app/models/base.py:7: catches SQLAlchemyError, raises "
        "HTTPException (422)" in text
    )


_CRUD = """\
kind = "crud-resource"

[resource]
name = "label"
operations = ["list", "read", "create", "update"]

[[resource.fields]]
name = "title"
type = "str"
unique = true
"""


def _guidance(spec_text: str, root: Path) -> dict[str, str]:
    spec = parse_spec(spec_text).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return {f.path: "\n".join(f.guidance) for f in plan.files}


def test_a_crud_plan_raises_the_projects_classes(root: Path) -> None:
    files = _guidance(_CRUD, root)
    router = files["app/api/labels.py"]
    assert "raise the project's `NotFoundError` (404, `app/exceptions.py`)" in router
    assert "raise `HTTPException` 404" not in router
    # The handlers query with their session: they raise it themselves.
    service = next(v for k, v in files.items() if "`IntegrityError`" in v)
    assert "roll back and raise the project's `Conflict` (409" in service


def test_a_base_answering_422_is_caught_before(root: Path) -> None:
    service = next(
        v for v in _guidance(_CRUD, root).values() if "`IntegrityError`" in v
    )
    assert "`Base.save()` (`app/models/base.py:7`)" in service
    assert "a taken `title` answers 422, not 409" in service
    assert "catch `IntegrityError` before the base does" in service


_AUTH = """\
kind = "auth"
scheme = "password-jwt"
registration = true
"""


def test_an_auth_plan_raises_the_projects_classes(root: Path) -> None:
    text = "\n".join(_guidance(_AUTH, root).values())
    assert (
        "raise the project's `AuthFailed` (401, `app/exceptions.py`, which sends "
        "`WWW-Authenticate: Bearer`) when any step fails" in text
    )
    assert "to the project's `Conflict` (409, `app/exceptions.py`)" in text
    assert "a taken email answers 422, not 409" in text


_LETTA_LIKE = """\
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase


class DuplicateError(ValueError):
    pass


class Base(DeclarativeBase):
    def create(self, db):
        try:
            db.add(self)
            db.commit()
        except (DBAPIError, IntegrityError) as e:
            self._handle(e)

    def update(self, db):
        db.add(self)
        db.commit()

    @classmethod
    def _handle(cls, e):
        if "UNIQUE" in str(e):
            raise DuplicateError(str(e)) from e
        raise
"""

_HANDLER = """\
from fastapi.responses import JSONResponse

from app.models.base import DuplicateError


def install(app):
    @app.exception_handler(DuplicateError)
    async def duplicate(request, exc):
        return JSONResponse({"detail": str(exc)}, status_code=409)
"""


def test_an_update_the_base_does_not_map_is_mapped_by_the_plan(
    tmp_path: Path,
) -> None:
    _project(tmp_path, _LETTA_LIKE, main=_HANDLER)
    service = next(
        v for v in _guidance(_CRUD, tmp_path).values() if "DuplicateError" in v
    )
    assert (
        "`Base.update()` (`app/models/base.py:17`) lets a database error through"
        in service
    )
    assert (
        "Catch `IntegrityError` around it in `update_label` and raise "
        "`DuplicateError`, as its `create()` does" in service
    )
    # The create the base maps reaches the handler as it is.
    assert "a unique violation reaches `duplicate` (409)." in service
    assert "reaches `duplicate` (409) once the data access raises it" in service


def test_another_apps_errors_are_not_the_apis(tmp_path: Path) -> None:
    # A gateway or proxy beside the API keeps errors of its own.
    _project(tmp_path, errors="gateway/errors.py")
    router = _guidance(_CRUD, tmp_path)["app/api/labels.py"]
    assert "raise `HTTPException` 404" in router
    assert "NotFoundError" not in router
