"""Exception handlers the app registers decide what a plan catches itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.inspect.model import read_project
from planner.inspect.model.records import ErrorHandler
from tests.trees import write_tree

_MAIN = """\
from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from app.errors import NotFound, not_found
from app.routers import notes


async def conflict(request: Request, exc: IntegrityError) -> JSONResponse:
    return JSONResponse({"detail": "conflict"}, status_code=status.HTTP_409_CONFLICT)


app = FastAPI(exception_handlers={IntegrityError: conflict})
app.add_exception_handler(NotFound, not_found)
app.include_router(notes.router)


@app.exception_handler(ValueError)
async def bad_value(request: Request, exc: ValueError) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)


for exc in (KeyError,):
    app.add_exception_handler(exc, bad_value)
"""

_ERRORS = """\
from fastapi import Request
from fastapi.responses import JSONResponse


class NotFound(Exception):
    pass


async def not_found(request: Request, exc: NotFound) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=404)
"""

_NOTES = """\
from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Note
from app.schemas import NoteCreate, NoteRead

router = APIRouter(prefix="/notes")


@router.get("/")
def list_notes(db: Session = Depends(get_db)) -> list[NoteRead]: ...


@router.post("/", status_code=status.HTTP_201_CREATED)
def create_note(body: NoteCreate, db: Session = Depends(get_db)) -> NoteRead: ...


@router.get("/{note_id}")
def read_note(note_id: int, db: Session = Depends(get_db)) -> NoteRead: ...
"""

_TEST_APP = """\
from fastapi import FastAPI


def make(app: FastAPI, handler) -> None:
    app.add_exception_handler(RuntimeError, handler)
"""


def _project(root: Path) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/main.py": _MAIN,
            "app/errors.py": _ERRORS,
            "app/db.py": "def get_db(): ...\n",
            "app/models.py": (
                "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column"
                "\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\n"
                "class Note(Base):\n    __tablename__ = 'notes'\n"
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
            "app/schemas.py": (
                "from pydantic import BaseModel\n\n\n"
                "class NoteCreate(BaseModel):\n    title: str\n\n\n"
                "class NoteRead(NoteCreate):\n    id: int\n"
            ),
            "app/routers/__init__.py": "",
            "app/routers/notes.py": _NOTES,
            "tests/__init__.py": "",
            "tests/helpers.py": _TEST_APP,
        },
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("notes")
    _project(path)
    return path


def test_every_way_of_registering_a_handler_is_read(root: Path) -> None:
    handlers = read_project(root, cache=False).error_handlers
    assert handlers == (
        ErrorHandler("IntegrityError", "conflict", "app/main.py", 13, (409,)),
        ErrorHandler("NotFound", "not_found", "app/main.py", 14, (404,)),
        ErrorHandler("ValueError", "bad_value", "app/main.py", 18, (400,)),
    )


_SPEC = """\
kind = "crud-resource"

[resource]
name = "label"
operations = ["list", "read", "create", "update"]

[[resource.fields]]
name = "title"
type = "str"
unique = true
"""


def test_a_unique_violation_the_app_answers_is_not_caught_again(root: Path) -> None:
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    text = "\n".join(g for f in plan.files for g in f.guidance)
    assert "Let `IntegrityError` from the commit propagate" in text
    assert "try/except IntegrityError" not in text
    assert "raise `HTTPException` 409" not in text
    create = next(e for e in plan.endpoints if e.function == "create_label")
    assert [e.when for e in create.errors if e.status == 409] == [
        "`title` already exists (the database's unique constraint fails on "
        "commit, and `conflict` answers it)"
    ]


def test_without_a_handler_the_data_access_maps_the_violation(tmp_path: Path) -> None:
    _project(tmp_path)
    main = tmp_path / "app/main.py"
    main.write_text(
        main.read_text().replace("exception_handlers={IntegrityError: conflict}", "")
    )
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = "\n".join(g for f in plan.files for g in f.guidance)
    assert "Wrap the commit in `try/except IntegrityError`" in text
