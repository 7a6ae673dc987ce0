"""Project files: the walk, the byte prefilter and the content-keyed parse cache."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

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
    b"router",
    b"include_router",
    b"Depends",
    b"__tablename__",
    b"table=True",
    b"BaseSettings",
    b"declarative",
    b"peewee",
    b"Model)",
    b"Base)",
    b"mount(",
)

CACHE_VERSION = "model-parse-8"

_REVISION = re.compile(rb"^revision\b", re.M)
_WEAK_TOKENS = frozenset({b"Model)", b"fastapi"})
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
    if b"down_revision" in data and _REVISION.search(data):
        return False
    weak: list[bytes] = []
    for tok in RELEVANT_TOKENS:
        if tok in data:
            if tok not in _WEAK_TOKENS:
                return True
            weak.append(tok)
    if b"Model)" in weak and b"Model)" in data.replace(b"BaseModel)", b""):
        return True
    # ``from fastapi import HTTPException`` alone is a service or a helper; a
    # module that only imports its app still declares routes by decorator.
    return b"fastapi" in weak and _ROUTE_DECORATOR.search(data) is not None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Python file of the project, read once."""

    path: str
    data: bytes
    digest: str
    relevant: bool


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """Everything the walk found: Python sources and the paths of all files."""

    sources: tuple[SourceFile, ...]
    all_paths: frozenset[str]
    dirs: frozenset[str]


def walk_project(root: Path, *, ignore: frozenset[str] = frozenset()) -> ProjectFiles:
    """Walk ``root`` once, reading Python files and listing every other file.

    Files whose relative path is in ``ignore`` are left out, as if absent, and
    so are the folders that hold nothing else.
    """
    sources: list[SourceFile] = []
    paths: set[str] = set()
    dirs: set[str] = set()
    hidden: set[str] = set()
    base = str(root)
    for current, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")
        )
        rel_dir = os.path.relpath(current, base).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        if rel_dir:
            dirs.add(rel_dir)
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if rel in ignore:
                hidden.add(rel)
                continue
            paths.add(rel)
            if not name.endswith(".py"):
                continue
            try:
                with open(current + os.sep + name, "rb") as fh:  # noqa: PTH123 - hot loop
                    data = fh.read()
            except OSError:
                continue
            relevant = is_relevant(data)
            digest = hashlib.sha256(data).hexdigest()
            sources.append(SourceFile(rel, data, digest, relevant))
    if hidden:
        dirs -= _parents(hidden) - _parents(paths)
    return ProjectFiles(tuple(sources), frozenset(paths), frozenset(dirs))


def _parents(paths: set[str]) -> set[str]:
    """Every folder above the given relative paths."""
    return {p.rsplit("/", n)[0] for p in paths for n in range(1, p.count("/") + 1)}


def cache_folder(root: Path) -> Path:
    """Return the folder of the model's caches: `.planner/cache/model/`.

    A cache is derived data, so the folder ignores itself in git (as
    pytest's cache does); the rest of `.planner/` is the team's to commit.
    """
    return root / ".planner" / "cache" / "model"


def make_cache_folder(folder: Path) -> None:
    """Create the cache folder with a `.gitignore` that ignores everything in it."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# planner's project-model cache\n*\n", encoding="utf-8")


class ParseCache:
    """A JSON map from file digest to its parsed summary under ``.planner/cache``."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._file = cache_dir / f"{CACHE_VERSION}.json" if cache_dir else None
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
        """Whether summaries are kept on disk (no point encoding them otherwise)."""
        return self._file is not None

    def get(self, digest: str) -> object | None:
        """The cached summary of a file with this digest, if any."""
        return self._data.get(digest)

    def put(self, digest: str, value: object) -> None:
        """Remember a summary; written out by :meth:`save`."""
        self._data[digest] = value
        self._dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the cache atomically, keeping only digests still in the project."""
        if self._file is None:
            return
        stale = set(self._data) - keep
        if not self._dirty and not stale:
            return
        data = {k: v for k, v in self._data.items() if k in keep}
        try:
            make_cache_folder(self._file.parent)
            tmp = self._file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            tmp.replace(self._file)
        except OSError:
            # A read-only checkout still gets a model; it is only slower next time.
            return
