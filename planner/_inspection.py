"""Read an existing FastAPI project into facts, from its files alone; read-only."""

from __future__ import annotations

import os
import re
from pathlib import Path

from planner._inspect_code import read_code
from planner._inspect_extras import (
    find_alembic,
    find_generated_client,
    find_sql_migrations,
    find_tests,
)
from planner._inspect_findings import describe
from planner._inspect_python import Corpus, parse_module, scan_module
from planner._inspect_walk import Listing, list_project
from planner._versions import read_versions
from planner.errors import InspectionError
from planner.facts import ProjectFacts

__all__ = ["inspect_project"]

MAX_PY_BYTES = 1_000_000
# Only files holding one of these are worth a syntax tree. Fragments cover several
# names at once ("eclarative": DeclarativeBase, declarative_base, as_declarative)
# since every check costs time; a bare `Session` type hint is no reason to parse.
_PARSE_MARKERS = (
    b"FastAPI(", b"APIRouter", b"include_router", b"Depends", b"essionmaker",
    b"_session", b"get_db", b"get_conn",
    b"BaseSettings", b"__tablename__", b"table=True", b"Column(", b"mapped_column",
    b"Mapped[", b"eclarative", b"OAuth2", b"APIKey", b"HTTPB", b"aginat",
    b"_engine", b"urrent_user", b"CurrentUser",
)  # fmt: skip
_HINT_GATES = (b"pydantic", b"Config", b"fastapi_pagination")
_TEST_MARKERS = (
    (b"mark.anyio", "anyio"), (b"anyio_backend", "anyio"),
    (b"mark.asyncio", "asyncio"), (b"pytest_asyncio", "asyncio"),
    (b"AsyncClient", "async_client"), (b"async def test", "async_test"),
)  # fmt: skip
_HINTS = (
    (b"orm_mode", "pydantic1"), (b"class Config:", "pydantic1"),
    (b"@validator", "pydantic1"), (b"model_config", "pydantic2"),
    (b"ConfigDict(", "pydantic2"), (b"from_attributes", "pydantic2"),
    (b"field_validator", "pydantic2"), (b"fastapi_pagination", "fastapi-pagination"),
)  # fmt: skip
_REVISION = re.compile(rb"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(rb"^down_revision\s*(?::[^=\n]*)?=\s*(\([^)]*\)|[^\n]*)", re.M)
_QUOTED = re.compile(rb"['\"]([^'\"]+)['\"]")
_VERSION_FILES = ("pyproject.toml", "uv.lock", "poetry.lock", "Pipfile", "Pipfile.lock")


def _read(path: str) -> bytes | None:
    try:
        # The builtin, not Path.open: pathlib's parsing costs more than the read.
        with open(path, "rb") as handle:  # noqa: PTH123
            data = handle.read(MAX_PY_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > MAX_PY_BYTES else data


def is_test_path(rel: str) -> bool:
    """Whether a path belongs to the test suite rather than the application."""
    *dirs, name = rel.split("/")
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or any(part in {"tests", "test"} for part in dirs)
    )


def _revision(corpus: Corpus, rel: str, data: bytes) -> bool:
    revision = _REVISION.search(data)
    if revision is None or b"def upgrade" not in data:
        return False
    down = _DOWN.search(data)
    downs = tuple(
        item.decode("utf-8", "replace")
        for item in (_QUOTED.findall(down.group(1)) if down else [])
    )
    corpus.revisions[rel] = (revision.group(1).decode("utf-8", "replace"), downs)
    return True


def _parse(corpus: Corpus, rel: str, data: bytes, *, test: bool = False) -> None:
    tree = parse_module(data)
    if tree is None:
        corpus.unparsable.append(rel)
    elif test:
        corpus.test_scans[rel] = scan_module(rel, tree)
    else:
        corpus.scans[rel] = scan_module(rel, tree, data)


def _test_file(corpus: Corpus, rel: str, data: bytes) -> None:
    corpus.tests.append(rel)
    for marker, key in _TEST_MARKERS:
        if marker in data:
            corpus.count(corpus.test_markers, key)
    if rel.endswith("conftest.py"):
        _parse(corpus, rel, data, test=True)


def _source_file(corpus: Corpus, rel: str, data: bytes) -> None:
    corpus.sources.append(rel)
    if any(gate in data for gate in _HINT_GATES):
        for marker, key in _HINTS:
            if marker in data:
                corpus.count(corpus.hints, key)
    if any(marker in data for marker in _PARSE_MARKERS):
        _parse(corpus, rel, data)


def _read_file(corpus: Corpus, root: str, rel: str) -> None:
    data = _read(f"{root}/{rel}")
    if data is None:
        corpus.unparsable.append(rel)
    elif is_test_path(rel):
        _test_file(corpus, rel, data)
    elif b"down_revision" not in data or not _revision(corpus, rel, data):
        _source_file(corpus, rel, data)


def read_corpus(root: Path, files: list[str]) -> Corpus:
    """Read every Python file once; parse only those that may hold facts."""
    corpus = Corpus(files=list(files))
    base = os.fspath(root)
    for rel in files:
        _read_file(corpus, base, rel)
    return corpus


def _existing(listing: Listing) -> frozenset[str]:
    return frozenset(listing.python + listing.config + listing.sql)


def _list(root: Path) -> Listing:
    if not root.is_dir():
        raise InspectionError(
            f"project folder {root} does not exist or is not a folder",
            hint="pass --project DIR with the folder holding the FastAPI project",
        )
    try:
        return list_project(root)
    except OSError as err:
        raise InspectionError(
            f"project folder {root} cannot be read: {err.strerror}",
            hint="check the folder's permissions",
        ) from err


def inspect_project(root: Path) -> ProjectFacts:
    """Read the project at `root` into facts; never imports or runs its code.

    Raises:
        InspectionError: `root` is missing or cannot be listed.
    """
    listing = _list(root)
    corpus = read_corpus(root, listing.python)
    version_files = [
        rel
        for rel in listing.config
        if rel.rpartition("/")[2] in _VERSION_FILES
        or rel.rpartition("/")[2].startswith("requirements")
    ]
    versions, bad_configs = read_versions(root, version_files)
    code = read_code(corpus, listing.config, versions)
    alembic = find_alembic(root, listing, corpus)
    facts = code.model_copy(
        update={
            "versions": versions,
            "alembic": alembic,
            "sql_migrations": None if alembic else find_sql_migrations(listing),
            "tests": find_tests(root, listing, corpus, code),
            "generated_client": find_generated_client(root, listing),
            "existing": _existing(listing),
            "unreadable": tuple(sorted({*corpus.unparsable, *bad_configs})),
        }
    )
    return facts.model_copy(update={"findings": describe(facts)})
