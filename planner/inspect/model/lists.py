"""Lists a new resource joins that name their entries, not import them.

A package ``__init__.py`` importing every module of its folder, a test
module spelling every resource's served paths, a database interface with an
accessor per table, a module of sort orders (``FlowSort``, ``LogSort``): none
imports the siblings' own modules, so the sibling search of
:mod:`.registries` never meets them. Each is found by what it names.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .names import Names, words
from .records import ProjectModel, Registry, Resource, Target
from .roles import is_test_path

if TYPE_CHECKING:
    from .index import ProjectIndex

# The patterns of the lists below, as `Registry.pattern`.
ROUTE_PATHS = "<served paths>"
ENTITIES = "<Entity>"
SORTS = "<Entity>Sort"

# Roles of the own modules a new resource gets a copy of (`analogy._MIRRORED`).
_LAYERS = frozenset({"router", "service", "model", "schema", "dependency", "domain"})


def read_lists(
    index: ProjectIndex, resources: Iterable[Resource], tables: Iterable[str]
) -> list[Registry]:
    """Every list of this module's kinds in the project."""
    resources = tuple(resources)
    entities = _entities(resources, tables)
    return [
        *package_registries(index),
        *path_lists(index, [res.served_prefix for res in resources]),
        *entity_lists(index, resources),
        *sort_lists(index, entities),
    ]


def package_registries(index: ProjectIndex) -> list[Registry]:
    """Every package ``__init__.py`` that imports nearly all modules of its folder.

    ``schema/group/__init__.py`` re-exporting each ``schema/group/*.py``
    lists its folder whatever the modules stand for: a module created there
    joins it. An empty one (or one importing a few helpers) lists nothing.
    """
    out: list[Registry] = []
    for path, omod in sorted(index.module_of.items()):
        if (
            not path.endswith("/__init__.py")
            or index.path_of.get(omod) != path
            or is_test_path(path)
        ):
            continue
        folder = path.removesuffix("/__init__.py")
        mods = {
            index.module_of[p]
            for p in index.paths_starting(folder + "/")
            if "/" not in p[len(folder) + 1 :] and p != path
        }
        named = len(index.module_refs(omod) & mods)
        if named and named * 4 >= len(mods) * 3:
            out.append(Registry(path, "package", f"{folder}/*.py", named, len(mods)))
    return out


def path_lists(index: ProjectIndex, prefixes: Iterable[str]) -> list[Registry]:
    """Test support modules that spell the served paths of most resources.

    ``tests/utils/routes.py`` with ``groups_labels = "/api/groups/labels"``
    for nearly every resource: a new resource's tests reach it the same way,
    so its paths join them. A prefix with a parameter is no constant there.
    """
    wanted = sorted({p for p in prefixes if len(p) > 1 and "{" not in p})
    if len(wanted) < 3:
        return []
    out: list[Registry] = []
    for path, mod in sorted(index.module_of.items()):
        base = posixpath.basename(path)
        if (
            index.path_of.get(mod) != path
            or not is_test_path(path)
            or base.startswith("test_")
            or base.endswith("_test.py")
        ):
            continue
        data = index.source(path)
        if b'"/' not in data and b"'/" not in data:
            continue
        named = sum(1 for p in wanted if _spells(data, p.encode()))
        if named * 4 >= len(wanted) * 3:
            out.append(Registry(path, "paths", ROUTE_PATHS, named, len(wanted)))
    return out


def _spells(data: bytes, prefix: bytes) -> bool:
    """Whether ``data`` holds ``prefix`` as a quoted path or its start."""
    return any(
        q + prefix + end in data for q in (b'"', b"'") for end in (q, b"/", b"?")
    )


def entity_lists(
    index: ProjectIndex, resources: tuple[Resource, ...]
) -> list[Registry]:
    """Shared modules the resources' data access uses that name nearly each of them.

    ``database/interface.py``, imported by every ``models/<name>.py``, has an
    accessor per table (``def FlowRun(self)``): a new table gets one too. A
    resource counts by its class name (``FlowRun``), where it has data
    access of its own.
    """
    backed = [
        res
        for res in resources
        if any(f.own and f.role == "service" for f in res.files)
    ]
    if len(backed) < 3:
        return []
    used: Counter[str] = Counter()
    for res in backed:
        mods = {index.module_of.get(f.path, "") for f in res.files if f.own} - {""}
        used.update({ref for m in mods for ref in index.module_refs(m)} - mods)
    classes = {_camel(res) for res in backed}
    out: list[Registry] = []
    for mod, count in sorted(used.items()):
        path = index.path_of.get(mod, "")
        # A router naming the others uses them; it lists nothing.
        if (
            count * 2 < len(backed)
            or not path
            or is_test_path(path)
            or index.by_module[mod].routes
        ):
            continue
        named = _named(index.source(path), classes)
        if named >= 3 and named * 4 >= len(classes) * 3:
            out.append(Registry(path, "entities", ENTITIES, named, len(classes)))
    return out


def _camel(res: Resource) -> str:
    return "".join(w.capitalize() for w in Names.guess(res.plural).singular)


def _named(data: bytes, classes: set[str]) -> int:
    """How many of ``classes`` occur in ``data`` as whole words."""
    count = 0
    for name in classes:
        needle = name.encode()
        i = data.find(needle)
        while i >= 0:
            end = i + len(needle)
            if not _word_byte(data[i - 1 : i]) and not _word_byte(data[end : end + 1]):
                count += 1
                break
            i = data.find(needle, i + 1)
    return count


def _word_byte(b: bytes) -> bool:
    return b.isalnum() or b == b"_"


def _entities(resources: tuple[Resource, ...], tables: Iterable[str]) -> set[str]:
    """Class names of the project's entities: its resources and its tables."""
    names = [Names.guess(res.plural) for res in resources] + [
        Names.guess(t) for t in tables if t
    ]
    return {"".join(w.capitalize() for w in n.singular) for n in names if n.singular}


def sort_lists(index: ProjectIndex, entities: set[str]) -> list[Registry]:
    """Modules of sort orders, one class per entity (``FlowSort``, ``LogSort``).

    Nearly every class the module defines is an entity's name followed by a
    sort word: a new list that sorts gets its own class there.
    """
    out: list[Registry] = []
    for path, mod in sorted(index.module_of.items()):
        defined = index.by_module[mod].defined
        if (
            len(defined) < 3
            or index.path_of.get(mod) != path
            or is_test_path(path)
            or "Sort" not in index.defined_text(mod)
        ):
            continue
        named = sum(1 for name in defined if _sort_of_entity(name, entities))
        if named >= 3 and named * 4 >= len(defined) * 3:
            out.append(Registry(path, "sorts", SORTS, named, len(defined)))
    return out


def _sort_of_entity(name: str, entities: set[str]) -> bool:
    """Whether a class name is an entity's followed by a sort word."""
    parts = words(name)
    for i in range(1, len(parts)):
        if parts[i] in ("sort", "sorting") and (
            "".join(w.capitalize() for w in parts[:i]) in entities
        ):
            return True
    return False


def joined_lists(
    model: ProjectModel,
    files: dict[str, Target],
    *,
    whole: bool,
    sorted_list: bool = False,
) -> None:
    """Add the lists of this module's kinds a new resource's files join.

    A layer module created in a folder whose ``__init__.py`` imports the
    others; for a ``whole`` new resource the lists naming every resource
    (paths, accessors); for a list that sorts, the module of sort orders.
    """
    packages = {r.pattern: r for r in model.registries if r.role == "package"}
    for t in sorted(files.values(), key=lambda t: t.path):
        reg = packages.get(f"{posixpath.dirname(t.path)}/*.py")
        if reg is None or t.action != "create" or t.role not in _LAYERS:
            continue
        why = f"re-exports {reg.named}/{reg.siblings} modules of its folder"
        files.setdefault(reg.path, Target(reg.path, "modify", "registry", why))
    for reg in model.registries:
        if reg.role == "paths" and whole:
            why = f"spells the paths of {reg.named}/{reg.siblings} resources"
        elif reg.role == "entities" and whole:
            why = f"names {reg.named}/{reg.siblings} siblings"
        elif reg.role == "sorts" and sorted_list:
            why = f"holds a sort order for each of {reg.named} entities"
        else:
            continue
        files.setdefault(reg.path, Target(reg.path, "modify", "registry", why))


def model_registry(
    model: ProjectModel | None,
    guess: str | None,
    *,
    table_file: str | None,
    env: str | None,
) -> str | None:
    """The module a new table class is imported in, so its metadata sees it.

    The layout guesses the model folder's ``__init__.py``. It is one where it
    imports the modules beside it, and only for the folder the new class goes
    in (``db/models/group/``, not the layout's ``db/models/recipe/``). Where
    that package imports none of them, the Alembic ``env.py`` does.
    """
    if model is None or guess is None or not guess.endswith("/__init__.py"):
        return guess
    folder = posixpath.dirname(table_file or guess)
    own = f"{folder}/__init__.py"
    if any(r.path == own for r in model.registries):
        return own
    return env if posixpath.dirname(guess) == folder else None
