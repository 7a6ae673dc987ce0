"""List a project's relevant files, skipping environments, caches and builds."""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules", "__pycache__",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
    "build", "dist", "htmlcov", ".eggs",
})  # fmt: skip
CONFIG_NAMES = frozenset({
    "pyproject.toml", "uv.lock", "poetry.lock", "Pipfile", "Pipfile.lock",
    "alembic.ini", "package.json", "openapi.json", "pytest.ini", "setup.cfg",
})  # fmt: skip
# Config files named by a glob, as (start, end): `requirements*.txt` and so on.
CONFIG_GLOBS = (
    ("requirements", ".txt"),
    ("requirements", ".in"),
    ("openapi-ts.config.", ""),
)
# Files an OpenAPI client generator writes; their folder is the generated client.
CLIENT_MARKERS = frozenset({"sdk.gen.ts", "types.gen.ts", "OpenAPI.ts", "request.ts"})
MAX_DEPTH = 32


@dataclass(slots=True)
class Listing:
    """The files of a project that inspection cares about, relative and sorted."""

    python: list[str] = field(default_factory=list)
    config: list[str] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    client_markers: list[str] = field(default_factory=list)
    mako: list[str] = field(default_factory=list)

    def sort(self) -> None:
        """Sort every list so the order never depends on the file system."""
        for items in (self.python, self.config, self.sql, self.client_markers):
            items.sort()
        self.mako.sort()


def is_requirements(rel: str) -> bool:
    """A pip requirements file: `requirements*.txt`, or a `.txt` in `requirements/`.

    Projects that split their pins by purpose keep them as
    `requirements/default.txt`, `requirements/dev.txt`.
    """
    folder, _, name = rel.rpartition("/")
    if name.startswith("requirements") and name.endswith((".txt", ".in")):
        return True
    return folder.rpartition("/")[2] == "requirements" and name.endswith(
        (".txt", ".in")
    )


def _is_config(name: str) -> bool:
    return name in CONFIG_NAMES or any(
        name.startswith(start)
        and name.endswith(end)
        and len(name) >= len(start) + len(end)
        for start, end in CONFIG_GLOBS
    )


def _file(listing: Listing, rel: str, name: str) -> None:
    if name.endswith(".py"):
        listing.python.append(rel)
    elif name.endswith(".sql"):
        listing.sql.append(rel)
    elif name in CLIENT_MARKERS:
        listing.client_markers.append(rel)
    elif name == "script.py.mako":
        listing.mako.append(rel)
    elif _is_config(name) or is_requirements(rel):
        listing.config.append(rel)


def _skip_dir(name: str) -> bool:
    return name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg-info")


def listing_from(paths: Iterable[str], links: Container[str] = ()) -> Listing:
    """Sort the files of a whole-tree listing into what inspection reads.

    Files under hidden folders, virtual environments and folders deeper than
    ``MAX_DEPTH`` are left out, as are the symbolic ``links``.
    """
    paths = list(paths)
    venvs = {p.rpartition("/")[0] for p in paths if p.endswith("/pyvenv.cfg")}
    listing = Listing()
    # Asked once per folder: a large tree has a few files per folder.
    hidden: dict[str, bool] = {"": False}
    for rel in paths:
        folder, _, name = rel.rpartition("/")
        if folder not in hidden:
            hidden[folder] = _hidden(folder, venvs)
        if rel in links or hidden[folder]:
            continue
        _file(listing, rel, name)
    listing.sort()
    return listing


def _hidden(folder: str, venvs: set[str]) -> bool:
    parts = folder.split("/")
    if len(parts) > MAX_DEPTH or any(_skip_dir(part) for part in parts):
        return True
    return bool(venvs) and any(
        "/".join(parts[:k]) in venvs for k in range(1, len(parts) + 1)
    )
