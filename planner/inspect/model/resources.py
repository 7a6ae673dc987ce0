"""Resources: each router module with the project files that serve the same thing."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import TYPE_CHECKING

from .datalayers import data_layers
from .names import GENERIC, Names, mentions, singularise, spelled, words
from .records import Resource, ResourceFile, Route, RouterModule
from .roles import ROLE_WORDS, is_test_path, role_of

if TYPE_CHECKING:
    from .index import ProjectIndex

_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")
_CONVERTOR = re.compile(r"\{[^}:]+:([^}]+)\}")


# Module names that say a file holds routes, never which resource they serve.
_ROUTE_STEMS = GENERIC | {"generic", "index", "root", "misc", "default"}
# Words a module's name may start with to say it serves routes; not `api`
# or `admin`, which often begin a resource's own name (`api_tokens`).
_ROLE_PREFIXES = frozenset(
    {"controller", "controllers", "router", "routes", "route", "views", "view"}
    | {"endpoints", "endpoint", "handlers"}
)


def resource_names(file: str, prefix: str, module: str = "") -> Names:
    """Names of the resource a router module serves: file, folder, then URL.

    The top-level package never names a resource: a project's own name is not
    one of its resources.
    """
    parts = file.removesuffix(".py").split("/")
    top = module.split(".")[0] if module else ""
    stem = words(parts[-1])
    # A role suffix is no part of the name (``invoices_router``, ``tags_api``).
    if len(stem) > 1 and stem[-1] in GENERIC:
        stem = stem[:-1]
    # So is a role prefix (``controller_cookbooks``, ``views_orders``).
    if len(stem) > 1 and stem[0] in _ROLE_PREFIXES:
        stem = stem[1:]
    if parts[-1].lower() not in _ROUTE_STEMS and stem:
        return Names.guess("_".join(stem))
    for part in reversed(parts[:-1]):
        if part == top:
            break
        if part.lower() not in GENERIC and words(part):
            return Names.guess(part)
    static = [s for s in prefix.split("/") if s and not s.startswith("{")]
    for seg in reversed(static):
        if seg.lower() not in GENERIC:
            return Names.guess(seg)
    return Names((), ())


def _groups(routes: list[Route], prefix: str) -> dict[str, tuple[str, list[Route]]]:
    """Routes of one module grouped by their first resource segment after ``prefix``.

    Generic segments (``api``, ``v1``) are stepped over: ``/api/v1/payments``
    groups under ``payments`` with the prefix ``/api/v1/payments``.
    """
    out: dict[str, tuple[str, list[Route]]] = {}
    for r in routes:
        rest = r.path[len(prefix) :] if r.path.startswith(prefix) else r.path
        segs = [s for s in rest.split("/") if s]
        for i, seg in enumerate(segs):
            if seg.startswith("{") or seg.lower() in GENERIC:
                continue
            if words(seg) and "." not in seg:
                group_prefix = prefix + "/" + "/".join(segs[: i + 1])
                out.setdefault(seg, (group_prefix, []))[1].append(r)
            break
    return out


def _named_base(prefix: str, routes: list[Route], names: Names) -> str:
    """The prefix a resource's routes share, with the segment that names it.

    A router without a prefix of its own spells the resource in every path
    (``/review``, ``/review/{id}``): its base is ``/review``, as if the router
    had said so; likewise below a grouping segment of its own
    (``/system/tiers``, ``/system/tiers/{id}``: ``/system/tiers``).
    """
    counts: dict[str, int] = {}
    for r in routes:
        rest = r.path[len(prefix) :] if r.path.startswith(prefix) else ""
        segs = rest.strip("/").split("/")
        for i, seg in enumerate(segs):
            if not seg or seg.startswith("{"):
                break
            if mentions(seg, names):
                base = "/".join(segs[: i + 1])
                counts[base] = counts.get(base, 0) + 1
                break
    if sum(counts.values()) * 2 <= len(routes):
        return prefix
    base = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return prefix.rstrip("/") + "/" + base


def _common_prefix(routes: list[Route]) -> str:
    paths = [r.path.rstrip("/").split("/") for r in routes]
    n = 0
    while all(len(p) > n + 1 and p[n] == paths[0][n] for p in paths):
        n += 1
    return "/".join(paths[0][:n]) if paths else ""


def _module_prefixes(
    routers: tuple[RouterModule, ...], by_file: dict[str, list[Route]]
) -> dict[str, str]:
    """The served prefix of each module's routes: its own router's, else its mount.

    A module whose routes sit on a router declared elsewhere (a shared
    `base_router` mounted at `/v1`) is served below that router's prefix.
    """
    prefixes: dict[str, str] = {}
    for rm in routers:
        if rm.file in by_file and (rm.file not in prefixes or rm.reachable):
            prefixes.setdefault(rm.file, rm.served_prefix)
    for file, file_routes in by_file.items():
        mounts = Counter(r.mount for r in file_routes if r.served)
        if file not in prefixes and mounts:
            prefixes[file] = min(mounts, key=lambda m: (-mounts[m], m))
    return prefixes


def build_resources(
    index: ProjectIndex, routers: tuple[RouterModule, ...], routes: tuple[Route, ...]
) -> tuple[Resource, ...]:
    """One resource per router module, or per route group of a shared module."""
    by_file: dict[str, list[Route]] = {}
    for r in routes:
        by_file.setdefault(r.file, []).append(r)
    prefixes = _module_prefixes(routers, by_file)
    tests = _Tests(index, [p for p in index.module_of if is_test_path(p)])
    folders = _folders(index)
    out: list[Resource] = []
    for file in sorted(by_file):
        if is_test_path(file):
            continue
        prefix = prefixes.get(file, "")
        names = resource_names(file, prefix, index.module_of[file])
        if names.singular:
            prefix = _named_base(prefix, by_file[file], names)
            out.append(
                _resource(index, file, prefix, names, by_file[file], tests, folders)
            )
            continue
        # A module serving several resources (one views/api/server module): one
        # resource per route group, its files shared with the other groups.
        base = _common_prefix(by_file[file])
        for seg, (gprefix, group) in sorted(_groups(by_file[file], base).items()):
            gnames = Names.guess(seg)
            if gnames.singular:
                out.append(
                    _resource(index, file, gprefix, gnames, group, tests, folders)
                )
    return tuple(out)


def _resource(
    index: ProjectIndex,
    file: str,
    prefix: str,
    names: Names,
    file_routes: list[Route],
    tests: _Tests,
    folders: dict[str, list[str]],
) -> Resource:
    cluster = _called(_cluster(index, file, names), file_routes, names)
    files = _schemas_named_models(index, _with_package(cluster, names, folders))
    files = data_layers(index, file, files, file_routes)
    own_mods = {index.module_of[f.path] for f in files if f.own}
    stem = file.rsplit("/", 1)[-1]
    found = tests.naming(names) | tests.using(own_mods)
    if not files[0].own:
        found.update(t for t in tests.paths if t.endswith(f"/test_{stem}"))
    res_tests = tuple(sorted(found))
    return Resource(
        "_".join(names.plural),
        "_".join(names.singular),
        "_".join(names.plural),
        file,
        prefix,
        files,
        res_tests,
        _tables(index, files, names),
        tuple(file_routes),
        _id_type(index, file, tuple(file_routes)),
        helper_tests=_helper_tests(index, res_tests, files, names, prefix),
    )


# The roles of a resource's layers: a test importing one of them tests it.
_LAYER_ROLES = frozenset(
    {"router", "service", "model", "schema", "dependency", "domain"}
)


def _helper_tests(
    index: ProjectIndex,
    tests: tuple[str, ...],
    files: tuple[ResourceFile, ...],
    names: Names,
    prefix: str,
) -> tuple[str, ...]:
    """The tests named for a resource that test only its helper modules.

    ``test_secrets.py`` importing ``secrets/encryption.py`` and
    ``secrets/common.py``, none of its layers, and never spelling its path.
    """
    layers = {
        index.module_of[f.path] for f in files if f.own and f.role in _LAYER_ROLES
    }
    helpers = {
        index.module_of[f.path] for f in files if f.own and f.role not in _LAYER_ROLES
    }
    segment = prefix.rstrip("/").rsplit("/", 1)[-1]
    out = []
    for test in tests:
        refs = index.module_refs(index.module_of[test])
        if (
            mentions(test.rsplit("/", 1)[-1], names)
            and refs & helpers
            and not refs & layers
            and not (segment and f"/{segment}".encode() in index.source(test))
        ):
            out.append(test)
    return tuple(out)


class _Tests:
    """The project's test files, searchable by the names and modules they use.

    Every resource asks which tests name it or import its modules: one
    table of the tests' references and one text of their file names answer
    that without visiting every test for every resource.
    """

    def __init__(self, index: ProjectIndex, paths: list[str]) -> None:
        self.paths = paths
        self._by_ref: dict[str, set[str]] = {}
        for t in paths:
            for ref in index.module_refs(index.module_of[t]):
                self._by_ref.setdefault(ref, set()).add(t)
        self._names = "\n".join(t.rsplit("/", 1)[-1] for t in paths)
        self._starts = [0]
        for i, name in enumerate(paths[:-1]):
            self._starts.append(self._starts[i] + len(name.rsplit("/", 1)[-1]) + 1)

    def naming(self, names: Names) -> set[str]:
        """Tests whose file name names the resource."""
        if not names.singular:
            return set()
        candidates = {
            bisect.bisect_right(self._starts, i) - 1
            for sp in spelled(names)
            for i in _hits(self._names, sp)
        }
        return {
            self.paths[i]
            for i in candidates
            if mentions(self.paths[i].rsplit("/", 1)[-1], names)
        }

    def using(self, modules: set[str]) -> set[str]:
        """Tests that import or name one of ``modules``."""
        return {t for m in modules for t in self._by_ref.get(m, ())}


def _hits(text: str, needle: str) -> list[int]:
    """Every offset of ``needle`` in ``text``."""
    out: list[int] = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _called(
    files: tuple[ResourceFile, ...], routes: list[Route], names: Names
) -> tuple[ResourceFile, ...]:
    """The files, with the modules named for the resource its handlers call.

    ``server.tool_manager.list_tools()`` reaches ``services/tool_manager.py``
    through an object the router never imports.
    """
    found = {f.path: f for f in files}
    own = (names.singular, names.plural)
    for route in routes:
        for path in route.calls:
            stem = path.rsplit("/", 1)[-1].removesuffix(".py")
            # Named for the resource and its role alone: not ``board_video_
            # records.py``, another resource's, for ``boards``.
            if (
                path not in found
                and tuple(w for w in words(stem) if w not in ROLE_WORDS) in own
            ):
                found[path] = ResourceFile(path, role_of(path), True)
    return tuple(sorted(found.values(), key=lambda f: f.path))


def _cluster(
    index: ProjectIndex, router_file: str, names: Names
) -> tuple[ResourceFile, ...]:
    """Files reached from the router in two import steps that name the resource."""
    found: dict[str, ResourceFile] = {
        router_file: ResourceFile(router_file, "router", mentions(router_file, names))
    }
    frontier = [index.module_of[router_file]]
    for _ in range(2):
        nxt: list[str] = []
        for mod in frontier:
            for ref in sorted(index.module_refs(mod)):
                path = index.path_of.get(ref)
                if path is None or path in found or is_test_path(path):
                    continue
                summary = index.by_module[ref]
                own = mentions(path, names)
                if own or mentions(index.defined_text(ref), names):
                    if summary.routes and not own:
                        continue  # another resource's router
                    found[path] = ResourceFile(path, role_of(path), own)
                    nxt.append(ref)
        frontier = nxt
    return tuple(sorted(found.values(), key=lambda f: f.path))


_ORMS = frozenset({"sqlalchemy", "sqlmodel", "peewee", "tortoise", "ormar", "beanie"})


def _schemas_named_models(
    index: ProjectIndex, files: tuple[ResourceFile, ...]
) -> tuple[ResourceFile, ...]:
    """The files, with roles corrected by the classes they define.

    A ``db/schemas.py`` or ``db.py`` of table classes is the data model; a
    resource without a schema module keeps its request and response classes
    in a ``models.py`` of Pydantic classes and no table. (A module with a
    table class is always parsed; one that is not has none.)
    """
    files = tuple(
        ResourceFile(f.path, "model", f.own)
        if f.role in ("schema", "service", "module") and _has_tables(index, f.path)
        else f
        for f in files
    )
    # A ``models/`` module of functions and no table is data access
    # (``models/flow_runs.py`` querying the ORM classes of ``orm_models.py``).
    files = tuple(
        ResourceFile(f.path, "service", f.own)
        if f.role == "model"
        and not _has_tables(index, f.path)
        and not _pydantic_only(index, f.path)
        and _mostly_functions(index, f.path)
        else f
        for f in files
    )
    # A shared module of Pydantic classes beside the table models is schemas.
    files = tuple(
        ResourceFile(f.path, "schema", False)
        if not f.own
        and f.role in ("model", "module")
        and _pydantic_only(index, f.path)
        and _mostly_classes(index, f.path)
        else f
        for f in files
    )
    if any(f.own and f.role == "schema" for f in files):
        # Pydantic classes of its own beside its schemas: domain models
        # (``core/models/runs.py``), never where a table goes.
        return tuple(
            ResourceFile(f.path, "domain", True)
            if f.own and f.role == "model" and _pydantic_only(index, f.path)
            else f
            for f in files
        )
    return tuple(
        ResourceFile(f.path, "schema", True)
        if f.own and f.role == "model" and _pydantic_only(index, f.path)
        else f
        for f in files
    )


def _has_tables(index: ProjectIndex, path: str) -> bool:
    summary = index.by_module[index.module_of[path]]
    return any(c.is_table for c in summary.classes)


def _pydantic_only(index: ProjectIndex, path: str) -> bool:
    summary = index.by_module[index.module_of[path]]
    if any(c.is_table for c in summary.classes):
        return False
    targets = {i.target.split(".")[0] for i in summary.imports}
    return "pydantic" in targets and not targets & _ORMS


def _counts(index: ProjectIndex, path: str) -> tuple[int, int]:
    """The module's top-level classes and functions.

    A module the model had no reason to parse is counted by its lines.
    """
    summary = index.by_module[index.module_of[path]]
    if summary.classes or summary.functions:
        return len(summary.classes), len(summary.functions)
    lines = index.source(path).splitlines()
    classes = sum(1 for line in lines if line.startswith(b"class "))
    functions = sum(1 for line in lines if line.startswith((b"def ", b"async def ")))
    return classes, functions


def _mostly_classes(index: ProjectIndex, path: str) -> bool:
    """A module of classes rather than functions (not a ``decorators.py``)."""
    classes, functions = _counts(index, path)
    return classes > functions


def _mostly_functions(index: ProjectIndex, path: str) -> bool:
    classes, functions = _counts(index, path)
    return functions > classes


def _folders(index: ProjectIndex) -> dict[str, list[str]]:
    """The project's modules outside the tests, by folder."""
    folders: dict[str, list[str]] = {}
    for path in sorted(index.module_of):
        if not is_test_path(path):
            folders.setdefault(path.rpartition("/")[0], []).append(path)
    return folders


def _with_package(
    files: tuple[ResourceFile, ...], names: Names, folders: dict[str, list[str]]
) -> tuple[ResourceFile, ...]:
    """The files with the other modules of each folder named for the resource.

    A service package (``board_records/``: base, common, sqlite) is reached
    through a container, not imported by the router: its modules are the
    resource's too.
    """
    found = {f.path: f for f in files}
    for f in files:
        folder = f.path.rpartition("/")[0]
        if not f.own or not mentions(folder.rpartition("/")[2], names):
            continue
        for path in folders.get(folder, ()):
            if path not in found and not path.endswith("/__init__.py"):
                found[path] = ResourceFile(path, role_of(path), True)
    return tuple(sorted(found.values(), key=lambda f: f.path))


def _tables(
    index: ProjectIndex, files: tuple[ResourceFile, ...], names: Names
) -> tuple[str, ...]:
    out: set[str] = set()
    for f in files:
        summary = index.by_module[index.module_of[f.path]]
        for c in summary.classes:
            if c.is_table and mentions(c.name, names):
                out.add(c.tablename or c.name)
    return tuple(sorted(out))


def _id_type(index: ProjectIndex, file: str, routes: tuple[Route, ...]) -> str | None:
    """The type the routes give their ids, from the parameters that are ids.

    A lookup key (`{username}`, `{slug}`) is a column, not the primary key:
    its `str` says nothing of the table's ids.
    """
    summary = index.by_module[index.module_of[file]]
    params = {p for r in routes for p in _PARAM.findall(r.path) if is_id_param(p)}
    for rd in summary.routes:
        for p in rd.params:
            if p.name in params and p.annotation:
                return p.annotation.rsplit(".", 1)[-1]
    # No handler names the id's type: a path convertor (`{id:uuid}`) does.
    for r in routes:
        for convertor in _CONVERTOR.findall(r.path):
            if convertor in ("uuid", "int"):
                return str(convertor)
    return None


def id_kind(annotation: str | None) -> str | None:
    """`uuid` or `int` for a path id's annotation (`uuid.UUID`, `int`), else None."""
    word = (annotation or "").rsplit(".", 1)[-1].lower()
    if word in ("uuid", "uuid4"):
        return "uuid"
    return "int" if word == "int" else None


def is_id_param(name: str) -> bool:
    """Tell whether a path parameter names a primary key (`id`, `user_id`, `pk`)."""
    last = words(name)[-1:] or ("",)
    return last[0] in ("id", "pk", "uuid", "guid")


def path_params(path: str) -> list[str]:
    """Path parameter names of a route path, converters dropped."""
    return list(_PARAM.findall(path))


_ITEM = re.compile(r"(?:/([\w-]+))?/\{([^}/:]+)[^}/]*\}")


def item_form(rest: str) -> str | None:
    """How a route below a resource's prefix addresses one item, if it does.

    ``""`` for ``/{id}``; the marker of a keyed form some projects use for
    every item (``"i"`` for ``/i/{id}``); None otherwise, and for an item of
    a nested collection (``/users/{user_id}``).
    """
    match = _ITEM.fullmatch(rest.rstrip("/"))
    if match is None:
        return None
    static, param = match[1], match[2]
    if static is None:
        return ""
    return None if param.startswith(singularise(static) + "_") else static
