"""Registries: files outside a resource that name most of its sibling files."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .names import Names, mentions
from .records import Registry
from .roles import is_test_path

if TYPE_CHECKING:
    from .index import ProjectIndex


def sibling_pattern(path: str, names: Names) -> str | None:
    """The glob of files shaped like ``path`` for other resources."""
    parts = path.split("/")
    # Every part named for the resource varies: ``board_records/
    # board_records_base.py`` is one of ``*/*_records_base.py``.
    globbed = [
        (_file_glob(part, names) if i == len(parts) - 1 else "*")
        if mentions(part, names)
        else part
        for i, part in enumerate(parts)
    ]
    return "/".join(globbed) if globbed != parts else None


def _file_glob(name: str, names: Names) -> str:
    """``*_router.py`` for ``notes_router.py``: the role affix stays in the glob."""
    stem = name.removesuffix(".py")
    for sp in ("_".join(names.plural), "_".join(names.singular)):
        if sp and stem.startswith(sp + "_"):
            return "*" + stem[len(sp) :] + ".py"
        if sp and stem.endswith("_" + sp):
            return stem[: -len(sp)] + "*.py"
    return "*.py"


def _siblings(index: ProjectIndex, pattern: str) -> set[str]:
    """Modules whose path fits the pattern (memoised per index and pattern)."""
    found = index.siblings.get(pattern)
    if found is None:
        # A wildcard stands for one name, never for folders below it:
        # ``api/*.py`` is not ``api/defs/request/x.py``.
        rx = re.compile("[^/]*".join(re.escape(part) for part in pattern.split("*")))
        # The literal text before the first and after the last wildcard is a
        # cheap test that rules out nearly every path before the pattern runs.
        head, tail = _literal_ends(pattern)
        found = {
            index.module_of[p]
            for p in index.paths_starting(head)
            if p.endswith(tail)
            and rx.fullmatch(p)
            and not p.endswith("__init__.py")
            and posixpath.basename(p) != "base.py"
        }
        index.siblings[pattern] = found
    return found


def _literal_ends(pattern: str) -> tuple[str, str]:
    """The text every match starts and ends with ("" where it holds a wildcard)."""
    parts = pattern.split("*")
    head, tail = (parts[0], parts[-1]) if len(parts) > 1 else ("", "")
    return (
        "" if "?" in head or "[" in head else head,
        "" if "?" in tail or "[" in tail else tail,
    )


def find_registries(
    index: ProjectIndex,
    path: str,
    names: Names,
    role: str,
    resource_words: frozenset[str] = frozenset(),
) -> tuple[Registry, ...]:
    """Files that import ``path`` and most of its siblings (include lists, __init__)."""
    pattern = sibling_pattern(path, names)
    if pattern is None:
        return ()
    mod = index.module_of.get(path)
    sib_mods = _siblings(index, pattern)
    if mod is not None and role == "router" and len(sib_mods) < 2:
        # No sibling shares its pattern, so no share can be counted: the
        # module that includes it is where the next one is included.
        return _includers(index, path, mod, names, pattern)
    if len(sib_mods) < 2 or mod is None:
        return ()
    if resource_words and not _resource_shaped(
        pattern, sib_mods, index, resource_words
    ):
        return ()
    out: list[Registry] = []
    folders: dict[str, set[str]] = {}
    for m in sib_mods:
        folders.setdefault(posixpath.dirname(index.path_of[m]), set()).add(m)
    for other in index.importers_of(mod):
        omod = index.module_of[other]
        if other == path or _in_sibling_folder(pattern, folders, other, omod):
            continue
        # A file shaped like a sibling (api/router.py) is still a registry when it
        # imports the others; the count leaves the file itself out.
        refs = index.module_refs(omod) - {omod}
        if (
            mod not in refs
            or _serves_routes(index, omod)
            or _tests_one_resource(other, resource_words)
            or _uses_resources(index, pattern, omod, sib_mods, resource_words)
        ):
            continue
        named = len(refs & sib_mods)
        # A registry lists nearly every sibling (three in four); a module
        # using two thirds of them (an SDK client over every schema, an agent
        # calling many managers) only uses them. Test data covers the
        # entities tests need: two thirds.
        test_data = is_test_path(other)
        share = (2, 3) if test_data else (3, 4)
        listable = len(sib_mods - {omod})
        if named >= 2 and named * share[1] >= listable * share[0]:
            listed = (
                _router_list(index, omod, sib_mods, names) if role == "router" else ""
            )
            kind = _kind(index, omod, role, test_data=test_data, listed=listed)
            out.append(Registry(other, kind, pattern, named, listable, listed))
    return tuple(out)


def _kind(
    index: ProjectIndex, module: str, role: str, *, test_data: bool, listed: str
) -> str:
    """What a registry is: test data, a router registry (`app`), or a list.

    A module that only imports the router modules (a package's `__init__.py`)
    lists modules; the one that includes them, or binds them in a collection
    it includes, registers routers.
    """
    if test_data:
        return "test_data"
    if role == "router" and (listed or index.by_module[module].includes):
        return "app"
    return "registry"


def _router_list(
    index: ProjectIndex, module: str, sib_mods: set[str], names: Names
) -> str:
    """``API_ROUTERS api.*.router``: the collection naming the routers, and its form.

    A name bound at module level to a list, tuple or dict of two or more of
    the sibling modules' routers; the entry naming this resource's router
    with its name as ``*`` (``tools_router`` gives ``*_router``). "" where
    the module names them in no collection.
    """
    for alias in index.by_module[module].aliases:
        if alias.scope:
            continue
        hits = [
            ref
            for ref in alias.refs
            if not ref.endswith("()")
            and any(e.module in sib_mods for e in index.resolve(module, "", ref))
        ]
        own = [ref for ref in hits if mentions(ref, names)]
        if len(hits) >= 2 and own:
            return f"{alias.name} {_entry_glob(own[0], names)}"
    return _router_call(index, module, sib_mods, names)


def _router_call(
    index: ProjectIndex, module: str, sib_mods: set[str], names: Names
) -> str:
    """``call f(app,+_router)``: the project's own function that includes routers.

    A function other than ``include_router`` called at least twice with a
    sibling's router (``include_router_with_prefix(application, tags_router)``),
    written with this resource's router's name as ``+`` (plural) or ``*``
    (singular); "" where there is none.
    """
    counts: dict[str, int] = {}
    template: dict[str, str] = {}
    summary = index.by_module[module]
    # Names the module imports from a sibling (or the sibling itself): its
    # routers are passed by one of them, so no argument needs resolving.
    from_siblings = {
        imp.local
        for imp in summary.imports
        if imp.target in sib_mods or imp.target.rpartition(".")[0] in sib_mods
    }
    for call in summary.calls:
        if call.func.rsplit(".", 1)[-1] in ("include_router", "mount"):
            continue
        routers = [a for a in call.args if a.split(".")[0] in from_siblings]
        if not routers:
            continue
        counts[call.func] = counts.get(call.func, 0) + 1
        own = [a for a in routers if mentions(a, names)]
        if own and call.func not in template:
            # `+` where the entry spells the resource's plural, `*` its singular.
            plural = "_".join(names.plural) in own[0]
            glob = _entry_glob(own[0], names).replace("*", "+" if plural else "*")
            args = ",".join(glob if a == own[0] else a for a in call.args)
            template[call.func] = f"{call.func}({args})"
    ranked = sorted(template, key=lambda f: (-counts[f], f))
    return f"call {template[ranked[0]]}" if ranked and counts[ranked[0]] >= 2 else ""


def _entry_glob(ref: str, names: Names) -> str:
    """``api.*.router`` of ``api.tags.router``: the resource's name as ``*``."""
    parts = ref.split(".")
    return ".".join(
        _file_glob(part + ".py", names).removesuffix(".py")
        if mentions(part, names)
        else part
        for part in parts
    )


def _includers(
    index: ProjectIndex, path: str, mod: str, names: Names, pattern: str
) -> tuple[Registry, ...]:
    """The modules that ``include_router`` a router no sibling is shaped like.

    Not the resource's own (``api/users/__init__.py`` gathering its routes),
    which a new resource copies rather than joins, nor a test's app.
    """
    out: list[Registry] = []
    for other in index.importers_of(mod):
        omod = index.module_of[other]
        if other == path or is_test_path(other) or mentions(other, names):
            continue
        summary = index.by_module[omod]
        if any(
            ent.module == mod
            for inc in summary.includes
            if not inc.mount
            for ref in inc.child
            for ent in index.resolve(omod, inc.scope, ref)
        ):
            out.append(Registry(other, "app", pattern, 1, 1))
    return tuple(out)


def _serves_routes(index: ProjectIndex, module: str) -> bool:
    """Whether a module is some resource's router: it uses siblings, never lists them.

    A router that uses the user model and its own one names two of them; a
    module that includes the routers (``api.py``, ``main.py``) lists them.
    """
    summary = index.by_module[module]
    return bool(summary.routes) and not summary.includes


def _tests_one_resource(path: str, resource_words: frozenset[str]) -> bool:
    """Whether a test module is named for one resource (``test_items.py``).

    It uses its siblings as fixtures; a shared ``data.py`` lists them.
    """
    if not is_test_path(path):
        return False
    stem = posixpath.basename(path).removesuffix(".py")
    stem = stem.removeprefix("test_").removesuffix("_test")
    return stem in resource_words


def _uses_resources(
    index: ProjectIndex,
    pattern: str,
    module: str,
    sib_mods: set[str],
    resource_words: frozenset[str],
) -> bool:
    """Whether ``module``, a sibling named for a resource, only uses the others.

    It is that resource's own module of the same layer (``deps/comments.py``
    importing the articles' and the caller's dependencies and the database
    helper): it lists the others only where it names nearly every sibling
    that stands for a resource (a ``Group`` table relating to each table the
    group owns). Helpers beside them count for nothing; a sibling named for
    no resource (``api/router.py``) may still list them all.
    """
    if module not in sib_mods or not _shape_names_resource(
        pattern, index.path_of[module], resource_words
    ):
        return False
    others = {
        m
        for m in sib_mods - {module}
        if _shape_names_resource(pattern, index.path_of[m], resource_words)
    }
    named = len(index.module_refs(module) & others)
    return named < 2 or named * 4 < len(others) * 3


def _shape_names_resource(
    pattern: str, path: str, resource_words: frozenset[str]
) -> bool:
    """Whether a wildcard of ``pattern`` stands for a resource's name in ``path``."""
    found = _shape(pattern).fullmatch(path)
    tokens = found.groups() if found else ()
    return any(token.removesuffix(".py") in resource_words for token in tokens)


@functools.lru_cache(maxsize=1024)
def _shape(pattern: str) -> re.Pattern[str]:
    """A sibling pattern with each wildcard a group (one name, no folders)."""
    return re.compile("([^/]*)".join(re.escape(part) for part in pattern.split("*")))


def _in_sibling_folder(
    pattern: str, folders: dict[str, set[str]], other: str, omod: str
) -> bool:
    """Whether ``other`` lives in another resource's own folder (``posts/``).

    The router of one resource package importing the dependencies of two
    others lists no siblings: it uses them.
    """
    mods = folders.get(posixpath.dirname(other), set()) - {omod}
    return "*/" in pattern and bool(mods)


def _resource_shaped(
    pattern: str, mods: set[str], index: ProjectIndex, resource_words: frozenset[str]
) -> bool:
    """Whether most siblings stand for resources (``tags``, ``notes``).

    Not for helpers that happen to share a folder (``base``, ``types``, ``utils``).
    """
    hits = sum(
        1
        for m in mods
        if _shape_names_resource(pattern, index.path_of[m], resource_words)
    )
    return hits * 2 >= len(mods)


def router_list_slot(
    registries: Iterable[Registry], files: Mapping[str, object]
) -> tuple[tuple[str, str], ...]:
    """``router_list``: the router registry the plan changes that lists routers.

    ``path COLLECTION entry`` (``server.py API_ROUTERS api.*.router``), so the
    registration step adds the new router to the collection as its siblings
    are listed rather than calling ``include_router``.
    """
    for reg in registries:
        if reg.role == "app" and reg.listed and reg.path in files:
            return (("router_list", f"{reg.path} {reg.listed}"),)
    return ()
