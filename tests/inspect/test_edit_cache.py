"""A plan after an edit: what was read of unchanged files is read back, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec, render_json, render_markdown
from planner.inspect import corpus
from planner.inspect.model import files
from planner.inspect.project import inspect_project
from tests.paths import EXAMPLES
from tests.trees import write_tree

PROJECT = {
    "app/__init__.py": "",
    "app/main.py": (
        "from fastapi import FastAPI\n"
        "from app.api import tags\n\n"
        "app = FastAPI()\n"
        'app.include_router(tags.router, prefix="/api")\n'
    ),
    "app/api/__init__.py": "",
    "app/api/tags.py": (
        "from fastapi import APIRouter, Depends\n"
        "from sqlalchemy.orm import Session\n"
        "from app.db import get_db\n"
        "from app.models import Tag\n\n"
        'router = APIRouter(prefix="/tags")\n\n\n'
        '@router.get("/")\n'
        "def list_tags(db: Session = Depends(get_db)):\n"
        "    return db.query(Tag).all()\n"
    ),
    "app/db.py": (
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.orm import Session, sessionmaker\n\n"
        'engine = create_engine("sqlite://")\n'
        "SessionLocal = sessionmaker(engine)\n\n\n"
        "def get_db() -> Session:\n"
        "    return SessionLocal()\n"
    ),
    "app/models.py": (
        "from sqlalchemy import Column, Integer, String\n"
        "from sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n\n"
        "class Tag(Base):\n"
        '    __tablename__ = "tags"\n'
        "    id = Column(Integer, primary_key=True)\n"
        "    name = Column(String)\n"
    ),
    "app/helpers.py": "def shout(text):\n    return text.upper()\n",
    "tests/__init__.py": "",
    "tests/conftest.py": (
        "import pytest\n"
        "from fastapi.testclient import TestClient\n"
        "from app.main import app\n\n\n"
        "@pytest.fixture\n"
        "def client():\n"
        "    return TestClient(app)\n"
    ),
    "tests/test_tags.py": (
        "def test_list(client):\n    assert client.get('/api/tags/').status_code\n"
    ),
}
# Edits that leave every fact as it was: a new module, and a helper rewritten.
QUIET = {
    "app/util/__init__.py": "",
    "app/util/text.py": "def lower(text):\n    return text.lower()\n",
    "app/helpers.py": "def shout(text):\n    return text.upper() + '!'\n",
}
# An edit that changes the facts: sessions become async.
LOUD = {
    "app/db.py": (
        "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n"
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n\n"
        'engine = create_async_engine("sqlite+aiosqlite://")\n'
        "SessionLocal = async_sessionmaker(engine)\n\n\n"
        "async def get_db() -> AsyncSession:\n"
        "    async with SessionLocal() as session:\n"
        "        yield session\n"
    ),
}


def _plan(root: Path) -> tuple[str, str]:
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return render_markdown(plan), render_json(plan)


def _edit(root: Path, changes: dict[str, str]) -> None:
    # A new file each, as an editor saves one: another inode, another time.
    for rel in changes:
        (root / rel).unlink(missing_ok=True)
    write_tree(root, changes)


def _cold(root: Path, tmp_path: Path, name: str) -> tuple[str, str]:
    """The plan of a copy of `root` read with no cache at all."""
    copy = tmp_path / name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".planner"))
    return _plan(copy)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_tree(root, PROJECT)
    return root


def test_a_plan_after_a_quiet_edit_is_the_plan_read_cold(
    project: Path, tmp_path: Path
) -> None:
    cold = _plan(project)
    assert list(files.cache_folder(project).glob("model-parse-*.json"))
    _edit(project, QUIET)
    assert _plan(project) == cold == _cold(project, tmp_path, "edited")


def test_a_plan_after_an_edit_of_the_facts_is_the_edited_tree_read_cold(
    project: Path, tmp_path: Path
) -> None:
    before = _plan(project)
    _edit(project, LOUD)
    after = _plan(project)
    assert after == _cold(project, tmp_path, "edited")
    assert "sessions are sync" in before[0]
    assert "sessions are async" in after[0]


def test_an_unchanged_file_is_read_back_not_read_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(project)
    expected = inspect_project(project)

    def read_anew(*_: object) -> None:
        raise AssertionError("a file the cache holds was read again")

    monkeypatch.setattr(corpus, "_share", read_anew)
    assert inspect_project(project) == expected


def test_the_same_bytes_at_another_path_are_read_for_that_path(
    tmp_path: Path,
) -> None:
    # A module and a test of the same bytes: each path says how it is read.
    same = (
        "from fastapi import APIRouter\nrouter = APIRouter()\nasync def test(): ...\n"
    )
    root = tmp_path / "project"
    write_tree(root, {"app/routes.py": same})
    inspect_project(root)
    write_tree(root, {"tests/test_routes.py": same})
    cached = inspect_project(root)
    shutil.rmtree(files.cache_folder(root))
    assert cached == inspect_project(root)
    assert [r.file for r in cached.routers] == ["app/routes.py"]


def test_a_plan_after_an_edit_reads_only_the_edited_files_anew(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(project)
    _edit(project, QUIET)
    tested: list[bytes] = []
    shared: list[str] = []
    relevance, share = files.relevance, corpus._share

    def test_relevance(data: bytes) -> tuple[bool, bool]:
        tested.append(data)
        return relevance(data)

    def read_share(rel: str, source: files.SourceFile) -> corpus.FileShare:
        shared.append(rel)
        return share(rel, source)

    monkeypatch.setattr(files, "relevance", test_relevance)
    monkeypatch.setattr(corpus, "_share", read_share)
    _plan(project)
    # Relevance depends on the bytes alone: an empty `__init__.py` is known.
    new_bytes = {t.encode() for t in QUIET.values()} - {
        t.encode() for t in PROJECT.values()
    }
    assert set(tested) == new_bytes
    # A share depends on the path too: every new path is read.
    assert sorted(shared) == sorted(QUIET)
