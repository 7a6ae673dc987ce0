"""Migration trees: Alembic version folders, numbered scripts or migration functions."""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .names import Names, words
from .records import MigrationTree, ProjectModel, Resource

if TYPE_CHECKING:
    from .index import ProjectIndex

_TABLE = re.compile(rb"""(?:create_table|Table)\(\s*["'](\w+)["']""")
_NUMBERED = re.compile(r"^(?P<pre>[a-z_]*?)(?P<num>\d{3,})(?P<rest>_.*)?\.py$")
_DATED = re.compile(r"^(?P<date>[\d_]+?)_(?P<rev>[0-9a-f]{12})_(?P<slug>.+)\.py$")
# `migration_2026_07_03_add_tags.py`: numbered trees that moved to dates.
_DAY = re.compile(r"^(?P<pre>[a-z_]*?)(?P<date>\d{4}_\d{2}_\d{2})_(?P<slug>.+)\.py$")
_REV = re.compile(r"^(?P<rev>[0-9a-f]{12})_(?P<slug>.+)\.py$")
_FUNC = re.compile(rb"^(?:async[ \t]+)?def[ \t]+m\d{3}_", re.M)


def read_migrations(root: Path, index: ProjectIndex) -> tuple[MigrationTree, ...]:
    """Every migration tree with its files and the tables its files name."""
    by_dir: dict[str, list[tuple[str, bytes]]] = {}
    trees: list[MigrationTree] = []
    for src in index.files.sources:
        d, name = posixpath.split(src.path)
        if b"down_revision" in src.data and b"revision" in src.data:
            # Year folders (versions/2024/...) belong to the tree above them.
            key = (
                posixpath.dirname(d)
                if re.fullmatch(r"\d{4}", posixpath.basename(d))
                else d
            )
            by_dir.setdefault(key, []).append((src.path, src.data))
        elif name == "migrations.py" and _FUNC.search(src.data):
            trees.append(
                MigrationTree("functions", src.path, (src.path,), _tables([src.data]))
            )
    for d in _ini_locations(root, index):
        by_dir.setdefault(d, [])
    for d, items in sorted(by_dir.items()):
        trees.append(
            MigrationTree(
                "alembic",
                d,
                tuple(sorted(p for p, _ in items)),
                _tables([b for _, b in items]),
            )
        )
    numbered: dict[str, list[tuple[str, bytes]]] = {}
    for src in index.files.sources:
        d, name = posixpath.split(src.path)
        if "migration" in d.lower() and _NUMBERED.match(name) and d not in by_dir:
            numbered.setdefault(d, []).append((src.path, src.data))
    for d, items in sorted(numbered.items()):
        if len(items) >= 2:
            trees.append(
                MigrationTree(
                    "numbered",
                    d,
                    tuple(sorted(p for p, _ in items)),
                    _tables([b for _, b in items]),
                )
            )
    return tuple(trees)


def _tables(blobs: list[bytes]) -> tuple[str, ...]:
    return tuple(sorted({m.decode() for b in blobs for m in _TABLE.findall(b)}))


def _ini_locations(root: Path, index: ProjectIndex) -> list[str]:
    """Version folders named by alembic.ini, ``%(here)s`` expanded, that exist."""
    import configparser  # only when the model is read, not when planning from it

    out: list[str] = []
    for rel in sorted(p for p in index.files.all_paths if p.endswith("alembic.ini")):
        here = posixpath.dirname(rel)
        cp = configparser.ConfigParser(interpolation=None)
        try:
            cp.read_string((root / rel).read_text(encoding="utf-8", errors="replace"))
        except (OSError, configparser.Error):
            continue
        for section in cp.sections():
            loc = cp.get(section, "script_location", fallback="")
            extra = cp.get(section, "version_locations", fallback="")
            cands = [f"{loc}/versions"] if loc else []
            cands += re.split(r"[\s,;:]+", extra.strip()) if extra.strip() else []
            for c in cands:
                c = c.replace("%(here)s", here or ".").replace(
                    "%(script_location)s", loc
                )
                norm = posixpath.normpath(
                    posixpath.join(here, c) if not c.startswith(here) else c
                )
                norm = norm.removeprefix("./")
                if norm in index.files.dirs and "%(" not in norm:
                    out.append(norm)
    return out


def new_migration_path(tree: MigrationTree, slug: str, dirs: frozenset[str]) -> str:
    """A placeholder-free file name for a new migration, in the tree's own pattern."""
    rev = hashlib.sha256(slug.encode()).hexdigest()[:12]
    if tree.system == "functions":
        return tree.versions_dir
    newest = sorted(
        tree.files, key=lambda p: (posixpath.dirname(p), posixpath.basename(p))
    )
    target_dir = posixpath.dirname(newest[-1]) if newest else tree.versions_dir
    # The newest folder's names: a tree kept in yearly folders (`2025/`,
    # `2026/`) numbers and dates its files within each.
    names = [
        posixpath.basename(p) for p in newest if posixpath.dirname(p) == target_dir
    ]
    days = sorted((m["date"], m["pre"]) for n in names if (m := _DAY.match(n)))
    if tree.system == "numbered" and days:
        # The newest day already used, not today's: plans carry no clock.
        return f"{target_dir}/{days[-1][1]}{days[-1][0]}_{slug}.py"
    if tree.system == "numbered":
        nums = [
            (m.group("pre"), m.group("num")) for n in names if (m := _NUMBERED.match(n))
        ]
        pre, last = max(nums, key=lambda x: int(x[1]))
        return f"{target_dir}/{pre}{int(last) + 1:0{len(last)}d}_{slug}.py"
    dated = [m for n in sorted(names) if (m := _DATED.match(n))]
    if dated and len(dated) * 2 >= len(names):
        return f"{target_dir}/{dated[-1].group('date')}_{rev}_{slug}.py"
    return f"{target_dir}/{rev}_{slug}.py"


def plan_migration(model: ProjectModel, ex: Resource, new: Names, add: object) -> None:
    """A new table's revision in each tree that holds the exemplar's table."""
    trees = [t for t in model.migrations if set(t.tables) & set(ex.tables)]
    if not trees:
        # Tables named like the exemplar (``fief_users`` for ``users``).
        names = Names.guess(ex.plural)
        trees = [t for t in model.migrations if _names_table(t.tables, names)]
    if not trees:
        alembic = [t for t in model.migrations if t.system != "functions"]
        pool = sorted(alembic or list(model.migrations), key=lambda t: -len(t.files))
        # Trees kept side by side for several databases (``versions/postgresql``
        # and ``versions/sqlite``) hold the same tables: each gets a revision.
        trees = [t for t in pool if pool and _same_tables(t, pool[0])]
    slug = "add_" + "_".join(new.plural)
    for t in trees:
        if callable(add):
            add(
                new_migration_path(t, slug, model.dirs),
                "migration",
                f"new table in `{t.versions_dir}`",
                own=True,
            )


def _same_tables(a: MigrationTree, b: MigrationTree) -> bool:
    """Whether two trees hold (nearly) the same tables: one per database."""
    if a is b:
        return True
    both, either = set(a.tables) & set(b.tables), set(a.tables) | set(b.tables)
    return bool(either) and len(both) * 10 >= len(either) * 9


def _names_table(tables: tuple[str, ...], names: Names) -> bool:
    """Whether a tree holds the table of ``names``, past a tree-wide table prefix."""
    split = [words(t) for t in tables]
    heads = {w[0] for w in split if w}
    strip = 1 if len(split) > 1 and len(heads) == 1 else 0
    return any(w[strip:] in (names.plural, names.singular) for w in split)
