"""The dependencies every route runs, wherever they are declared, and its guards.

FastAPI runs a route's dependencies from five places: the ``dependencies=``
of its app and of every router above it (``FastAPI(...)``, ``APIRouter(...)``),
those an ``include_router(...)`` adds, the route decorator's, and the route
function's parameters. A project guards routes as often in the first four as
in the last, so each route's list is gathered from all of them.

A *guard* is a dependency that identifies the caller (``get_current_user``)
or admits callers by role (``require_admin``). Which modules use a guard is
what a plan that changes how routes are guarded needs to know.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from .astbits import assigned_value, refs_of
from .credentials import Readings as _Readings
from .guardtext import (
    decorator_callees,
    decorator_refusal,
    decorator_text,
    written_as,
)
from .index import Entity, ProjectIndex
from .names import words
from .records import Guard, Route, RouterModule, Vote
from .routes import RouterTree, RoutingFacts, is_test_path
from .summary import RouteDef


@dataclass(frozen=True, slots=True)
class Dep:
    """One dependency of a route, as written and as resolved.

    ``written`` is ``ref (where)`` as conventions show it; ``name`` and
    ``module`` are where the dependency is defined (``get_user``,
    ``app.deps``); ``declared_in`` is the module whose code names it.
    """

    written: str
    name: str
    module: str
    declared_in: str
    annotation: str = ""
    # Declared on an app (``FastAPI(dependencies=...)``): every route runs it,
    # so it says nothing of how the project guards one route or resource.
    app_wide: bool = False
    # The route parameter that takes it (``db`` of ``db: Session = Depends(...)``),
    # "" where it is applied in ``dependencies=[...]``.
    param: str = ""

    @property
    def label(self) -> str:
        """``name (module)``."""
        return f"{self.name} ({self.module})"


@dataclass(frozen=True, slots=True)
class RouteUse:
    """A route definition and every dependency that runs before it.

    ``params`` give the route a value; ``applied`` do not (``dependencies=``
    of the decorator, routers, includes and app).
    """

    module: str
    path: str
    rd: RouteDef
    params: tuple[Dep, ...]
    applied: tuple[Dep, ...]

    @property
    def deps(self) -> tuple[Dep, ...]:
        """Every dependency, each once."""
        return tuple({d.written: d for d in (*self.params, *self.applied)}.values())

    @property
    def chosen(self) -> tuple[Dep, ...]:
        """The dependencies chosen for this route or its router, not app-wide."""
        return tuple(d for d in self.deps if not d.app_wide)


def dependency(
    index: ProjectIndex,
    module: str,
    ref: str,
    annotation: str = "",
    *,
    app_wide: bool = False,
) -> Dep:
    """A reference written in ``module``, resolved through its imports."""
    target = ref.removesuffix("()")
    head = target.split(".")[0]
    imp = next((i for i in index.by_module[module].imports if i.local == head), None)
    if imp is not None:
        where = imp.target.rsplit(".", 1)[0]
        full = imp.target + target[len(head) :]
    else:
        where, full = module, f"{module}.{target}"
    owner, _, name = full.rpartition(".")
    return Dep(
        f"{target} ({where})", name, owner or module, module, annotation, app_wide
    )


# Words of a dependency that stands for a person, and of one that does not
# identify the caller even when it names a user (a lookup, a manager, a form).
_PERSON = frozenset({"user", "superuser", "member", "principal", "identity", "caller"})
_CURRENT_ONLY = frozenset({"admin", "owner"})
_NOT_IDENTITY = frozenset(
    {
        "by", "id", "or", "404", "paginated", "create", "update",
        "list", "manager", "db", "session", "settings", "config", "flow",
        "form", "request", "service", "repository", "repo", "crud",
        "translations", "locale", "factory", "schema", "count",
    }
)  # fmt: skip
# What an auth library is built from (fastapi-users' ``AuthBackendStrategyDep``)
# and what meters callers (``ApiUserRateLimiter``): never a check of the caller,
# though named for a user.
_MACHINERY = frozenset(
    {"strategy", "backend", "transport", "limiter", "throttle", "throttler"}
)
_IDENTITY_NOTES = {
    2: "counts the dependencies that name the caller (`current` and a user in "
    "the name, or a parameter typed as a user)",
    1: "counts the dependencies named for a user; none names the current user",
    0: "no dependency is named for a user: counts those whose names hold "
    "user, auth or role",
}


# A dependency that admits only some callers: ``require_role``, ``require_admin``,
# ``current_admin_user``, ``get_current_active_superuser``, ``PermissionDependency``.
_ROLE_CHECK = re.compile(r"(?i)admin|superuser|role|permission|staff")
# What an admin's session, token or manager getter is named for: no check.
_NOT_A_CHECK = re.compile(r"(?i)session|manager|token|db")


def is_role_check(ref: str) -> bool:
    """Whether a dependency admits only some callers, by its name."""
    name = ref.rsplit(".", 1)[-1]
    return bool(_ROLE_CHECK.search(name)) and not _NOT_A_CHECK.search(name)


def identity_tier(dep: Dep) -> int:
    """How surely a dependency identifies the caller: 2, 1, 0, or -1 (not at all).

    2: ``get_current_user``, ``current_active_user``, or any dependency a
    parameter types as a user (``account_user: AccountUser``); 1: named for a
    user (``get_user``, ``require_user``), or a role check that gives the user
    (``current_admin_user``): it identifies the caller, but not every caller;
    0: a name holding user, auth or role (``get_authentication_flow``).
    """
    if decorator_refusal(dep.module, dep.name):
        return 2
    low = dep.written.partition(" ")[0].lower()
    if "session" in low or "db" in low:
        return -1  # the session vote's
    named = set(words(dep.name))
    typed = set(words(dep.annotation)) - {"dep", "annotated"}
    if named & _MACHINERY:
        return -1
    tier = 0 if any(k in low for k in ("user", "auth", "role")) else -1
    if not named & _NOT_IDENTITY:
        if named & _PERSON:
            tier = 1
        if ("current" in named and named & (_PERSON | _CURRENT_ONLY)) or (
            typed & _PERSON and not typed & _NOT_IDENTITY
        ):
            tier = 2
    return min(tier, 1) if is_role_check(dep.name) else tier


def param_target(
    depends: str,
    annotation: str,
    index: ProjectIndex | None = None,
    module: str = "",
    trees: dict[str, ast.Module | None] | None = None,
) -> str:
    """What a parameter depends on: ``Depends(x)``, or an ``Annotated`` alias.

    An alias the project defines is one when its ``Annotated[...]`` carries a
    call (``Depends(get_session)``, ``RoleACL(...)``), whatever its name
    (``AsyncDBSession``, ``WorkspaceUserRole``); one from a library is known
    by its name only.
    """
    if depends:
        return depends
    if index is not None and annotation:
        found = _alias_refs(index, module, annotation, {} if trees is None else trees)
        if found is not None:
            return annotation if _runs_dependency(found) else ""
    named = set(words(annotation))
    if annotation.endswith("Dep") or ("current" in named and named & _PERSON):
        return annotation
    return ""


def _runs_dependency(refs: tuple[str, ...]) -> bool:
    """Whether an alias's references are ``Annotated[T, <a call>]``."""
    return (
        bool(refs)
        and refs[0].rsplit(".", 1)[-1] == "Annotated"
        and any(r.endswith("()") for r in refs[1:])
    )


def _alias_refs(
    index: ProjectIndex,
    module: str,
    name: str,
    trees: dict[str, ast.Module | None],
    hops: int = 0,
) -> tuple[str, ...] | None:
    """The references of the module-level alias ``name``, through imports.

    None when the name is not a project alias (a class, or a library's name).
    A module read for names only (no FastAPI in it) is parsed here, once.
    """
    summary = index.by_module.get(module)
    if summary is None or hops > 4 or "." in name:
        return None
    for alias in summary.aliases:
        if alias.scope == "" and alias.name == name:
            return alias.refs
    if not summary.parsed and name in summary.defined:
        if module not in trees:
            trees[module] = index.tree(module)
        value = _assigned(trees[module], name)
        return refs_of(value) if value is not None else None
    imp = next((i for i in summary.imports if i.local == name), None)
    split = index.split_module(imp.target) if imp is not None else None
    if split is None or len(split[1]) != 1:
        return None
    return _alias_refs(index, split[0], split[1][0], trees, hops + 1)


def _assigned(tree: ast.Module | None, name: str) -> ast.expr | None:
    """The value a module assigns to ``name`` at its top level."""
    for node in tree.body if tree is not None else ():
        value = assigned_value(node, name)
        if value is not None:
            return value
    return None


def _own(index: ProjectIndex, ent: Entity) -> tuple[Dep, ...]:
    """The ``dependencies=`` of an app or router's own constructor."""
    for r in index.by_module[ent.module].routers:
        if r.name == ent.name and r.scope == ent.scope:
            return tuple(
                dependency(index, ent.module, d, app_wide=r.kind == "app")
                for d in r.dependencies
            )
    return ()


def _inherited(
    index: ProjectIndex, tree: RouterTree, first: Entity | None
) -> dict[Entity, tuple[Dep, ...]]:
    """Each router's dependencies with those of the apps and includes above it.

    Routers are reached from the API app first, then from every other root;
    a mounted app starts afresh, as Starlette runs none of its parent's.
    """
    own = {e: _own(index, e) for e in tree.own}
    added: dict[tuple[str, int], tuple[Dep, ...] | None] = {}
    for mod, s in index.by_module.items():
        for inc in s.includes:
            deps = tuple(dependency(index, mod, d) for d in inc.dependencies)
            added[(index.path_of[mod], inc.line)] = None if inc.mount else deps
    out = dict(own)
    children = {edge.child for es in tree.edges.values() for edge in es}
    roots = [first] if first is not None else []
    roots += sorted(
        (e for e in tree.own if e not in children),
        key=lambda e: (index.path_of[e.module], tree.line[e]),
    )
    seen: set[Entity] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        queue = [root]
        while queue:
            node = queue.pop(0)
            for edge in sorted(tree.edges.get(node, []), key=lambda e: e.order):
                if edge.child in seen:
                    continue
                seen.add(edge.child)
                via = added.get(edge.order, ())
                above = () if via is None else out[node] + via
                out[edge.child] = above + own[edge.child]
                queue.append(edge.child)
    return out


def _api_entity(
    index: ProjectIndex, tree: RouterTree, routing: RoutingFacts
) -> Entity | None:
    app = routing.api_app
    if app is None:
        return None
    return next(
        (
            e
            for e in tree.own
            if index.path_of[e.module] == app.file
            and e.name == app.name
            and tree.line[e] == app.line
        ),
        None,
    )


def _key(path: str, rd: RouteDef) -> tuple[str, int, str, str]:
    return (path, rd.line, rd.method, rd.function)


def read_uses(
    index: ProjectIndex, tree: RouterTree, routing: RoutingFacts
) -> tuple[tuple[RouteUse, ...], RoutingFacts]:
    """Every route's dependencies, and the routing facts with guards filled in."""
    inherited = _inherited(index, tree, _api_entity(index, tree, routing))
    trees: dict[str, ast.Module | None] = {}
    owners: dict[tuple[str, int, str, str], list[Entity]] = {}
    for ent, defs in tree.routes.items():
        for path, rd in defs:
            owners.setdefault(_key(path, rd), []).append(ent)
    uses: list[RouteUse] = []
    for mod in sorted(index.by_module):
        path = index.path_of[mod]
        for rd in index.by_module[mod].routes:
            params = tuple(
                dataclasses.replace(
                    dependency(index, mod, t, p.annotation), param=p.name
                )
                for p in rd.params
                if (t := param_target(p.depends, p.annotation, index, mod, trees))
            )
            above = [d for o in owners.get(_key(path, rd), []) for d in inherited[o]]
            own = [dependency(index, mod, d) for d in rd.dependencies]
            own += [
                dep
                for name in decorator_callees(rd)
                if decorator_refusal(
                    (dep := dependency(index, mod, name)).module, dep.name
                )
            ]
            applied = tuple({d.written: d for d in (*above, *own)}.values())
            uses.append(RouteUse(mod, path, rd, params, applied))
    return tuple(uses), _with_guards(index, tree, routing, uses, inherited)


def _labels(deps: tuple[Dep, ...] | list[Dep]) -> tuple[str, ...]:
    """The labels of the dependencies chosen for a route or router.

    The app's own run for every route: they tell one router from no other.
    """
    return tuple(dict.fromkeys(d.label for d in deps if not d.app_wide))


def _with_guards(
    index: ProjectIndex,
    tree: RouterTree,
    routing: RoutingFacts,
    uses: list[RouteUse],
    inherited: dict[Entity, tuple[Dep, ...]],
) -> RoutingFacts:
    by_route = {
        (u.path, u.rd.line, u.rd.method, u.rd.function): _labels(u.applied)
        for u in uses
    }
    by_router = {
        (index.path_of[e.module], e.name, tree.line[e]): _labels(deps)
        for e, deps in inherited.items()
    }

    def route(r: Route) -> Route:
        found = by_route.get((r.file, r.line, r.method, r.function), ())
        return dataclasses.replace(r, guards=found) if found else r

    def router(rm: RouterModule) -> RouterModule:
        found = by_router.get((rm.file, rm.name, rm.line), ())
        return dataclasses.replace(rm, guards=found) if found else rm

    return dataclasses.replace(
        routing,
        routes=tuple(route(r) for r in routing.routes),
        routers=tuple(router(rm) for rm in routing.routers),
    )


def current_user_vote(uses: tuple[RouteUse, ...]) -> Vote:
    """The current-user dependency: each route's votes, in the surest tier only.

    A route votes once for each dependency it runs, from a parameter or from
    any ``dependencies=``; only the dependencies of the surest tier found
    (see :func:`identity_tier`) are counted, and the note says how many uses
    of the others were left out.
    """
    tiers: dict[int, Counter[str]] = {2: Counter(), 1: Counter(), 0: Counter()}
    for use in uses:
        for dep in use.chosen:
            tier = identity_tier(dep)
            if tier >= 0:
                tiers[tier][dep.written] += 1
    best = next((t for t in (2, 1, 0) if tiers[t]), None)
    if best is None:
        return Vote("current_user_dependency", ())
    left = sum(sum(tiers[t].values()) for t in (2, 1, 0) if t < best)
    note = _IDENTITY_NOTES[best] + (
        f"; {left} uses of other user or auth dependencies left out" if left else ""
    )
    return Vote("current_user_dependency", tuple(sorted(tiers[best].items())), note)


# The order guards are listed in: who the caller is, then what admits them.
_KIND_ORDER = {"current-user": 0, "role-check": 1, "credential": 2}


def find_guards(
    index: ProjectIndex, uses: tuple[RouteUse, ...], votes: tuple[Vote, ...]
) -> tuple[Guard, ...]:
    """The guards routes run, each with what it reads and who uses it.

    A guard is a dependency the votes counted, or one that reads a credential
    from the request (``get_key_type`` reading an ``APIKeyHeader``), whatever
    it is named.
    """
    counted: dict[str, str] = {}
    # A dependency both votes counted (``current_admin_user``) is the caller's.
    for name in ("current_user_dependency", "role_check_dependency"):
        vote = next((v for v in votes if v.name == name), None)
        for value, _ in vote.counts if vote else ():
            counted.setdefault(
                value, name.removesuffix("_dependency").replace("_", "-")
            )
    readings = _Readings(index)
    found: dict[tuple[str, str], tuple[str, Counter[tuple[str, int]], set[str]]] = {}
    for use in uses:
        for dep in use.chosen:
            kind = counted.get(dep.written)
            if kind is None and readings.of(dep).reads:
                kind = "credential"
            if kind is None:
                continue
            entry = found.setdefault((dep.name, dep.module), (kind, Counter(), set()))
            entry[1][(use.path, use.rd.line)] += 1
            entry[2].add(index.path_of.get(dep.declared_in, use.path))
    guards = []
    for (name, module), (kind, routes, files) in found.items():
        reading = readings.of_name(module, name)
        if refusal := decorator_refusal(module, name):
            reading = dataclasses.replace(reading, refuses=(refusal,), missing=refusal)
        guards.append(
            dataclasses.replace(
                _guard(index, name, module, kind, sum(routes.values()), files),
                uses=tuple(sorted(routes)),
                reads=reading.reads,
                challenge=reading.challenge,
                refuses=reading.refuses,
                automatic=reading.automatic,
                oauth2=reading.oauth2,
                returns=reading.returns,
                missing=reading.missing,
                params=reading.params,
                written=written_as(readings, uses, name, module)
                or decorator_text(uses, _local(uses, name, module)),
            )
        )
    return tuple(
        sorted(guards, key=lambda g: (_KIND_ORDER[g.kind], -g.routes, g.label))
    )


def _guard(
    index: ProjectIndex,
    name: str,
    module: str,
    kind: str,
    routes: int,
    files: set[str],
) -> Guard:
    for mod in index.modules_importing(f"{module}.{name}"):
        files.add(index.path_of[mod])
    users = sorted(p for p in files if not is_test_path(p))
    summaries = [index.by_module.get(index.module_of.get(p, "")) for p in users]
    routers = tuple(
        p
        for p, s in zip(users, summaries, strict=True)
        if s is not None and (s.routes or s.routers)
    )
    return Guard(
        name,
        module,
        _defined_in(index, module, name),
        kind,
        routes,
        tuple(users),
        routers,
    )


def _defined_in(index: ProjectIndex, module: str, name: str) -> str | None:
    """The file that defines a guard, through a package that re-exports it.

    ``core.deps`` re-exports ``PermissionGate`` from ``core/deps/permission.py``.
    """
    if module in index.by_module:
        for ent in index.resolve(module, "", name):
            # Defined under its own name: an alias (``CurrentUser =
            # Annotated[User, ...]``) resolves to what it annotates.
            if (
                ent.kind in ("func", "class")
                and ent.name == name
                and ent.module in index.path_of
            ):
                return index.path_of[ent.module]
    return index.path_of.get(module)


def _local(uses: tuple[RouteUse, ...], name: str, module: str) -> str:
    """The name a route module calls a dependency by (its import's local name)."""
    for use in uses:
        for dep in use.applied:
            if (dep.name, dep.module) == (name, module):
                return dep.written.partition(" ")[0]
    return name
