"""Read every Python file once, cheaply, and parse only those that may hold facts."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.inspect.model.files import SourceFile, without_strong
from planner.inspect.model.shared import (
    memo,
    parse_bytes,
    parse_data,
    paused_gc,
    remember,
)
from planner.inspect.python import ModuleScan, scan_module

MAX_PY_BYTES = 1_000_000
# Only files holding one of these are worth a syntax tree. Fragments cover several
# names at once ("eclarative": DeclarativeBase, declarative_base, as_declarative)
# since every check costs time; a bare `Session` type hint is no reason to parse.
# The commonest come first: the search stops at the first one found.
_PARSE_MARKERS = (
    b"_session", b"Column(", b"_engine", b"Depends", b"APIRouter", b"aginat",
    b"get_conn", b"urrent_user", b"get_db", b"OAuth2", b"table=True",
    b"include_router", b"eclarative", b"FastAPI(", b"APIKey", b"__tablename__",
    b"mapped_column", b"Mapped[", b"essionmaker", b"BaseSettings", b"HTTPB",
    b"CurrentUser",
)  # fmt: skip
# A marker says a file may hold facts; these say which facts it can state
# (scan_module's records and what deps.py reads of them). A file with a marker
# and none of these (a data-access module taking a `db_session`, say) states
# nothing the facts keep, so its syntax tree is never built.
_FACT_TOKENS = (
    b"Column(", b"APIRouter", b"FastAPI", b"OAuth2", b"include_router",
    b"relationship(", b"eclarative", b"def paginate", b"APIKey",
    b"create_async_engine", b"create_engine", b"Annotated", b"__tablename__",
    b"mapped_column(", b"Mapped[", b"sessionmaker", b"OpenIdConnect", b"HTTPB",
    b"HTTPDigest", b"BaseSettings",
)  # fmt: skip
# What is left to search for in a file the model's relevance test found
# without a strong token (SourceFile.plain): the others cannot occur there.
_PLAIN_PARSE_MARKERS = without_strong(_PARSE_MARKERS)
_PLAIN_FACT_TOKENS = without_strong(_FACT_TOKENS)
# A SQLModel table (``table=True`` as a whole word). The pattern starts with
# its literal so the engine jumps between candidates; a leading ``\b`` would
# have it try every byte of the file. The word boundary is checked per match.
_TABLE_TRUE = re.compile(rb"table\s*=\s*True")
_WORD_BYTES = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
)
_FACT_PATTERNS = (
    re.compile(rb"def (?:get_)?current_\w*user"),  # a current-user function
    re.compile(rb"class \w*(?:Page\b|Paginat)"),  # a page class
    re.compile(rb"def get_(?:async_)?(?:db|database|session|conn)"),  # a session
    re.compile(rb"->[^:]*Session"),  # a getter returning one
)
_HINT_GATES = (b"pydantic", b"Config", b"fastapi_pagination")
_PAGINATION_LIBRARY = b"fastapi_pagination"
# Each marker with a word it holds (searched once per file), or None.
_TEST_MARKERS = (
    (b"mark.anyio", "anyio", b"anyio"), (b"anyio_backend", "anyio", b"anyio"),
    (b"mark.asyncio", "asyncio", b"async"),
    (b"pytest_asyncio", "asyncio", b"async"),
    (b"AsyncClient", "async_client", None),
    (b"async def test", "async_test", b"async"),
)  # fmt: skip
_HINTS = (
    (b"orm_mode", "pydantic1"), (b"class Config:", "pydantic1"),
    (b"@validator", "pydantic1"), (b"model_config", "pydantic2"),
    (b"ConfigDict(", "pydantic2"), (b"from_attributes", "pydantic2"),
    (b"field_validator", "pydantic2"),
)  # fmt: skip
_REVISION = re.compile(rb"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(rb"^down_revision\s*(?::[^=\n]*)?=\s*(\([^)]*\)|[^\n]*)", re.M)
_QUOTED = re.compile(rb"['\"]([^'\"]+)['\"]")


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


def _table_true(data: bytes) -> bool:
    """Whether ``data`` holds ``table = True`` with ``table`` a whole word."""
    for match in _TABLE_TRUE.finditer(data):
        start = match.start()
        if start == 0 or data[start - 1] not in _WORD_BYTES:
            return True
    return False


def states_facts(data: bytes, *, plain: bool = False) -> bool:
    """Whether a module's bytes can hold a fact the facts keep (see _FACT_TOKENS).

    ``plain``: no strong token occurs in them (see `SourceFile.plain`).
    """
    tokens = _PLAIN_FACT_TOKENS if plain else _FACT_TOKENS
    return (
        any(token in data for token in tokens)
        or _table_true(data)
        or any(pattern.search(data) is not None for pattern in _FACT_PATTERNS)
    )


def _parse(
    corpus: Corpus, rel: str, data: bytes, digest: str, *, test: bool = False
) -> None:
    parsed = parse_bytes(data, digest)
    tree = parsed if isinstance(parsed, ast.Module) else None
    if tree is None:
        corpus.unparsable.append(rel)
    elif test:
        corpus.test_scans[rel] = scan_module(rel, tree)
    else:
        corpus.scans[rel] = scan_module(rel, tree, data)


def _test_file(corpus: Corpus, rel: str, data: bytes, digest: str) -> None:
    corpus.tests.append(rel)
    # Most tests are synchronous: two searches rule out four of the markers.
    gates = {b"anyio": b"anyio" in data, b"async": b"async" in data}
    for marker, key, gate in _TEST_MARKERS:
        if (gate is None or gates[gate]) and marker in data:
            corpus.count(corpus.test_markers, key)
    # A conftest is read for its client fixture alone.
    if rel.endswith("conftest.py") and b"client" in data and b"fixture" in data:
        _parse(corpus, rel, data, digest, test=True)


def _source_file(corpus: Corpus, rel: str, source: SourceFile) -> None:
    corpus.sources.append(rel)
    data = source.data
    if _PAGINATION_LIBRARY in data:
        corpus.count(corpus.hints, "fastapi-pagination")
    markers = _PLAIN_PARSE_MARKERS if source.plain else _PARSE_MARKERS
    if any(marker in data for marker in markers) and states_facts(
        data, plain=source.plain
    ):
        _parse(corpus, rel, data, source.digest)


def _read_file(corpus: Corpus, rel: str, source: SourceFile | None) -> None:
    if source is None or len(source.data) > MAX_PY_BYTES:
        corpus.unparsable.append(rel)
        return
    data, digest = source.data, source.digest
    if is_test_path(rel):
        _test_file(corpus, rel, data, digest)
    elif b"down_revision" not in data or not _revision(corpus, rel, data):
        _source_file(corpus, rel, source)


def read_corpus(files: list[str], sources: Mapping[str, SourceFile]) -> Corpus:
    """Sort every Python file once; parse only those that may hold facts.

    ``sources`` holds the bytes the project model read (one read per file);
    a file missing from it could not be read.
    """
    corpus = Corpus(files=list(files), texts=sources)
    with paused_gc():
        for rel in files:
            source = sources.get(rel)
            if source is None or len(source.data) > MAX_PY_BYTES:
                corpus.unparsable.append(rel)
            else:
                corpus.add(file_corpus(rel, source))
    return corpus


def file_corpus(rel: str, source: SourceFile) -> Corpus:
    """What one file adds to the corpus (once per `one_read`, see `remember`)."""
    return memo(_KIND, _key(rel, source), lambda: _file_corpus(rel, source))


def remember_file_corpus(rel: str, source: SourceFile, part: Corpus) -> None:
    """Keep what :func:`file_corpus` gives for a file, worked out elsewhere."""
    remember(_KIND, _key(rel, source), part)


_KIND = "corpus"


def _key(rel: str, source: SourceFile) -> str:
    return f"{rel}\0{source.digest}"


def _file_corpus(rel: str, source: SourceFile) -> Corpus:
    part = Corpus()
    _read_file(part, rel, source)
    return part


def parse_module(data: bytes) -> ast.Module | None:
    """Parse source bytes, or return None when they are not valid Python."""
    parsed = parse_data(data)
    return parsed if isinstance(parsed, ast.Module) else None


@dataclass(slots=True)
class Corpus:
    """Every Python file of a project; scans of parsed sources and conftests."""

    files: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    scans: dict[str, ModuleScan] = field(default_factory=dict)
    test_scans: dict[str, ModuleScan] = field(default_factory=dict)
    unparsable: list[str] = field(default_factory=list)
    revisions: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    test_markers: dict[str, int] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)
    # The bytes of every file read, by path: what is counted only on demand.
    texts: Mapping[str, SourceFile] = field(default_factory=dict)
    _pydantic: dict[str, int] | None = None

    def pydantic_hints(self) -> dict[str, int]:
        """How many sources show Pydantic 1 or 2 idioms (``pydantic1``/``2``).

        Counted on first use: most projects declare pydantic, and then no
        file is searched for them.
        """
        if self._pydantic is None:
            self._pydantic = {}
            for rel in self.sources:
                data = self.texts[rel].data
                if any(gate in data for gate in _HINT_GATES):
                    for marker, key in _HINTS:
                        if marker in data:
                            self.count(self._pydantic, key)
        return self._pydantic

    def count(self, table: dict[str, int], key: str, n: int = 1) -> None:
        """Add `n` to a counter table."""
        table[key] = table.get(key, 0) + n

    def add(self, part: Corpus) -> None:
        """Add what a file's own corpus holds (its `files` excepted)."""
        self.sources += part.sources
        self.tests += part.tests
        self.unparsable += part.unparsable
        self.scans.update(part.scans)
        self.test_scans.update(part.test_scans)
        self.revisions.update(part.revisions)
        for key, n in part.test_markers.items():
            self.count(self.test_markers, key, n)
        for key, n in part.hints.items():
            self.count(self.hints, key, n)
