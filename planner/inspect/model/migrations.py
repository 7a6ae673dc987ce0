"""Migration trees: Alembic version folders, numbered scripts or migration functions."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from planner.inspect.alembic_ini import DEFAULT_TEMPLATE, IniSection, read_sections

from .names import Names, words
from .records import MigrationTree, PlannedRevision, ProjectModel, Resource, Targets

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .index import ProjectIndex

_TABLE = re.compile(rb"""(?:create_table|Table)\(\s*["'](\w+)["']""")
_NUMBERED = re.compile(r"^(?P<pre>[a-z_]*?)(?P<num>\d{3,})(?P<rest>_.*)?\.py$")
_DATED = re.compile(r"^(?P<date>[\d_]+?)_(?P<rev>[0-9a-f]{12})_(?P<slug>.+)\.py$")
# `migration_2026_07_03_add_tags.py`: numbered trees that moved to dates.
_DAY = re.compile(r"^(?P<pre>[a-z_]*?)(?P<date>\d{4}_\d{2}_\d{2})_(?P<slug>.+)\.py$")
_REV = re.compile(r"^(?P<rev>[0-9a-f]{12})_(?P<slug>.+)\.py$")
_FUNC = re.compile(rb"^(?:async[ \t]+)?def[ \t]+m\d{3}_", re.M)
_REVISION_ID = re.compile(rb"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(rb"^down_revision\s*(?::[^=\n]*)?=\s*(\([^)]*\)|[^\n]*)", re.M)
_QUOTED = re.compile(rb"['\"]([^'\"]+)['\"]")
# A `file_template` field: `%(rev)s`, `%(year)d`, `%(month).2d`.
_TOKEN = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[a-z]")
# Alembic cuts longer slugs (`truncate_slug_length`, 40 by default).
_SLUG_MAX = 40
# The revision id in a path named before the plan's spec is known.
REVISION = "<revision>"
_PLACEHOLDER = re.compile(r"<\w+>")
# A revision id that is a date and maybe a time: `2024_05_20_1432`, `20240520`.
_DATE_ID = re.compile(
    r"(?P<year>(?:19|20)\d\d)(?P<sep>[_-]?)(?P<month>\d\d)(?P=sep)(?P<day>\d\d)"
    r"(?:(?P<tsep>[_-]?)(?P<hour>\d\d)(?P<minute>\d\d)(?P<second>\d\d)?)?"
)


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
    sections = _ini_sections(root, index)
    for d in (d for section in sections for d in section.versions):
        if d in index.files.dirs:
            by_dir.setdefault(d, [])
    for d, items in sorted(by_dir.items()):
        trees.append(_alembic_tree(d, items, sections))
    return (*trees, *_numbered_trees(index, set(by_dir)))


def _numbered_trees(index: ProjectIndex, alembic: set[str]) -> list[MigrationTree]:
    """Folders of numbered migration modules (two or more), Alembic's aside."""
    numbered: dict[str, list[tuple[str, bytes]]] = {}
    for src in index.files.sources:
        d, name = posixpath.split(src.path)
        if "migration" in d.lower() and _NUMBERED.match(name) and d not in alembic:
            numbered.setdefault(d, []).append((src.path, src.data))
    return [
        MigrationTree(
            "numbered",
            d,
            tuple(sorted(p for p, _ in items)),
            _tables([b for _, b in items]),
        )
        for d, items in sorted(numbered.items())
        if len(items) >= 2
    ]


def _alembic_tree(
    folder: str, items: list[tuple[str, bytes]], sections: list[IniSection]
) -> MigrationTree:
    """An Alembic history: its heads and the ini configuration that holds it."""
    graph = [found for _, data in items if (found := _revision(data))]
    downs = {down for _, parents in graph for down in parents}
    # The section naming the folder, else one whose folder holds it (histories
    # side by side under one `versions/`, which the project's code picks).
    named = next((s for s in sections if folder in s.versions), None)
    holder = named or next(
        (s for s in sections if any(folder.startswith(f"{v}/") for v in s.versions)),
        None,
    )
    template, main = _template(holder, folder, [p for p, _ in items])
    heads = tuple(sorted({rev for rev, _ in graph} - downs))
    return MigrationTree(
        "alembic",
        folder,
        tuple(sorted(p for p, _ in items)),
        _tables([b for _, b in items]),
        heads=heads,
        config=holder.config if holder else None,
        section=named.name if named else None,
        template=template,
        main_template=main,
        next_revision=next_revision([rev for rev, _ in graph], heads),
    )


def _template(
    holder: IniSection | None, folder: str, files: list[str]
) -> tuple[str | None, bool]:
    """The `file_template` a tree's files are named by, and whether it is `[alembic]`'s.

    A named section without one of its own takes the `[alembic]` section's
    where most of the tree's files follow it. None where no ini holds it.
    """
    if holder is None:
        return None, False
    main = holder.main_template
    if main:
        shape = template_pattern(main)
        names = [p.removeprefix(f"{folder}/") for p in files]
        if names and 2 * sum(bool(shape.fullmatch(n)) for n in names) >= len(names):
            return main, True
    return holder.template, False


def template_pattern(template: str) -> re.Pattern[str]:
    """The file names a `file_template` gives: any revision, slug, date or time."""
    out, at = [], 0
    for match in _TOKEN.finditer(template):
        out.append(re.escape(template[at : match.start()]))
        out.append(r"[^/]+?" if match.group(1) == "slug" else r"\w+?")
        at = match.end()
    out.append(re.escape(template[at:]))
    return re.compile("".join(out) + r"\.py")


def _revision(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """A revision's id and the ids it revises, if the file declares one."""
    found = _REVISION_ID.search(data)
    if found is None:
        return None
    down = _DOWN.search(data)
    parents = _QUOTED.findall(down.group(1)) if down else []
    return found.group(1).decode(), tuple(p.decode() for p in parents)


def _tables(blobs: list[bytes]) -> tuple[str, ...]:
    return tuple(sorted({m.decode() for b in blobs for m in _TABLE.findall(b)}))


def _ini_sections(root: Path, index: ProjectIndex) -> list[IniSection]:
    """The configurations of every alembic.ini, `%(here)s` expanded."""
    found: list[IniSection] = []
    for rel in sorted(p for p in index.files.all_paths if p.endswith("alembic.ini")):
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found += read_sections(text, rel, index.files.all_paths)
    return found


def alembic_slug(message: str) -> str:
    """The `%(slug)s` Alembic makes of a `-m` message (before any truncation)."""
    return "_".join(re.findall(r"\w+", message)).lower()


def revision_message(words: tuple[str, ...]) -> str:
    """A `-m` message from words, short enough that Alembic keeps its whole slug."""
    kept: list[str] = []
    for word in words:
        if len(alembic_slug(" ".join([*kept, word]))) > _SLUG_MAX:
            break
        kept.append(word)
    return " ".join(kept or words[:1])


def revision_seed(spec: BaseModel) -> str:
    """What a plan's revision ids derive from: the spec's own keys.

    Its packs are left out: answering a pack's questions changes no migration.
    """
    data = spec.model_dump(mode="json", exclude={"packs"})
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def revision_id(seed: str, versions_dir: str, heads: tuple[str, ...]) -> str:
    """A 12-hex revision id of one plan's revision in one history.

    Derived from what the plan is made of (the spec, the folder and the heads
    it extends), never the clock: the same plan names the same file, and two
    plans, or two histories of one plan, name different ones.
    """
    text = "\0".join((seed, versions_dir, *heads))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def next_revision(ids: list[str], heads: tuple[str, ...]) -> str | None:
    """The id a history's own pattern gives its next revision, if it has one.

    Sequential numbers count on from the highest, as wide as the heads are
    written (`108` → `109`, `0042` → `0043`); dates keep their shape, each
    part a placeholder (`<year>_<month>_<day>`): a plan carries no clock. The
    pattern holds where every head and half the ids (the heads alone where
    the ids are unknown) follow it; None leaves Alembic's random ids.
    """
    ids = ids or list(heads)
    if not heads:
        return None
    dated = [_date_shape(h) for h in heads]
    if all(dated) and 2 * sum(bool(_date_shape(i)) for i in ids) >= len(ids):
        return _date_id(next(d for d in dated if d))
    numbers = [int(i) for i in ids if _is_number(i)]
    if not all(_is_number(h) for h in heads) or 2 * len(numbers) < len(ids):
        return None
    padded = [len(h) for h in heads if len(h) > 1 and h.startswith("0")]
    return f"{max(numbers) + 1:0{max(padded, default=0)}d}"


def _is_number(rev: str) -> bool:
    """A sequential id: ASCII digits, shorter than Alembic's 12 hex digits."""
    return rev.isascii() and rev.isdecimal() and len(rev) < 12


def _date_shape(rev: str) -> re.Match[str] | None:
    """A revision id that is a date (and a time), `2024_05_20_1432`, `20240520`."""
    found = _DATE_ID.fullmatch(rev)
    if found is None or not 1 <= int(found["month"]) <= 12:
        return None
    return found if 1 <= int(found["day"]) <= 31 else None


def _date_id(shape: re.Match[str]) -> str:
    """A date id's shape with a placeholder for each part."""
    out = f"<year>{shape['sep']}<month>{shape['sep']}<day>"
    if shape["hour"]:
        out += f"{shape['tsep']}<hour><minute>" + (
            "<second>" if shape["second"] else ""
        )
    return out


def new_migration_path(
    tree: MigrationTree,
    slug: str,
    dirs: frozenset[str],
    *,
    revision: str = REVISION,
) -> str:
    """The file of a new migration, in the tree's own pattern.

    An Alembic tree's name follows its ini's `file_template`; the parts only
    Alembic knows when it writes the file (the date and time) stay
    placeholders (`<year>`), never another revision's date.
    """
    del dirs
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
    if tree.system == "alembic":
        template = tree.template or _template_of(names, target_dir != tree.versions_dir)
        return f"{tree.versions_dir}/{_render(template, revision, slug)}.py"
    days = sorted((m["date"], m["pre"]) for n in names if (m := _DAY.match(n)))
    if days:
        # The newest day already used, not today's: plans carry no clock.
        return f"{target_dir}/{days[-1][1]}{days[-1][0]}_{slug}.py"
    nums = [
        (m.group("pre"), m.group("num")) for n in names if (m := _NUMBERED.match(n))
    ]
    pre, last = max(nums, key=lambda x: int(x[1]))
    return f"{target_dir}/{pre}{int(last) + 1:0{len(last)}d}_{slug}.py"


def _template_of(names: list[str], yearly: bool) -> str:
    """The file template a tree with no ini read follows: dated names keep a date."""
    dated = [n for n in names if _DATED.match(n)]
    stem = (
        "%(date)s_%(rev)s_%(slug)s"
        if dated and len(dated) * 2 >= len(names)
        else (DEFAULT_TEMPLATE)
    )
    return f"%(year)d/{stem}" if yearly else stem


def _render(template: str, revision: str, slug: str) -> str:
    """A `file_template` filled in: the date and time parts as placeholders."""

    def part(match: re.Match[str]) -> str:
        name = match.group(1)
        return {"rev": revision, "slug": slug}.get(name, f"<{name}>")

    return _TOKEN.sub(part, template)


def plan_migration(
    model: ProjectModel,
    ex: Resource,
    new: Names,
    add: object,
    *,
    table: tuple[str, ...] = (),
) -> None:
    """A new table's revision in each tree that holds the exemplar's table.

    Named for the table: its words where given, else the plural's.
    """
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
    message = revision_message(("add", *(table or new.plural)))
    for t in trees:
        if callable(add):
            add(
                new_migration_path(t, alembic_slug(message), model.dirs),
                "migration",
                f"new table in `{t.versions_dir}`",
                own=True,
                message=message,
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


def with_revisions(targets: Targets, model: ProjectModel, seed: str) -> Targets:
    """The targets with each new Alembic revision's id, derived from `seed`.

    Paths are named before the spec is known (`<revision>_add_tags.py`); the
    spec's content gives each history its own id, which the plan passes to
    `alembic revision --rev-id`.
    """
    files = list(targets.files)
    renamed: dict[str, str] = {}
    planned: list[PlannedRevision] = []
    for i, target in enumerate(files):
        tree = _tree_of(model, target.path)
        if tree is None or target.role != "migration" or target.action != "create":
            continue
        revision = tree.next_revision or revision_id(
            seed, tree.versions_dir, tree.heads
        )
        path = renamed[target.path] = target.path.replace(REVISION, revision)
        files[i] = dataclasses.replace(target, path=path)
        # The name's own words: the placeholders of the date and time aside.
        stem = _PLACEHOLDER.sub("_", posixpath.basename(target.path))
        planned.append(
            PlannedRevision(
                path=path,
                versions_dir=tree.versions_dir,
                revision=revision,
                message=target.message
                or " ".join(re.findall(r"[^\W_]+", stem.removesuffix(".py"))),
                heads=tree.heads,
                config=tree.config,
                section=tree.section,
                main_template=tree.main_template,
            )
        )
    if not planned:
        return targets
    slots = tuple((name, renamed.get(value, value)) for name, value in targets.slots)
    return dataclasses.replace(
        targets, files=tuple(files), slots=slots, revisions=tuple(planned)
    )


def _tree_of(model: ProjectModel, path: str) -> MigrationTree | None:
    """The Alembic tree a new file goes to: the deepest folder holding it."""
    holding = [
        t
        for t in model.migrations
        if t.system == "alembic" and path.startswith(f"{t.versions_dir}/")
    ]
    return max(holding, key=lambda t: len(t.versions_dir), default=None)
