"""Plans by analogy: the files a change touches, modelled on the closest resource."""

from __future__ import annotations

import posixpath
from collections import Counter
from typing import Any

from .datalayers import has_data_layer
from .handled import (
    base_write_conventions,
    error_class_conventions,
    handler_conventions,
)
from .itempaths import new_endpoints, operation_of
from .lists import joined_lists
from .migrations import plan_migration
from .names import Names, mentions, words
from .newlayers import service_class, service_instance, siblings_layers
from .packages import mirrored_folders, mirrored_path, package_init
from .records import (
    ProjectModel,
    Registry,
    Resource,
    TableClass,
    Target,
    Targets,
)
from .registries import router_list_slot
from .resources import path_params
from .roles import role_of
from .routeguard import guard_conventions
from .schemafiles import schema_parts
from .tables import base_named_table, exemplar_table, find_table, new_table_slots
from .testfiles import migration_tests, shared_fixtures, test_donor
from .urlstyle import (
    prefix_place,
    renamed_prefix,
    sibling_prefixes,
    url_case,
    url_names,
)

_SHARED_ROLES = frozenset(
    {"model", "schema", "service", "router", "dependency", "module"}
)

# Module names of support code: a new resource seldom changes them.
_SUPPORT = frozenset(
    {"enums", "enum", "constants", "const", "utils", "util", "helpers", "helper"}
    | {"settings", "config", "contexts", "context", "types", "typing"}
    | {"errors", "exceptions", "common", "base", "mixins", "tasks", "logging"}
    | {"database", "session"}
)


def _layer_module(model: ProjectModel, ex: Resource, path: str) -> bool:
    """Whether a shared file is a layer module every resource adds to.

    Support modules (enums, constants, utils) and the own modules of other
    resources (``db/persona.py`` beside ``db/prompts.py``) are not.
    """
    parts = path.removesuffix(".py").split("/")
    stem = parts[-1] if parts[-1] != "__init__" else parts[-2]
    if set(words(stem)) & _SUPPORT:
        return False
    # A layer module serves several resources (``models.py``); one only the
    # exemplar uses is its helper.
    if not any(
        res is not ex and any(f.path == path for f in res.files)
        for res in model.resources
    ):
        return False
    spelled = {
        "_".join(w)
        for res in model.resources
        if res.name != ex.name
        for n in [Names.guess(res.plural)]
        for w in (n.singular, n.plural)
    }
    if "_".join(words(stem)) in spelled:
        return False
    # ``features/persona/models.py`` beside the exemplar's ``features/prompt/``
    # is the persona resource's, however generic its name.
    homes = {
        f.path.rsplit("/", 2)[0] for f in ex.files if f.own and f.path.count("/") > 1
    }
    return not (
        len(parts) > 2
        and "/".join(parts[:-2]) in homes
        and "_".join(words(parts[-2])) in spelled
    )


def _ops(res: Resource) -> set[str]:
    return {op for r in res.routes if (op := operation_of(r, res.served_prefix))}


_CORE_ROLES = frozenset({"router", "service", "model", "schema"})
# Own files a new resource gets its copy of: its layers, not the exemplar's
# settings, security or helper modules, which serve only the exemplar.
_MIRRORED = _CORE_ROLES | {"dependency", "domain"}


def pick_exemplar(model: ProjectModel, operations: frozenset[str]) -> Resource | None:
    """The most typical resource like the request.

    Same operations, a complete role set, in the folder where most resources
    live, served by the API app.
    """
    from .registries import sibling_pattern

    served = {r.file for r in model.routes if r.served}

    def shape(res: Resource) -> str:
        return (
            sibling_pattern(res.router_file, Names.guess(res.plural)) or res.router_file
        )

    # Resources that share one router module (route groups of ``app.py``) are
    # one shape of the project's, not many.
    typical = Counter(dict((r.router_file, shape(r)) for r in model.resources).values())

    # A subsystem spread over more folders than resources usually take is
    # no resource to copy.
    spread = {
        res.name: len({posixpath.dirname(f.path) for f in res.files if f.own})
        for res in model.resources
    }
    usual = sorted(spread.values())[len(spread) // 2] if spread else 0

    def score(res: Resource) -> tuple[int, int, str, str]:
        ops = _ops(res)
        roles = {"model" if f.role == "domain" else f.role for f in res.files}
        roles &= _CORE_ROLES
        if not has_data_layer(res):
            roles.discard("service")
        covered = len(ops & operations) * 3 - len(ops - operations)
        return (
            covered
            + len(roles) * 3
            + min(typical[shape(res)], 6)
            + min(len(res.tests), 2)
            + (4 if res.router_file in served else 0)
            + (2 if res.tables else 0)
            - max(spread[res.name] - usual - 1, 0),
            -len(res.routes),
            res.name,
            res.router_file,
        )

    ranked = sorted(model.resources, key=score, reverse=True)
    return ranked[0] if ranked else None


def _conventions(
    model: ProjectModel, res: Resource | None
) -> tuple[tuple[str, str], ...]:
    out = [(v.name, v.winner or "") for v in model.conventions if v.winner]
    if res is not None and res.id_type:
        out.append(("id_type", res.id_type))
    out.extend(guard_conventions(model, res))
    out.extend(handler_conventions(model))
    out.extend(error_class_conventions(model))
    out.extend(base_write_conventions(model, res))
    return tuple(sorted(out))


def new_resource_targets(
    model: ProjectModel,
    *,
    singular: str,
    plural: str,
    operations: frozenset[str],
    owned: bool,
    paginated: bool,
    columns: tuple[str, ...] = (),
    queried: bool = False,
) -> Targets:
    """Files, served prefix and endpoints for a new resource, after an exemplar.

    ``columns`` are the ones the spec asks for: a table the project has
    already changes only when it lacks one of them. ``queried`` says the new
    list takes query parameters beyond paging (filters, sorting).
    """
    del owned  # kept for the scoring of exemplars; files follow the exemplar
    ex = pick_exemplar(model, operations)
    new = Names.of(singular, plural)
    if ex is None:
        return Targets(
            None,
            "no resource to follow",
            (),
            "",
            "{id}",
            False,
            (),
            (),
            ("the project serves no routes planner could read",),
        )
    old = Names.guess(ex.plural)
    case = url_case(model)
    named = (
        base_named_table(
            model,
            exemplar_table(model, ex),
            "".join(w.capitalize() for w in new.singular),
        )
        if find_table(model, new) is None
        else None
    )
    files = plan_files(
        model,
        ex,
        new,
        table=words(named[0]) if named else (),
        sorted_list=paginated,
    )
    slots, unused = schema_parts(model, ex, new, files, queried=queried or paginated)
    files = {p: t for p, t in files.items() if p not in unused}
    table = find_table(model, new)
    if table is not None:
        files = _onto_table(files, table, set(columns) - set(table.columns))
        slots = (
            *slots,
            ("table", table.file),
            ("table_class", table.name),
            ("table_columns", " ".join(table.columns)),
        )
    url_new = url_names(model, ex, old, new)
    prefix = renamed_prefix(
        ex.served_prefix,
        old,
        url_new,
        case=case,
        siblings=sibling_prefixes(model, ex, own=False),
    )
    endpoints = new_endpoints(model, ex, old, url_new, operations, prefix)
    slots = (
        *slots,
        *prefix_place(model, ex, old, url_new),
        *_schema_classes(model, files, ex, new),
        *router_list_slot(model.registries, files),
        *((("base_table", f"{named[0] or '?'} {named[1]}"),) if named else ()),
        *new_table_slots(model, files, new, named),
    )
    item = next((p for e in endpoints for p in path_params(e.path)[-1:]), "id")
    touched = sorted({posixpath.basename(f.path) for f in ex.files if f.own})
    reason = f"modelled on `{ex.name}`: {', '.join(touched) or ex.router_file}"
    return Targets(
        ex,
        reason,
        tuple(sorted(files.values(), key=lambda t: t.path)),
        prefix,
        "{" + item + "}",
        model.convention("trailing_slash").winner == "yes",
        endpoints,
        _conventions(model, ex),
        model.unknowns,
        slots,
    )


def _schema_classes(
    model: ProjectModel, files: dict[str, Target], ex: Resource, new: Names
) -> tuple[tuple[str, str], ...]:
    """What the new resource's schema modules that exist already define."""
    known = dict(model.module_names)
    names = sorted(
        {
            name
            for t in files.values()
            if t.role == "schema"
            and t.path in known
            and mentions(posixpath.basename(t.path).removesuffix(".py"), new)
            for name in known[t.path]
        }
    )
    found = (("schema_classes", " ".join(names)),) if names else ()
    old = Names.guess(ex.plural)
    return (
        *found,
        *service_class(model, ex, old, new),
        *service_instance(ex, old, new),
    )


def _onto_table(
    files: dict[str, Target], table: TableClass, missing: set[str]
) -> dict[str, Target]:
    """The files of a resource whose table exists: no new model, no migration."""
    out = {
        p: t
        for p, t in files.items()
        if t.role != "migration" and not (t.role == "model" and t.action == "create")
    }
    out.pop(table.file, None)
    if missing:
        why = f"holds the existing `{table.name}` table"
        out[table.file] = Target(table.file, "modify", "model", why, True)
    return out


def plan_files(
    model: ProjectModel,
    ex: Resource,
    new: Names,
    *,
    roles: frozenset[str] | None = None,
    migration: bool = True,
    shared: bool = True,
    tables: bool = True,
    table: tuple[str, ...] = (),
    sorted_list: bool = False,
) -> dict[str, Target]:
    """The exemplar's files with the new names: own files created, shared modified.

    ``roles`` limits the own files copied (tests and registries always follow);
    ``shared`` adds the exemplar's shared modules; ``migration`` a new migration;
    ``tables`` False leaves out the exemplar's own modules that map tables;
    ``table`` is the new table's name where it is not the plural (its words);
    ``sorted_list`` says the new list is paged, in a sort order (it joins the
    modules of sort orders).
    """
    old = Names.guess(ex.plural)
    files: dict[str, Target] = {}

    def add(path: str, role: str, why: str, *, own: bool, message: str = "") -> None:
        if "*" in path or "%(" in path or path in files:
            return
        if role.startswith("test:"):
            # A test in ``tests/api/`` follows the router, in ``tests/models/``
            # the models: only tests of the roles being copied.
            if roles is not None and role_of(role[5:]) not in roles:
                return
            role = "test"
        exists = path in model.paths
        if _keep(role, own=own, exists=exists, roles=roles, shared=shared):
            action = "modify" if exists else "create"
            files[path] = Target(path, action, role, why, own, message)

    # Not the table modules (unless asked), nor the sign-in guard's module,
    # which serves every resource.
    skip = {g.file for g in model.guards if g.file and g.file != ex.router_file}
    skip |= set() if tables else {t.file for t in model.tables}
    _exemplar_files(model, ex, old, new, add, one_each=roles is not None, skip=skip)
    if roles is None:
        siblings_layers(model, ex, new, add)
    for reg, why in _registries(model, ex, new, roles, skip):
        files.setdefault(reg.path, Target(reg.path, "modify", reg.role, why))
    joined_lists(model, files, whole=roles is None, sorted_list=sorted_list)
    if roles is None:  # a whole new resource: its tests need fixtures too
        _fixtures(files, ex)
    if migration:
        plan_migration(model, ex, new, add, table=table)
        migration_tests(model, files)
    return files


def _fixtures(files: dict[str, Target], ex: Resource) -> None:
    """The shared fixture modules of the exemplar's tests, to add the new one's."""
    for path in shared_fixtures(ex):
        why = f"its fixtures build `{ex.name}` for their tests"
        files.setdefault(path, Target(path, "modify", "fixtures", why))


def _keep(
    role: str, *, own: bool, exists: bool, roles: frozenset[str] | None, shared: bool
) -> bool:
    if own:
        return roles is None or role in roles | {"test", "package", "migration"}
    return exists and (shared or role not in _SHARED_ROLES)


def _nearest_per_role(ex: Resource, old: Names) -> set[str]:
    """The exemplar's own file of each role that lies nearest its router.

    ``db/llm.py`` or ``llm/models.py`` beside ``llm/api.py``, not every module
    of a package that shares the resource's name.
    """
    home = ex.router_file.split("/")[:-1]

    def rank(path: str) -> tuple[bool, int, int, str]:
        parts = path.split("/")
        near = 0
        for a, b in zip(parts[:-1], home, strict=False):
            if a != b:
                break
            near += 1
        return (mentions(parts[-1], old), near, len(parts), path)

    best: dict[str, str] = {}
    for f in ex.files:
        named, near = rank(f.path)[:2]
        # Named for the resource, or in the router's folder (or its parent).
        if not f.own or (not named and near < len(home) - 1):
            continue
        layer = _layer(f.path, f.role)
        if layer not in best or _better(rank(f.path), rank(best[layer])):
            best[layer] = f.path
    return set(best.values())


# The words that name a data-access layer of its own in a module's name.
_DATA_LAYERS = frozenset(
    {"service", "services", "repository", "repositories", "crud", "manager"}
    | {"managers", "store", "dao", "queries"}
)


def _layer(path: str, role: str) -> str:
    """The layer a file is: its role, with the data layer its name says.

    ``feedback/service.py`` and ``feedback/repository.py`` are two layers of
    data access, the service calling the repository: a new module takes one
    of each.
    """
    if role != "service":
        return role
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    named = sorted(set(words(stem)) & _DATA_LAYERS)
    return f"service:{named[0].removesuffix('s')}" if named else role


def _better(a: tuple[bool, int, int, str], b: tuple[bool, int, int, str]) -> bool:
    """Named before not, nearer before farther, then shallower, then by path."""
    return (not a[0], -a[1], a[2], a[3]) < (not b[0], -b[1], b[2], b[3])


def _exemplar_files(
    model: ProjectModel,
    ex: Resource,
    old: Names,
    new: Names,
    add: Any,
    *,
    one_each: bool = False,
    skip: set[str] | None = None,
) -> None:
    # A new module beside the exemplar's takes one file of each of its layers.
    chosen = _nearest_per_role(ex, old) if one_each else None
    # Request and response classes go in the new resource's own schema
    # module where the exemplar has one, not in a shared one as well.
    mirrored = {f.role for f in ex.files if f.own and f.role == "schema"}
    for f in ex.files:
        if chosen is not None and f.own and f.path not in chosen:
            continue
        if skip and f.path in skip:
            continue
        if f.own and f.role in _MIRRORED:
            new_path = mirrored_path(model, f.path, old, new)
            add(new_path, f.role, f"as `{f.path}`", own=True)
            package_init(model, f.path, new_path, old, add)
        elif (
            not f.own
            and f.role in _SHARED_ROLES
            and f.role not in mirrored
            and _layer_module(model, ex, f.path)
        ):
            add(f.path, f.role, f"holds the `{ex.name}` {f.role} too", own=False)
    donor, tests = test_donor(model, ex, old)
    for t, fits in tests:
        mapped = mirrored_folders(model, t, donor, new)
        # A test kept in another resource's folder (`license/test_api.py`)
        # is that feature's: the new resource's tests do not go there. One
        # the whole project shares (`tests/test_main.py`) they do.
        if mapped != t or not _in_other_resource(model, t, donor):
            add(mapped, f"test:{fits}", f"as `{t}`", own=True)


def _in_other_resource(model: ProjectModel, path: str, donor: Names) -> bool:
    """Whether a folder of ``path`` is named for a resource other than ``donor``."""
    folders = path.split("/")[:-1]
    return any(
        mentions(part, names)
        for res in model.resources
        for names in [Names.guess(res.plural)]
        if names != donor
        for part in folders
    )


def _registries(
    model: ProjectModel,
    ex: Resource,
    new: Names,
    roles: frozenset[str] | None,
    skip: set[str],
) -> list[tuple[Registry, str]]:
    """The registries a new resource joins, each with why.

    Those listing files shaped like the exemplar's; for a whole new resource
    also the test data factories (``create_<name>`` for most resources).
    """
    patterns = _patterns(ex, roles, skip)
    out: list[tuple[Registry, str]] = []
    for reg in model.registries:
        if reg.pattern in patterns:
            out.append((reg, f"names {reg.named}/{reg.siblings} siblings"))
        elif reg.role == "factory" and roles is None:
            name = "_".join(new.singular)
            out.append((reg, f"`create_{name}` beside the others' factories"))

    return out


def _patterns(
    res: Resource, roles: frozenset[str] | None = None, skip: set[str] | None = None
) -> set[str]:
    from .registries import sibling_pattern

    names = Names.guess(res.plural)
    # A new resource joins the lists of the layers it gets a copy of, not
    # those of the exemplar's helpers (``events/cleanup.py``).
    return {
        p
        for f in res.files
        if f.own
        and (f.role in _MIRRORED if roles is None else f.role in roles)
        and not (skip and f.path in skip)
        and (p := sibling_pattern(f.path, names))
    }
