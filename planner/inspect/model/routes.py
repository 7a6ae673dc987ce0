"""Apps, the router tree, served prefixes and the routes every router serves."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import lru_cache

from .envelopes import wrapped_items
from .handlers import (
    called_functions,
    documenting_files,
    inherited_functions,
    paging_files,
    reaches_data,
    request_body,
)
from .index import Entity, ProjectIndex
from .pathtypes import route_path_types
from .records import App, Route, RouterModule
from .roles import is_test_path as is_test_path  # where planner.verify finds it
from .summary import CallSite, Expr, FuncInfo, RouteDef


@dataclass(slots=True)
class Edge:
    """A router included (or an app mounted) under a parent with a prefix."""

    child: Entity
    prefix: str
    order: tuple[str, int]


@dataclass(slots=True)
class RouterTree:
    """Routers and apps as a graph; ``served`` is each node's full prefix."""

    own: dict[Entity, str] = field(default_factory=dict)
    line: dict[Entity, int] = field(default_factory=dict)
    edges: dict[Entity, list[Edge]] = field(default_factory=dict)
    routes: dict[Entity, list[tuple[str, RouteDef]]] = field(default_factory=dict)
    served: dict[Entity, str] = field(default_factory=dict)
    unknowns: list[str] = field(default_factory=list)
    # Routers whose own prefix is no constant planner could read.
    unread: set[Entity] = field(default_factory=set)


def evaluate(
    index: ProjectIndex, module: str, scope: str, expr: Expr, depth: int = 0
) -> str | None:
    """The string an expression evaluates to, or None when a part is unknown."""
    out: list[str] = []
    for kind, text in expr:
        if kind == "s":
            out.append(text)
            continue
        if kind != "r" or depth > 6:
            return None
        value = _value_of(index, module, scope, text, depth)
        if value is None:
            return None
        out.append(value)
    return "".join(out)


def _value_of(
    index: ProjectIndex, module: str, scope: str, ref: str, depth: int
) -> str | None:
    fn = parameter_of(index, module, scope, ref)
    if fn is not None:
        return _argument_value(index, module, fn, ref, depth)
    for ent in index.resolve(module, scope, ref):
        if ent.kind == "const":
            c = next(
                c for c in index.by_module[ent.module].constants if c.name == ent.name
            )
            v = evaluate(index, ent.module, "", c.default, depth + 1)
            if v is not None:
                return v
        if ent.kind == "field":
            cls = index.class_info(Entity("class", ent.module, "", ent.scope))
            f = next(f for f in cls.fields if f.name == ent.name) if cls else None
            v = evaluate(index, ent.module, "", f.default, depth + 1) if f else None
            if v is not None:
                return v
    # settings.X through a getter or a lazily built object: the one literal default
    # any class or module gives the name X is what it evaluates to.
    last = ref.removesuffix("()").rsplit(".", 1)[-1]
    values = {
        v
        for mod, s in index.by_module.items()
        for fld in [*s.constants, *(f for c in s.classes for f in c.fields)]
        if fld.name == last and fld.default and all(k == "s" for k, _ in fld.default)
        for v in [evaluate(index, mod, "", fld.default, depth + 1)]
        if v is not None
    }
    return values.pop() if len(values) == 1 else None


def parameter_of(
    index: ProjectIndex, module: str, scope: str, name: str
) -> FuncInfo | None:
    """The top-level function of ``scope`` that takes ``name`` as a parameter."""
    top = scope.split(".")[0]
    if not top or "." in name:
        return None
    fn = next((f for f in index.by_module[module].functions if f.name == top), None)
    if fn is None or not (
        name in fn.params or any(d.name == name for d in fn.defaults)
    ):
        return None
    return fn


def _argument_value(
    index: ProjectIndex, module: str, fn: FuncInfo, name: str, depth: int
) -> str | None:
    """The string a parameter takes: what every call passes, else its default.

    ``register_routers(app, prefix="/api")`` gives ``prefix`` "/api"; calls
    passing different values leave it unknown.
    """
    default = next((d.default for d in fn.defaults if d.name == name), None)
    pos = str(fn.params.index(name)) if name in fn.params else ""
    target = Entity("func", module, "", fn.name)
    values: set[str | None] = set()
    for mod in index.callers_of(fn.name):
        for call in index.by_module[mod].calls:
            if call.func.rsplit(".", 1)[-1] != fn.name or target not in index.resolve(
                mod, call.scope, call.func, depth + 1
            ):
                continue
            passed = _passed(call, name, pos)
            if passed is None:
                values.add(
                    None
                    if default is None
                    else evaluate(index, module, "", default, depth + 1)
                )
            else:
                values.add(evaluate(index, mod, call.scope, passed, depth + 1))
    if not values and default is not None:
        values.add(evaluate(index, module, "", default, depth + 1))
    return values.pop() if len(values) == 1 else None


def _passed(call: CallSite, name: str, pos: str) -> Expr | None:
    """What a call passes for a parameter (by keyword or position), if anything."""
    for lit in call.literals:
        if lit.name in (name, pos):
            return lit.default
    named = [a.split("=", 1)[1] for a in call.args if a.startswith(name + "=")]
    positional = [a for a in call.args if "=" not in a]
    if named:
        return (("r", named[0]),)
    if pos and int(pos) < len(positional) and positional[int(pos)]:
        return (("r", positional[int(pos)]),)
    return None


def build_tree(index: ProjectIndex) -> RouterTree:
    """Resolve router definitions, includes, mounts and route owners."""
    tree = RouterTree()
    for mod in sorted(index.by_module):
        s = index.by_module[mod]
        path = index.path_of[mod]
        for r in s.routers:
            ent = Entity("router", mod, r.scope, r.name)
            prefix = evaluate(index, mod, r.scope, r.prefix)
            if prefix is None:
                tree.unknowns.append(
                    f"prefix of `{r.name}` in `{path}` is not a constant"
                )
                tree.unread.add(ent)
            tree.own[ent] = prefix or ""
            tree.line[ent] = r.line
    for mod in sorted(index.by_module):
        _edges(index, tree, mod)
        path = index.path_of[mod]
        for rd in index.by_module[mod].routes:
            owners = [
                e for e in index.resolve(mod, rd.scope, rd.owner) if e in tree.own
            ]
            for o in owners:
                tree.routes.setdefault(o, []).append((path, rd))
    return tree


def _edges(index: ProjectIndex, tree: RouterTree, mod: str) -> None:
    path = index.path_of[mod]
    for inc in index.by_module[mod].includes:
        parents = [
            e for e in index.resolve(mod, inc.scope, inc.parent) if e in tree.own
        ]
        children = [
            e
            for ref in inc.child
            for e in index.resolve(mod, inc.scope, ref)
            if e in tree.own
        ]
        prefix = evaluate(index, mod, inc.scope, inc.prefix)
        if prefix is not None and inc.mount:
            # Starlette strips a mount's trailing slash: "/" mounts at the root.
            prefix = prefix.rstrip("/")
        if prefix is None:
            tree.unknowns.append(f"prefix at `{path}:{inc.line}` is not a constant")
        for p in parents:
            for c in dict.fromkeys(children):
                if c != p:
                    tree.edges.setdefault(p, []).append(
                        Edge(c, prefix or "", (path, inc.line))
                    )


def _reach(tree: RouterTree, app: Entity) -> dict[Entity, str]:
    """Every node reachable from ``app`` with the first full prefix it is served at."""
    seen: dict[Entity, str] = {app: ""}
    stack: list[tuple[Entity, str]] = [(app, "")]
    while stack:
        node, base = stack.pop(0)
        inner = base + tree.own.get(node, "") if node != app else base
        for edge in sorted(tree.edges.get(node, []), key=lambda e: e.order):
            if edge.child not in seen:
                seen[edge.child] = inner + edge.prefix
                stack.append((edge.child, inner + edge.prefix))
    return seen


def join_path(prefix: str, path: str) -> str:
    """Concatenate like Starlette does (no slash is added or removed)."""
    full = prefix + path
    return full if full.startswith("/") else "/" + full


@dataclass(frozen=True, slots=True)
class RoutingFacts:
    """Apps, the pick and its reason, routers with served prefixes, routes."""

    apps: tuple[App, ...]
    api_app: App | None
    reason: str
    routers: tuple[RouterModule, ...]
    routes: tuple[Route, ...]
    unknowns: tuple[str, ...]


def read_routing(
    index: ProjectIndex, tree: RouterTree, app_ref: str | None
) -> RoutingFacts:
    """Pick the API app (most routes reached, or the configured one) and serve it."""
    apps = sorted(
        (
            e
            for e in tree.own
            if _is_app(index, e) and not is_test_path(index.path_of[e.module])
        ),
        key=lambda e: (index.path_of[e.module], tree.line[e]),
    )
    mounted = {edge.child for es in tree.edges.values() for edge in es}
    reach = {a: _reach(tree, a) for a in apps}
    counts = {a: sum(len(tree.routes.get(n, [])) for n in reach[a]) for a in apps}
    app_records = {
        a: App(
            index.path_of[a.module],
            a.name,
            tree.line[a],
            counts[a],
            next((reach[p][a] for p in apps if p != a and a in reach[p]), None),
        )
        for a in apps
    }
    pick, reason = _pick(index, apps, mounted, counts, app_ref)
    served = reach.get(pick, {}) if pick else {}
    routers: list[RouterModule] = []
    routes: list[Route] = []
    sessions = _Sessions(index)
    for node in sorted(tree.own, key=lambda e: (index.path_of[e.module], tree.line[e])):
        if _is_app(index, node) and node != pick and node not in served:
            continue
        base = served.get(node)
        full = (base or "") + tree.own[node] if node != pick else ""
        routers.append(
            RouterModule(
                index.path_of[node.module],
                node.name,
                tree.line[node],
                tree.own[node],
                full,
                base is not None,
                prefix_read=node not in tree.unread,
            )
        )
        for path, rd in tree.routes.get(node, []):
            sub = evaluate(index, node.module, rd.scope, rd.path)
            module = index.module_of[path]
            called = called_functions(index, module, rd)
            data = tuple(f for f, _ in called if reaches_data(index, f))
            routes.append(
                Route(
                    rd.method,
                    join_path(full, sub or ""),
                    path,
                    rd.line,
                    rd.function,
                    rd.status_code,
                    tuple(f for f, _ in called),
                    base is not None or node == pick,
                    rd.returns,
                    paging=paging_files(index, module, rd),
                    response=rd.response,
                    body=request_body(index, module, rd),
                    called=called,
                    mount=full,
                    owner=rd.owner,
                    session=sessions.taken_by(module, rd),
                    data=data,
                    inherited=inherited_functions(index, module, rd),
                    documented=documenting_files(index, module, rd),
                    items=_wrapped(index, module, rd),
                    path_types=route_path_types(
                        sub or "", {p.name: p.annotation for p in rd.params}
                    ),
                )
            )
    routes.sort(key=lambda r: (r.file, r.line, r.method, r.path))
    return RoutingFacts(
        tuple(app_records[a] for a in apps),
        app_records.get(pick) if pick else None,
        reason,
        tuple(routers),
        tuple(dict.fromkeys(routes)),
        tuple(dict.fromkeys(tree.unknowns)),
    )


def _wrapped(index: ProjectIndex, module: str, rd: RouteDef) -> str:
    """The list field and items' class of a list's own envelope, else "".

    Read for the routes that may be lists (a GET whose path ends in no
    parameter): a class's fields cost a search of its file.
    """
    last = "".join(v for k, v in rd.path if k == "s").rstrip("/").rpartition("/")[2]
    if rd.method != "GET" or last.startswith("{") or rd.returns == "list":
        return ""
    if not rd.response:
        return ""
    return wrapped_items(index, module, rd.response)


class _Sessions:
    """Which handlers take a database session, each dependency resolved once.

    An alias read from a module parsed for names only is parsed once a pass.
    """

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.trees: dict[str, ast.Module | None] = {}
        self.known: dict[tuple[str, str, str], bool] = {}

    def taken_by(self, module: str, rd: RouteDef) -> bool:
        return any(self._session(module, p.depends, p.annotation) for p in rd.params)

    def _session(self, module: str, depends: str, annotation: str) -> bool:
        # Imported here: both modules read the routes this one builds.
        from .conventions import is_session_dependency
        from .guards import dependency, param_target

        key = (module, depends, annotation)
        if key not in self.known:
            ref = param_target(depends, annotation, self.index, module, self.trees)
            dep = dependency(self.index, module, ref, annotation) if ref else None
            self.known[key] = dep is not None and is_session_dependency(
                dep.name, dep.annotation
            )
        return self.known[key]


@lru_cache(maxsize=1 << 16)  # asked of every path by every reader
def _is_app(index: ProjectIndex, ent: Entity) -> bool:
    s = index.by_module[ent.module]
    return any(
        r.kind == "app" and r.name == ent.name and r.scope == ent.scope
        for r in s.routers
    )


def _pick(
    index: ProjectIndex,
    apps: list[Entity],
    mounted: set[Entity],
    counts: dict[Entity, int],
    app_ref: str | None,
) -> tuple[Entity | None, str]:
    if app_ref:
        mod, _, name = app_ref.partition(":")
        chosen = [a for a in apps if a.module == mod and a.name == (name or "app")]
        if chosen:
            return chosen[0], f"configured app `{app_ref}`"
    roots = [a for a in apps if a not in mounted] or apps
    if not roots:
        return None, "no FastAPI app found"
    ranked = sorted(roots, key=lambda a: (-counts[a], index.path_of[a.module], a.name))
    best = ranked[0]
    where = f"`{index.path_of[best.module]}:{best.name}`"
    if len(ranked) == 1:
        return best, f"the only top-level app is {where} ({counts[best]} routes)"
    others = ", ".join(
        f"`{index.path_of[a.module]}:{a.name}` ({counts[a]})" for a in ranked[1:4]
    )
    return best, (
        f"several apps and no `[tool.planner] app`: picked {where} over {others} "
        f"because it reaches the most routes ({counts[best]})"
    )
