"""Project files: the walk, the byte prefilter and the content-keyed parse cache."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from planner import __version__

# Folders that never hold the project's own code; pruning them keeps the walk cheap.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "env",
        ".env",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "build",
        "dist",
        "site-packages",
        ".eggs",
        ".planner",
        ".idea",
        ".vscode",
    }
)

# A module is parsed only when its bytes mention one of these: routing, tables,
# settings, dependencies or migrations. Everything else is scanned for imports only.
RELEVANT_TOKENS = (
    b"fastapi",
    b"FastAPI",
    b"Router",
    b"router",  # include_router too
    b"Depends",
    b"__tablename__",
    b"table=True",
    b"BaseSettings",
    b"declarative",
    b"peewee",
    b"Model)",
    b"Base)",
    # A table its base names writes no `__tablename__`, and may list a mixin
    # after its base (`class Term(Base, ProjectMixin)`): its columns show it.
    b"olumn(",
    b"mount(",
)

CACHE_VERSION = "model-parse-17"


@cache
def code_digest() -> str:
    """Digest of the code that reads a project: a new planner reads anew.

    Every cache of what planner read is keyed by it, so an entry written by
    other code (one that scans a file otherwise) is never read back.
    """
    package = Path(__file__).parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def drop_others(kept: Path, shape: str) -> None:
    """Remove the files beside `kept` whose names have `shape` (a regex).

    What another planner version wrote there is never read again.
    """
    rx = re.compile(shape)
    for path in kept.parent.iterdir():
        if path != kept and rx.fullmatch(path.name):
            path.unlink(missing_ok=True)


_REVISION = re.compile(rb"^revision\b", re.M)
_WEAK_TOKENS = frozenset({b"Model)", b"fastapi"})
# The tokens one of which makes a module relevant on its own.
STRONG_TOKENS = tuple(t for t in RELEVANT_TOKENS if t not in _WEAK_TOKENS)
_OUTER_TOKENS = frozenset({b"Router", b"router"})
_ROUTE_DECORATOR = re.compile(
    rb"@\w+\.(?:get|post|put|patch|delete|api_route|websocket|route)\("
)


def is_relevant(data: bytes) -> bool:
    """Whether a module is worth a full parse (else its imports are scanned).

    Alembic revision scripts are read by the migration scanner from their bytes,
    a module whose only hint is a pydantic ``BaseModel`` subclass holds
    schemas, whose class names the cheap scan already lists, and one that
    only imports from fastapi without declaring a route is a helper.
    """
    return relevance(data)[0]


def relevance(data: bytes) -> tuple[bool, bool]:
    """:func:`is_relevant`, and whether no :data:`STRONG_TOKENS` occurs in ``data``.

    The second comes free when the test runs to its end: it has then searched
    for every strong token. Other readers of the bytes skip their own searches
    for what holds one (``APIRouter`` holds ``Router``). It is False when
    unknown (a revision script is never searched).
    """
    if b"down_revision" in data and _REVISION.search(data):
        return False, False
    weak: list[bytes] = []
    # "Router" and "router" share "outer": one search rules both out at once.
    has_outer = b"outer" in data
    for tok in RELEVANT_TOKENS:
        if tok in _OUTER_TOKENS and not has_outer:
            continue
        if tok in data:
            if tok not in _WEAK_TOKENS:
                return True, False
            weak.append(tok)
    if b"Model)" in weak and b"Model)" in data.replace(b"BaseModel)", b""):
        return True, True
    # ``from fastapi import HTTPException`` alone is a service or a helper; a
    # module that only imports its app still declares routes by decorator.
    return b"fastapi" in weak and _ROUTE_DECORATOR.search(data) is not None, True


def without_strong(tokens: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """The tokens that may still occur where no strong token does.

    A token holding a strong one (``APIRouter`` holds ``Router``) cannot.
    """
    return tuple(t for t in tokens if not any(s in t for s in STRONG_TOKENS))


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Python file of the project, read once."""

    path: str
    data: bytes
    digest: str
    relevant: bool
    # No strong token occurs in the bytes (False when unknown): see `relevance`.
    plain: bool = False


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """Everything the walk found: Python sources and the paths of all files."""

    sources: tuple[SourceFile, ...]
    all_paths: frozenset[str]
    dirs: frozenset[str]


@dataclass(frozen=True, slots=True)
class TreeListing:
    """Every file of a project, listed once with its size and modification time.

    ``files`` is in walk order (a folder's files, then its subfolders, each
    sorted by name); ``links`` are the symbolic links among them, never read.
    ``digest`` covers every path, size and modification time: a cache key.
    ``error`` says why the project folder itself could not be listed.
    """

    files: tuple[str, ...]
    links: frozenset[str]
    dirs: frozenset[str]
    digest: str
    error: str | None = None


def _skip(name: str) -> bool:
    return name in SKIP_DIRS or name.endswith(".egg-info")


def _listed(entry: os.DirEntry[str]) -> str | None:
    """What a folder entry is for the listing: ``dir``, ``file``, ``link`` or None.

    A linked folder is neither walked nor a file; a pipe, socket or device
    (opening a pipe waits for a writer) and an entry that vanished or cannot
    be examined are left out.
    """
    try:
        if entry.is_dir(follow_symlinks=False):
            return None if _skip(entry.name) else "dir"
        if entry.is_symlink():
            return None if entry.is_dir() else "link"
        return "file" if entry.is_file(follow_symlinks=False) else None
    except OSError:
        return None


def _by_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def list_tree(root: Path) -> TreeListing:
    """List ``root`` with ``os.scandir`` (symlinks never followed), stats included.

    The digest covers each file's path, size, modification time and inode:
    a file edited, replaced or touched changes it.
    """
    files: list[str] = []
    links: set[str] = set()
    dirs: set[str] = set()
    keys: list[str] = []
    stack: list[tuple[str, str]] = [(os.fspath(root), "")]
    while stack:
        current, rel = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=_by_name)
        except OSError as err:
            if not rel:
                return TreeListing((), frozenset(), frozenset(), "", err.strerror or "")
            continue
        if rel:
            dirs.add(rel)
        prefix = f"{rel}/" if rel else ""
        subdirs: list[tuple[str, str]] = []
        for entry in entries:
            kind = _listed(entry)
            if kind is None:
                continue
            name = prefix + entry.name
            if kind == "dir":
                subdirs.append((entry.path, name))
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if kind == "link":
                links.add(name)
            files.append(name)
            keys.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}")
        stack.extend(reversed(subdirs))
    # One hash over all keys: far cheaper than an update per file. Names that
    # are not valid UTF-8 reach Python as surrogates; they hash as their bytes.
    text = "\n".join(keys).encode("utf-8", "surrogateescape")
    return TreeListing(
        tuple(files),
        frozenset(links),
        frozenset(dirs),
        hashlib.sha256(text).hexdigest(),
    )


def without(tree: TreeListing, ignore: frozenset[str]) -> TreeListing:
    """``tree`` with the files in ``ignore`` left out, as if absent.

    So are the folders that held nothing else. The digest covers ``ignore``
    too, so a partial view never shares a cache key with the whole tree.
    """
    hidden = {rel for rel in tree.files if rel in ignore}
    if not hidden:
        return tree
    files = tuple(rel for rel in tree.files if rel not in hidden)
    dirs = tree.dirs - (_parents(hidden) - _parents(set(files)))
    digest = hashlib.sha256(tree.digest.encode())
    for rel in sorted(hidden):
        digest.update(f"\0{rel}".encode())
    return TreeListing(files, tree.links - hidden, dirs, digest.hexdigest(), tree.error)


def walk_project(
    root: Path,
    listing: TreeListing | None = None,
    *,
    ignore: frozenset[str] = frozenset(),
    store: ParseCache | None = None,
) -> ProjectFiles:
    """Read every Python file of ``root`` once (of ``listing`` when given).

    Files whose relative path is in ``ignore`` are left out, as if absent, and
    so are the folders that hold nothing else. Each file's :func:`relevance`
    is read back from ``store`` when it holds the file's, else kept there.
    """
    tree = without(listing if listing is not None else list_tree(root), ignore)
    sources: list[SourceFile] = []
    base = os.fspath(root) + os.sep
    for rel in tree.files:
        if not rel.endswith(".py") or rel in tree.links:
            continue
        try:
            with open(base + rel, "rb") as fh:  # noqa: PTH123 - hot loop
                data = fh.read()
        except OSError:
            continue
        digest = hashlib.sha256(data).hexdigest()
        relevant, plain = _relevance(data, digest, store)
        sources.append(SourceFile(rel, data, digest, relevant, plain))
    return ProjectFiles(tuple(sources), frozenset(tree.files), tree.dirs)


def _relevance(data: bytes, digest: str, store: ParseCache | None) -> tuple[bool, bool]:
    """:func:`relevance`, kept under the digest of the bytes it depends on alone."""
    if store is None:
        return relevance(data)
    key = f"{digest}v"
    found = store.get(key)
    if (
        isinstance(found, list)
        and len(found) == 2
        and all(isinstance(v, bool) for v in found)
    ):
        return found[0], found[1]
    relevant, plain = relevance(data)
    store.put(key, [relevant, plain])
    return relevant, plain


def _parents(paths: set[str]) -> set[str]:
    """Every folder above the given relative paths."""
    return {p.rsplit("/", n)[0] for p in paths for n in range(1, p.count("/") + 1)}


def cache_folder(root: Path) -> Path:
    """Return the folder of the model's caches: `.planner/cache/model/`.

    A cache is derived data, so the folder ignores itself in git (as
    pytest's cache does); the rest of `.planner/` is the team's to commit.
    """
    return root / ".planner" / "cache" / "model"


def cache_text(value: object) -> str:
    """The compact JSON text of a cache's content.

    The content is built from frozen records, lists and dicts made for this
    write alone, so it holds no cycle: the encoder's cycle check is skipped.
    """
    return json.dumps(value, separators=(",", ":"), check_circular=False)


def make_cache_folder(folder: Path) -> None:
    """Create the cache folder with a `.gitignore` that ignores everything in it."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# planner's project-model cache\n*\n", encoding="utf-8")


def parse_cache_name() -> str:
    """The name of the parse cache's file: the cache's version, the code's digest."""
    return f"{CACHE_VERSION}-{code_digest()[:12]}.json"


class ParseCache:
    """A JSON map from a file's digest and how it was read to what was read.

    Every key starts with the file's digest (64 hex digits), then a letter
    for the reading and what else its result depends on (the module name of
    a summary, the path of the facts' share). One file per version of the
    code that reads (:func:`code_digest`), so no entry outlives its reader.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self._file = cache_dir / parse_cache_name() if cache_dir else None
        self._data: dict[str, object] = {}
        self._dirty = False
        if self._file is not None and self._file.is_file():
            try:
                loaded = json.loads(self._file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            if isinstance(loaded, dict):
                self._data = loaded

    @property
    def enabled(self) -> bool:
        """Whether entries are kept on disk (no point encoding them otherwise)."""
        return self._file is not None

    def get(self, key: str) -> object | None:
        """The cached entry under this key, if any."""
        return self._data.get(key)

    def put(self, key: str, value: object) -> None:
        """Remember an entry; written out by :meth:`save`."""
        self._data[key] = value
        self._dirty = True

    def save(self, digests: set[str]) -> None:
        """Write the cache atomically, keeping the entries of these digests only.

        An entry lives as long as a file of its bytes: readers of the same
        project (the facts, the model) each keep their own entries.
        """
        if self._file is None:
            return
        data = {k: v for k, v in self._data.items() if k[:64] in digests}
        if not self._dirty and len(data) == len(self._data):
            return
        self._data, self._dirty = data, False
        try:
            make_cache_folder(self._file.parent)
            tmp = self._file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(cache_text(data), encoding="utf-8")
            tmp.replace(self._file)
            drop_others(self._file, r"model-parse-\d+(-[0-9a-f]{12})?\.json")
        except OSError:
            # A read-only checkout still gets a model; it is only slower next time.
            return


def calls_any(data: bytes, names: list[str]) -> bool:
    """Whether ``data`` calls one of ``names`` (``name(`` as a whole word).

    A plain search per name: one pattern of alternatives starting with a word
    boundary costs a regular-expression attempt at every byte of the file.
    """
    for name in names:
        needle = name.encode() + b"("
        i = data.find(needle)
        while i >= 0:
            before = data[i - 1 : i]
            if not (before.isalnum() or before == b"_"):
                return True
            i = data.find(needle, i + 1)
    return False
