"""Read every Python file once, cheaply, and parse only those that may hold facts."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.inspect.model.codec import decode, encode
from planner.inspect.model.files import ParseCache, SourceFile, without_strong
from planner.inspect.model.shared import memo, parse_bytes, parse_data, paused_gc
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


def _revision(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """A revision script's revision and the revisions it follows, else None."""
    revision = _REVISION.search(data)
    if revision is None or b"def upgrade" not in data:
        return None
    down = _DOWN.search(data)
    downs = tuple(
        item.decode("utf-8", "replace")
        for item in (_QUOTED.findall(down.group(1)) if down else [])
    )
    return revision.group(1).decode("utf-8", "replace"), downs


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


@dataclass(frozen=True, slots=True)
class FileShare:
    """What one Python file adds to the corpus: a function of its path and bytes.

    Kept in the parse cache (see :func:`file_share`), so a run after an edit
    reads only the files that changed.
    """

    kind: str  # "source", "test" or "revision"
    # The hints (of a source) or test markers (of a test) it counts, each time.
    counts: tuple[str, ...] = ()
    scan: ModuleScan | None = None  # of a source worth parsing, or a conftest
    unparsable: bool = False
    revision: tuple[str, tuple[str, ...]] | None = None


def _parsed(
    kind: str, rel: str, source: SourceFile, counts: tuple[str, ...]
) -> FileShare:
    parsed = parse_bytes(source.data, source.digest)
    if not isinstance(parsed, ast.Module):
        return FileShare(kind, counts, unparsable=True)
    return FileShare(kind, counts, scan_module(rel, parsed))


def _test_share(rel: str, source: SourceFile) -> FileShare:
    data = source.data
    # Most tests are synchronous: two searches rule out four of the markers.
    gates = {b"anyio": b"anyio" in data, b"async": b"async" in data}
    counts = tuple(
        key
        for marker, key, gate in _TEST_MARKERS
        if (gate is None or gates[gate]) and marker in data
    )
    # A conftest is read for its client fixture alone.
    if rel.endswith("conftest.py") and b"client" in data and b"fixture" in data:
        return _parsed("test", rel, source, counts)
    return FileShare("test", counts)


def _source_share(rel: str, source: SourceFile) -> FileShare:
    data = source.data
    counts = ("fastapi-pagination",) if _PAGINATION_LIBRARY in data else ()
    markers = _PLAIN_PARSE_MARKERS if source.plain else _PARSE_MARKERS
    if any(marker in data for marker in markers) and states_facts(
        data, plain=source.plain
    ):
        return _parsed("source", rel, source, counts)
    return FileShare("source", counts)


def _share(rel: str, source: SourceFile) -> FileShare:
    if is_test_path(rel):
        return _test_share(rel, source)
    if b"down_revision" in source.data:
        revision = _revision(source.data)
        if revision is not None:
            return FileShare("revision", revision=revision)
    return _source_share(rel, source)


def read_corpus(
    files: list[str],
    sources: Mapping[str, SourceFile],
    store: ParseCache | None = None,
) -> Corpus:
    """Sort every Python file once; parse only those that may hold facts.

    ``sources`` holds the bytes the project model read (one read per file);
    a file missing from it could not be read. Each file's share is kept in
    ``store`` when one is given, and read back from it while its bytes last.
    """
    corpus = Corpus(files=list(files), texts=sources)
    with paused_gc():
        for rel in files:
            source = sources.get(rel)
            if source is None or len(source.data) > MAX_PY_BYTES:
                corpus.unparsable.append(rel)
            else:
                corpus.add(rel, file_share(rel, source, store))
    if store is not None:
        store.save({src.digest for src in sources.values()})
    return corpus


def file_share(
    rel: str, source: SourceFile, store: ParseCache | None = None
) -> FileShare:
    """What one file adds to the corpus, made once per `one_read`.

    From ``store`` when it holds the file's share, else read and kept there.
    The share depends on the path (tests, the scan's path) as on the bytes:
    the key holds both.
    """
    return memo(
        "corpus",
        f"{rel}\0{source.digest}",
        lambda: _stored_share(rel, source, store),
    )


def share_key(rel: str, digest: str) -> str:
    """A file's share's key in the parse cache: its bytes' digest and its path."""
    return f"{digest}c{rel}"


def _stored_share(rel: str, source: SourceFile, store: ParseCache | None) -> FileShare:
    key = share_key(rel, source.digest)
    found = store.get(key) if store is not None else None
    if found is not None:
        try:
            share: FileShare = decode(FileShare, found)
        except (TypeError, ValueError, KeyError, IndexError):
            pass  # a damaged entry: read the file again
        else:
            return share
    share = _share(rel, source)
    if store is not None and store.enabled:
        store.put(key, encode(share))
    return share


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

    def add(self, rel: str, share: FileShare) -> None:
        """Add what the file at `rel` holds (see :func:`file_share`)."""
        if share.revision is not None:
            self.revisions[rel] = share.revision
            return
        test = share.kind == "test"
        (self.tests if test else self.sources).append(rel)
        table = self.test_markers if test else self.hints
        for key in share.counts:
            self.count(table, key)
        if share.scan is not None:
            (self.test_scans if test else self.scans)[rel] = share.scan
        if share.unparsable:
            self.unparsable.append(rel)
