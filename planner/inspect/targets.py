"""Which files of a real project a spec touches, by analogy with its own resources.

The project model (`planner.inspect.model`) reads the code; this module asks it
for the targets of one spec and folds them into the layout the rules read, so
every rule names the project's own files.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath

from planner.inspect.layout import Layout
from planner.inspect.model import (
    ProjectModel,
    Targets,
    auth_targets,
    existing_resource_targets,
    find_resource,
    new_list_targets,
    new_resource_targets,
    paged_route,
    path_groups,
    read_project,
)
from planner.inspect.model.lists import model_registry
from planner.inspect.model.migrations import revision_seed, with_revisions
from planner.inspect.model.names import Names, mentions, replace_names
from planner.inspect.model.pathtypes import path_types_slot
from planner.inspect.model.records import TableClass, Target
from planner.inspect.model.tables import exemplar_table, find_table
from planner.inspect.model.usertable import (
    ref_tables_slot,
    table_keys_slot,
    user_table_slot,
)
from planner.inspect.storage import with_storage
from planner.spec import (
    AnySpec,
    AuthSpec,
    CrudResourceSpec,
    EndpointSpec,
    PaginationSpec,
)

__all__ = ["app_registry", "layout_for", "read_model", "targets_for"]


def read_model(
    project: Path, *, ignore: frozenset[str] = frozenset()
) -> ProjectModel | None:
    """Read the project model, or None when `project` serves no routes.

    `[tool.planner] app` names the API app where the project has several.
    Files whose relative path is in `ignore` are read as absent.
    """
    from planner.config import load_config

    model = read_project(project, app=load_config(project).app, ignore=ignore)
    return model if model.routes or model.resources else None


def targets_for(spec: AnySpec, model: ProjectModel | None) -> Targets | None:
    """Return the files and served paths `spec` touches in the modelled project."""
    if model is None:
        return None
    found = _targets(spec, model)
    if found is None:
        return None
    if isinstance(spec, EndpointSpec):
        # The path's grouping prefixes, so rules read the resource after them.
        groups = ("groups", " ".join(path_groups(model, spec.path)))
        # Its parameters' types, as the resource's (else the project's)
        # routes declare them.
        res = find_resource(model, f"{spec.method} {spec.path}", spec.path)
        types = path_types_slot(model, res, spec.path)
        found = dataclasses.replace(
            found, slots=(*found.slots, groups, *([types] if types else []))
        )
    named = _with_catch_all(model, _with_router_names(model, found))
    named = _with_user_table(spec, model, named)
    return with_revisions(named, model, revision_seed(spec))


def _with_user_table(spec: AnySpec, model: ProjectModel, targets: Targets) -> Targets:
    """Name the tables new keys point at: the users' and the referenced ones."""
    fields = spec.resource.fields if isinstance(spec, CrudResourceSpec) else ()
    refs = tuple(f.references for f in fields if f.type == "ref" and f.references)
    return dataclasses.replace(
        targets,
        slots=(
            *targets.slots,
            user_table_slot(model),
            table_keys_slot(model),
            ref_tables_slot(model, refs),
        ),
    )


def _with_catch_all(model: ProjectModel, targets: Targets) -> Targets:
    """Name a catch-all route that would answer the new paths if added first.

    ``catch_all`` is ``METHOD path file:line`` of a served route whose path
    ends in a ``{name:path}`` parameter below which a new endpoint lies.
    """
    for ep in targets.endpoints:
        for r in model.routes:
            head, _, rest = r.path.partition("{")
            if (
                r.served
                and r.method == ep.method
                and rest.endswith(":path}")
                and "{" not in rest[:-1]
                and ep.path.startswith(head)
                and ep.path != r.path
            ):
                found = f"{r.method} {r.path} {r.file}:{r.line}"
                return dataclasses.replace(
                    targets, slots=(*targets.slots, ("catch_all", found))
                )
    return targets


def _with_router_names(model: ProjectModel, targets: Targets) -> Targets:
    """Name the router objects the routes of each changed module sit on.

    ``router_names`` holds ``file|served prefix|name`` entries, ``;``-joined,
    ending in ``|unread`` where the router's own prefix is no constant:
    routes are added on the router the module's decorators name
    (``base_router``, imported from another module), not on one called
    ``router``.
    """
    changed = {t.path for t in targets.files if t.action == "modify"}
    unread = {(r.name, r.served_prefix) for r in model.routers if not r.prefix_read}
    names = sorted(
        {
            f"{r.file}|{r.mount.rstrip('/')}|{r.owner}"
            + ("|unread" if (r.owner, r.mount) in unread else "")
            for r in model.routes
            if r.file in changed and r.owner.isidentifier()
        }
    )
    if not names:
        return targets
    return dataclasses.replace(
        targets, slots=(*targets.slots, ("router_names", ";".join(names)))
    )


def _targets(spec: AnySpec, model: ProjectModel) -> Targets | None:
    if isinstance(spec, CrudResourceSpec):
        res = spec.resource
        new = Names.of(res.name, res.plural_name)
        return _with_tables(
            model,
            new,
            _ask_registry(
                model,
                _own_table_module(
                    model,
                    new,
                    new_resource_targets(
                        model,
                        singular=res.name,
                        plural=res.plural_name,
                        operations=frozenset(res.operations),
                        owned=res.owned_by_user,
                        paginated=spec.pagination.style != "none",
                        columns=tuple(f.column_name for f in res.fields),
                        queried=bool(res.filters or spec.pagination.sort),
                    ),
                ),
            ),
        )
    if isinstance(spec, AuthSpec):
        return auth_targets(
            model,
            scheme=spec.scheme,
            registration=spec.registration,
            refresh_tokens=spec.refresh_tokens,
        )
    if isinstance(spec, EndpointSpec | PaginationSpec):
        method = spec.method if isinstance(spec, EndpointSpec) else "GET"
        kind = "endpoint" if isinstance(spec, EndpointSpec) else "pagination"
        route = f"{method} {spec.path}"
        found = find_resource(model, route, spec.path)
        if found is not None:
            if isinstance(spec, EndpointSpec):
                return with_storage(
                    model,
                    spec,
                    existing_resource_targets(
                        model,
                        found,
                        kind=kind,
                        path=route,
                        body=bool(spec.request or spec.response),
                    ),
                    tables=found.tables,
                )
            # A list the project answers bare stays bare unless the spec asks
            # for an envelope; the rules read where the next page goes. A list
            # read by POST takes its paging fields in its request body.
            paged = paged_route(model, found, route)
            links = spec.links_for(
                bare_list=paged is not None and paged.returns == "list"
            )
            # The project's own generic page class (`Page[Item]`) needs no new
            # schema; a class of the list's own does.
            shared = model.convention(f"paging_{spec.style}_envelope").winner
            own_class = links == "envelope" and shared in (None, "list", "class")
            body = own_class or (paged is not None and paged.method == "POST")
            targets = existing_resource_targets(
                model, found, kind=kind, path=route, body=body
            )
            return dataclasses.replace(
                targets, slots=(*targets.slots, ("links", links))
            )
        if isinstance(spec, EndpointSpec):
            found_new = _new_endpoint(model, spec)
            return with_storage(model, spec, found_new, ()) if found_new else None
        return new_list_targets(model, path=spec.path, index=spec.style == "cursor")
    return None


def _with_tables(model: ProjectModel, new: Names, targets: Targets) -> Targets:
    """The targets with the exemplar's table class and the resource's own, if any.

    The rules follow how the exemplar's table is declared (its base classes
    and its ``id``) and, where the resource's table exists, that table's ids.
    """
    ex = targets.exemplar
    own = find_table(model, new)
    theirs = exemplar_table(model, ex) if ex is not None else None
    return dataclasses.replace(targets, exemplar_table=theirs, own_table=own)


def _own_table_module(model: ProjectModel, new: Names, targets: Targets) -> Targets:
    """The new table's own module where the exemplar's tables have one.

    A module that holds only the exemplar's tables (``app/user/models/user.py``)
    is that resource's, not the project's shared one: the new table gets its
    counterpart, with the ``__init__.py`` of each package the exemplar's sits
    in, up to the folder named for the resource.
    """
    ex = targets.exemplar
    if (
        ex is None
        or find_table(model, new) is not None
        or any(t.role == "model" for t in targets.files)
    ):
        return targets
    old = Names.guess(ex.plural)

    def named(table: TableClass) -> bool:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", table.name).lower()
        return mentions(snake, old) or mentions(table.tablename, old)

    own = sorted(
        f
        for f in {t.file for t in model.tables if named(t)}
        if mentions(PurePosixPath(f).name, old)
        and all(named(t) for t in model.tables if t.file == f)
    )
    if len(own) != 1:
        return targets
    path = own[0]
    added = {t.path: t for t in targets.files}
    mapped = replace_names(path, old, new)
    added.setdefault(mapped, Target(mapped, "create", "model", f"as `{path}`", True))
    folder = PurePosixPath(path).parent
    while folder.parts and f"{folder}/__init__.py" in model.paths:
        init = replace_names(f"{folder}/__init__.py", old, new)
        if init not in model.paths:
            why = f"as `{folder}/__init__.py`"
            added.setdefault(init, Target(init, "create", "package", why, True))
        if mentions(folder.name, old):
            break
        folder = folder.parent
    files_out = tuple(sorted(added.values(), key=lambda t: t.path))
    return dataclasses.replace(targets, files=files_out)


def _ask_registry(model: ProjectModel, targets: Targets) -> Targets:
    """Ask where a new router is registered when the model found no such module.

    The candidates are the router modules that serve no route of their own
    (include lists); the plan never registers a router in itself.
    """
    if (
        model.api_app is not None
        or app_registry(model) is not None
        or any(t.role in ("app", "registry") for t in targets.files)
        or not any(t.role == "router" and t.action == "create" for t in targets.files)
    ):
        return targets
    serving = {r.file for r in model.routes}
    candidates = sorted({r.file for r in model.routers} - serving)
    found = (
        "; the candidates, modules that include routers and serve none: "
        + ", ".join(f"`{c}`" for c in candidates)
        if candidates
        else " nor any module that includes routers"
    )
    question = f"Where are routers registered? planner found no FastAPI app{found}."
    return dataclasses.replace(targets, unknowns=(*targets.unknowns, question))


def _new_endpoint(model: ProjectModel, spec: EndpointSpec) -> Targets | None:
    """Targets of an endpoint on no existing resource, if the model can plan one."""
    from planner.inspect import model as project_model

    plan = getattr(project_model, "new_endpoint_targets", None)
    if plan is None:
        return None
    body = bool(spec.request or spec.response)
    # An endpoint that writes rows brings the data layers its module's
    # siblings have (a service and its repository), whatever its depth.
    stores = not spec.may_need_no_table
    targets: Targets = plan(
        model, method=spec.method, path=spec.path, body=body, stores=stores
    )
    return targets


def layout_for(
    layout: Layout, targets: Targets | None, model: ProjectModel | None
) -> Layout:
    """Return `layout` with the spec's own files, conventions and paths put in.

    Every file a rule would name that the project has no counterpart for is
    pointed at a file the plan touches anyway, so no path is invented.
    """
    if targets is None:
        return layout
    roles = _role_files(targets)
    existing = layout.existing | {t.path for t in targets.files if t.action == "modify"}
    router = roles.get("router", layout.route_module)
    tests = roles.get("test", layout.test_module)
    # A concrete file for the fields rules use as they are (not as patterns).
    anchor = roles.get("router", roles.get("app", layout.router_registry))

    used = _used_by_exemplar(layout, targets)
    tabled = _table_modules(layout, model)
    dirs = model.dirs if model else frozenset()

    def role(name: str, field: str, fallback: str) -> str:
        # The exemplar's file; else the layout's pattern where sibling
        # resources follow it, or its shared module where the exemplar uses
        # it; else a file the plan touches anyway.
        if name in roles:
            return roles[name]
        pattern: str = getattr(layout, field)
        if pattern in tabled:
            return pattern  # where the project's table classes live
        if used is not None and not any(_fits(path, pattern) for path in used):
            return _beside_package(fallback, dirs)  # not the exemplar's habit
        chosen = pattern if followed(layout, pattern) else fallback
        return _beside_package(chosen, dirs)

    changes: dict[str, object] = {
        "api_prefix": model.api_root if model else "",
        "existing": existing,
        "route_module": router,
        "model_module": role(
            "model", "model_module", roles.get("schema", layout.model_module)
        ),
        "schema_module": role("schema", "schema_module", router),
        "service_module": role("service", "service_module", router),
        "test_module": tests,
        # The shared fixtures that build the exemplar's objects, else the
        # layout's conftest where it exists.
        "conftest": roles.get(
            "fixtures",
            layout.conftest
            if layout.conftest in existing or "test" not in roles
            else roles["test"],
        ),
        "router_registry": _router_registry(layout, model, roles, router),
        "models_registry": model_registry(
            model,
            layout.models_registry if layout.models_registry in existing else None,
            table_file=roles.get("model"),
            env=layout.migrations_env if layout.migrations_env in existing else None,
        ),
    }
    # Dependencies go where the routes' own guards come from.
    guarded = {"deps_module": _guard_module(model, existing) or layout.deps_module}
    for kind, name in (
        ("dependency", "deps_module"),
        ("settings", "settings_module"),
        ("security", "security_module"),
    ):
        current = guarded.get(name, getattr(layout, name))
        changes[name] = roles.get(kind, current if current in existing else anchor)
    if layout.main_module not in existing:
        changes["main_module"] = changes["router_registry"]
    if "migration" in roles:
        changes["migration_file"] = roles["migration"]
        changes["migrations_dir"] = PurePosixPath(roles["migration"]).parent.as_posix()
    changes.update(_conventions(dict(targets.conventions)))
    changes["findings"] = _registered_in(layout, str(changes["router_registry"]))
    return dataclasses.replace(layout, **changes)  # type: ignore[arg-type]


def _role_files(targets: Targets) -> dict[str, str]:
    """The file rules write each role's guidance to."""
    roles: dict[str, str] = {}
    # The resource's own file of a role before a shared one it joins.
    for target in sorted(targets.files, key=lambda t: not t.own):
        roles.setdefault(target.role, target.path)
    # Where the exemplar splits its schemas by role, rules write to the
    # module of request bodies.
    request = targets.slot("schema_request")
    if request:
        roles["schema"] = request
    return roles


def _guard_module(model: ProjectModel | None, existing: frozenset[str]) -> str | None:
    """The module defining the dependency the routes guard with, if any.

    Where the routes' own dependencies come from, not a module merely named
    for dependencies (an app-wide logging one); the current user's first.
    """
    guards = model.guards if model else ()
    return next((g.file for g in guards if g.file in existing), None)


def _used_by_exemplar(layout: Layout, targets: Targets) -> set[str] | None:
    """The exemplar's files, and its counterparts of the layout's patterns.

    A counterpart counts when it exists, used by the router directly or not
    (`services/tool_manager.py`). None without an exemplar.
    """
    ex = targets.exemplar
    if ex is None:
        return None
    used = {f.path for f in ex.files}
    for field in ("model_module", "schema_module", "service_module"):
        pattern: str = getattr(layout, field)
        counterpart = pattern.replace("{singular}", ex.singular).replace(
            "{plural}", ex.plural
        )
        package = counterpart.removesuffix(".py") + "/__init__.py"
        if "{" in pattern and (
            counterpart in layout.existing or package in layout.existing
        ):
            used.add(counterpart)  # a module, or a package in its place
    return used


def _beside_package(path: str, dirs: frozenset[str]) -> str:
    """A module path, or a module per resource in the package of that name.

    ``app/models.py`` cannot be created beside an ``app/models/`` package:
    Python would import the package.
    """
    stem = path.removesuffix(".py")
    if "{" in path or stem == path or stem not in dirs:
        return path
    return stem + "/{singular}.py"


def _table_modules(layout: Layout, model: ProjectModel | None) -> set[str]:
    """Modules holding the project's table classes, read or laid out.

    Declarative mixins and derived table names hide tables from the model;
    the one existing models module of an ORM project still holds them.
    """
    found = {t.file for t in model.tables} if model else set()
    module = layout.model_module
    if layout.orm_found and "{" not in module and module in layout.existing:
        found.add(module)
    return found


def _registered_in(layout: Layout, registry: str) -> tuple[str, ...]:
    """The findings, saying where routers are registered as the plan has it."""
    if registry == layout.router_registry:
        return layout.findings
    return tuple(
        f"routers are registered in {registry}"
        if finding.startswith("routers are registered in ")
        else finding
        for finding in layout.findings
    )


def _router_registry(
    layout: Layout, model: ProjectModel | None, roles: dict[str, str], router: str
) -> str:
    """Where the new router is registered; never in the new router itself.

    The include list the new resource joins (a list of another layer, such
    as a container of repositories, registers no router), else the API app's,
    else the
    module the layout found including the most resource routers, else the
    API app's own module; without any, the layout's (and the plan asks).
    """
    found = roles.get("app") or app_registry(model)
    if found:
        return found
    home = model.api_app.file if model and model.api_app else None
    for path in (layout.router_registry, home):
        if path and path != router and path in layout.existing:
            return path
    return layout.router_registry


def app_registry(model: ProjectModel | None) -> str | None:
    """The file that includes the API app's routers, as the model read it.

    The API app's own module where it lists them (through a helper or not),
    else the file that lists the most.
    """
    if model is None:
        return None
    apps = [r for r in model.registries if r.role == "app"]
    if not apps:
        return None
    home = model.api_app.file if model.api_app else None
    return min(apps, key=lambda r: (r.path != home, -r.named, r.path)).path


def _shape(pattern: str) -> re.Pattern[str]:
    """The paths a `{singular}`/`{plural}` pattern stands for."""
    parts = [re.escape(p) for p in re.split(r"\{(?:singular|plural)\}", pattern)]
    return re.compile("[a-z0-9_]+".join(parts))


def _fits(path: str, pattern: str) -> bool:
    return (
        path == pattern if "{" not in pattern else bool(_shape(pattern).fullmatch(path))
    )


def followed(layout: Layout, pattern: str) -> bool:
    """Tell whether two files of the project fit a `{singular}`/`{plural}` pattern."""
    if "{" not in pattern:
        return pattern in layout.existing
    shape = _shape(pattern)
    # Followed by siblings: one file alone is no pattern (`workers/services/
    # cleanup.py` says nothing of where a new resource's service goes).
    return sum(1 for path in layout.existing if shape.fullmatch(path)) >= 2


def _conventions(found: dict[str, str]) -> dict[str, object]:
    """The layout values the project's measured conventions settle."""
    changes: dict[str, object] = {}
    session = found.get("session_dependency", "")
    if session:
        changes["session_dep"] = session.partition(" ")[0]
        changes["session_dep_exists"] = True
    if found.get("session_param", "").isidentifier():
        changes["session_param"] = found["session_param"]
    user = found.get("current_user_dependency", "")
    if user:
        changes["current_user_dep"] = user.partition(" ")[0]
    # The session the routes are typed with; else sync handlers, which could
    # not await an async one. Async handlers say nothing of their session.
    kind = found.get("session_kind") or (
        "sync" if found.get("sync_async") == "sync" else ""
    )
    if kind:
        changes["session_is_async"] = kind == "async"
    # One class per role: a suffix an earlier role took (`TagIn` both
    # created and replaced with) leaves the later role its default.
    taken: set[str] = set()
    for role, default in _SCHEMA_DEFAULTS:
        suffix = found.get(f"schema_{role}_suffix", "")
        chosen = suffix if suffix and suffix not in taken else default
        taken.add(chosen)
        if chosen != default:
            changes[f"schema_{role}_suffix"] = chosen
    return changes


_SCHEMA_DEFAULTS = (("read", "Public"), ("create", "Create"), ("update", "Update"))
