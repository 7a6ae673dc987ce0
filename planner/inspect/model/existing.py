"""Targets for changes to existing code: endpoints and pagination on a resource.

The files are the ones an engineer opens: the router module serving the route,
the data-access module the handler calls into, the schema module when the
request body carries the change, and the test module of that router.
"""

from __future__ import annotations

from collections import Counter

from .analogy import _conventions
from .itempaths import operation_of
from .names import COLLECTION_ACTIONS, Names, mentions, words
from .records import Endpoint, ProjectModel, Resource, Route, Target, Targets
from .roles import is_test_path
from .tables import find_table
from .testfiles import (
    beside_tests,
    handler_test,
    handler_test_shape,
    mirror_test,
    router_test,
)

# Module names that say a file reads and writes data, best first after a tie.
DATA_WORDS = frozenset(
    {"crud", "repository", "repositories", "db", "queries", "store", "dao"}
    | {"manager", "managers", "records"}
)


def existing_resource_targets(
    model: ProjectModel,
    resource: Resource,
    *,
    kind: str,
    path: str = "",
    body: bool = True,
) -> Targets:
    """Files to modify to add an endpoint to, or paginate, an existing resource.

    ``path`` (``"GET /runs"`` or ``"/runs"``), when given, names the route that
    changes; without it a pagination changes the resource's list routes.
    ``body`` False says no request or response model changes (an endpoint
    without fields, a page sent as a bare list with a ``Link`` header).
    """
    routes = _routes(model, resource, kind, path)
    router = routes[0].file if routes else resource.router_file
    files = [Target(router, "modify", "router", f"serves `{resource.name}`")]
    inline = _inline_data(model, resource, kind, path)
    service = "" if inline else _service(model, resource, routes)
    base = _inherited(routes, service) if kind == "pagination" and path else ""
    if base:
        # The list calls a generic base's method through an instance: the
        # query to page is the base's, not the instance's module.
        why = "defines the data function the list calls"
        files.append(Target(base, "modify", "service", why))
    elif service:
        files.append(Target(service, "modify", "service", "the handler calls it"))
    schema = _schema(resource, routes) if body else ""
    if schema:
        files.append(Target(schema, "modify", "schema", "holds the request body"))
    test, per_handler = _test_target(model, resource, routes, router, service, kind)
    files += test
    if kind == "pagination":
        files += _factories(model, resource)
    item = next((p for r in resource.routes for p in _params(r.path)[-1:]), "id")
    served = tuple(
        Endpoint(r.method, r.path, r.status_code or 200, "list")
        for r in routes[:1]
        if kind == "pagination" and path
    )
    slots = (_listed(model, resource, routes[0]) if served else ()) + per_handler
    if inline:
        slots = (*slots, *inline)
    elif kind == "endpoint":
        slots = (*slots, *data_like(routes, service))
    return Targets(
        resource,
        f"extends `{resource.name}`: {router}",
        tuple(sorted(dict((t.path, t) for t in files).values(), key=_by_path)),
        resource.served_prefix,
        "{" + item + "}",
        model.convention("trailing_slash").winner == "yes",
        served,
        _conventions(model, resource),
        model.unknowns,
        slots,
    )


def _test_target(
    model: ProjectModel,
    resource: Resource,
    routes: list[Route],
    router: str,
    service: str,
    kind: str,
) -> tuple[list[Target], tuple[tuple[str, str], ...]]:
    """The test module that changes, or the slot naming one per new handler."""
    names = Names.guess(resource.plural)
    test = router_test(model, router, names)
    test = test or (mirror_test(model, service, names) if service else "")
    if test:
        return [Target(test, "modify", "test", f"tests `{router}`")], ()
    if kind == "endpoint" and (shape := handler_test_shape(resource)):
        # The new handler's own module: its name is the plan's to choose.
        return [], (("handler_test", shape),)
    if routes and (per := handler_test(resource, routes[0].function)):
        action = "modify" if per in model.paths else "create"
        return [Target(per, action, "test", "one test module per handler")], ()
    if beside := beside_tests(model, resource, router):
        action = "modify" if beside in model.paths else "create"
        return [Target(beside, action, "test", f"tests `{router}`")], ()
    return [], ()


def _inline_data(
    model: ProjectModel, res: Resource, kind: str, hint: str
) -> tuple[tuple[str, str], ...]:
    """The ``data_inline`` slot where the routes like a new one do their own work.

    Where the resource's DELETE routes (else the project's) call no
    data-access module but delete with the session they take, a new DELETE
    does the same in its handler: a data-access function would be the only
    one of its kind.
    """
    method, _, path = hint.rpartition(" ")
    if kind != "endpoint" or not method:
        return ()
    mine = [r for r in res.routes if r.method == method]
    if mine:
        return inline_slot(model, mine, path)
    return inline_slot(
        model,
        [
            r
            for r in model.routes
            if r.method == method and r.served and not is_test_path(r.file)
        ],
        path,
    )


def inline_slot(
    model: ProjectModel, routes: list[Route], path: str
) -> tuple[tuple[str, str], ...]:
    """``data_inline``: the route like ``path`` whose handler does its data work.

    Only where every one of ``routes`` that touches data does it with the
    session it takes, calling no data-access module (a table's own methods,
    ``Cluster.one_by_id(session, id)``, are the handler's work). A handler
    handed no session reaches its data some other way (a repository on a
    controller), which is not the handler's own work; one touching no data
    at all (``/users/me`` answering the current user) says nothing. The
    value is ``function file:line``, with the table call it makes.
    """
    tables = _table_names(model)
    working = [r for r in routes if r.session or data_calls(model, r, tables)]
    if not working or not all(r.session for r in working):
        return ()
    if any(data_calls(model, r, tables) for r in working):
        return ()
    like = _nearest(tuple(working), path)[0] if path else working[0]
    where = f"{like.function} {like.file}:{like.line}"
    call = next(
        (
            label
            for file, label in like.called
            if "." in label and label.split(".")[0] in tables.get(file, ())
        ),
        "",
    )
    return (("data_inline", f"{where} {call}".rstrip()),)


def _table_names(model: ProjectModel) -> dict[str, frozenset[str]]:
    """The table classes of each module that defines some."""
    found: dict[str, set[str]] = {}
    for t in model.tables:
        found.setdefault(t.file, set()).add(t.name)
    return {f: frozenset(names) for f, names in found.items()}


def data_calls(
    model: ProjectModel,
    route: Route,
    tables: dict[str, frozenset[str]] | None = None,
) -> tuple[str, ...]:
    """The data-access modules a handler calls, less the tables it works on itself.

    ``Cluster.one_by_id(session, id)`` (a table's class method taking the
    session), ``SearchSpace(...)`` or ``SearchSpace.name.startswith(...)``
    reach the module of the tables (a ``db.py``) without calling its data
    access: the query is the handler's own. A function that module defines
    for the handler to call (``get_user_by_email``) is data access.
    """
    if not route.data:
        return ()
    tables = _table_names(model) if tables is None else tables
    called = dict(route.called)
    out = []
    for path in route.data:
        label = called.get(path, "")
        held = tables.get(path, frozenset())
        head, dot, _ = label.partition(".")
        # A class of the module's tables, or a method no name of the module
        # spells (a column's): the handler's own work.
        own = head in held or (bool(held) and not dot and _unnamed(model, path, label))
        if not own:
            out.append(path)
    return tuple(out)


def _unnamed(model: ProjectModel, path: str, name: str) -> bool:
    """Whether a module planner read the names of defines no ``name``."""
    names = next((n for p, n in model.module_names if p == path), None)
    return names is not None and name not in names


def _factories(model: ProjectModel, resource: Resource) -> list[Target]:
    """The test data factories that build the paged resource's rows.

    Paging tests need rows with chosen values of every sort key; the
    project's ``create_<name>`` helpers are where its tests get rows.
    """
    name = resource.singular
    return [
        Target(
            reg.path,
            "modify",
            "fixtures",
            f"`create_{name}` builds the test rows: let it set each sort key",
        )
        for reg in model.registries
        if reg.role == "factory" and reg.path in resource.tests
    ]


def _listed(
    model: ProjectModel, resource: Resource, route: Route
) -> tuple[tuple[str, str], ...]:
    """What the paged route is: its handler, and the table its items come from.

    ``/agents/{agent_id}/blocks`` lists blocks, not agents, when the project
    has a table of them.
    """
    slots = [("function", route.function)]
    if route.paging:
        slots.append(("paged_by", " | ".join(route.paging)))
    if route.documented:
        slots.append(("paging_documented", " | ".join(route.documented)))
    # What the route names today, read from its code: plans use these names
    # rather than build new ones from the project's suffixes.
    slots.append(("response_class", route.response))
    if route.items:
        slots.append(("response_items", route.items))
    slots.append(("body_class", route.body))
    service = _service(model, resource, [route])
    called = dict(route.called).get(service, "") if service else ""
    slots.append(("data_function", called))
    if _inherited([route], service):
        slots.append(("data_inherited", "yes"))
    statics = [
        s
        for s in route.path.split("/")
        if s and not s.startswith("{") and s.lower() not in COLLECTION_ACTIONS
    ]
    if statics:
        table = find_table(model, Names.guess(statics[-1].replace("-", "_")))
        if table is not None and table.tablename not in resource.tables:
            slots.append(("table", table.tablename or table.name))
            slots.append(("table_class", table.name))
    return tuple(slots)


def paged_route(model: ProjectModel, resource: Resource, path: str) -> Route | None:
    """The list route a pagination of ``path`` (``"GET /runs"``) changes."""
    routes = _routes(model, resource, "pagination", path)
    return routes[0] if routes else None


def _by_path(t: Target) -> str:
    return t.path


def _shape(path: str) -> str:
    return "/".join("{}" if s.startswith("{") else s for s in path.split("/") if s)


def _routes(model: ProjectModel, res: Resource, kind: str, hint: str) -> list[Route]:
    """The routes that change: the named one, else the list routes to paginate."""
    method, _, path = hint.rpartition(" ")
    if path:
        want = {_shape(path), _shape(model.api_root + path)}
        same = [r for r in res.routes if _shape(r.path) in want]
        named = [r for r in same if not method or r.method == method]
        if named or (same and kind == "pagination"):
            # The project's own method when it serves the path by another
            # (an RPC-style ``POST .../list`` asked for as ``GET``).
            return named or same
    if kind == "pagination":
        lists = [r for r in res.routes if operation_of(r, res.served_prefix) == "list"]
        return lists or [r for r in res.routes if r.method == "GET"][:1]
    return _nearest(res.routes, path) if path else list(res.routes)


def _nearest(routes: tuple[Route, ...], path: str) -> list[Route]:
    """The routes sharing most segments with a new path, all when none shares.

    A new ``/scripts/{workflow_id}/cache`` works like the resource's other
    ``{workflow_id}`` routes, not like its ``{script_id}`` ones.
    """
    want = {s for s in path.split("/") if s}

    def shared(route: Route) -> int:
        return len(want & {s for s in route.path.split("/") if s})

    best = max((shared(r) for r in routes), default=0)
    floor = min((shared(r) for r in routes), default=0)
    if best == floor:
        return list(routes)
    return [r for r in routes if shared(r) == best]


def _service(model: ProjectModel, res: Resource, routes: list[Route]) -> str:
    """The data-access module the routes call most, else the resource's own."""
    called = data_module(model, routes, Names.guess(res.plural))
    if called:
        return called
    own = [f.path for f in res.files if f.own and f.role == "service"]
    return own[0] if own else ""


def data_module(model: ProjectModel, routes: list[Route], names: Names) -> str:
    """The data-access module most of ``routes`` call into, "" where none does.

    A tie goes to the module named for the resource, then to one named for
    data access (``crud``, ``repository``). The tables' module is none where
    the handlers only use its tables (:func:`data_calls`).
    """
    tables = _table_names(model)
    votes: Counter[str] = Counter()
    for r in routes:
        votes.update(data_calls(model, r, tables))
    if not votes:
        return ""

    def rank(f: str) -> tuple[int, int, int, str]:
        data = bool(set(words(f.rsplit("/", 1)[-1])) & DATA_WORDS)
        return (-votes[f], -mentions(f, names), -data, f)

    return min(votes, key=rank)


def data_like(routes: list[Route], service: str) -> tuple[tuple[str, str], ...]:
    """What a new route's data function is written beside: a neighbour's call.

    ``data_like`` is ``call handler``: the first of ``routes`` calling into
    ``service`` (``PublicConversationAdapters.get_by_slug get_shared_chat``),
    so the plan writes the new function as that one is, in the project's own
    data layer rather than with a session it may not have.
    """
    for r in routes:
        label = dict(r.called).get(service, "") if service else ""
        if label:
            return (("data_like", f"{label} {r.function}"),)
    return ()


def nearest_routes(routes: tuple[Route, ...], path: str) -> list[Route]:
    """The routes sharing most segments with a new path (see :func:`_nearest`)."""
    return _nearest(routes, path)


def _inherited(routes: list[Route], service: str) -> str:
    """The module defining the data function the route calls, where another's.

    ``crud_users.get_multi`` reached in ``crud_users.py`` and written in the
    generic base's ``crud_base.py``: "" where it is the service's own.
    """
    called = dict(routes[0].called).get(service, "") if routes and service else ""
    return dict(routes[0].inherited).get(called, "") if called else ""


def _schema(res: Resource, routes: list[Route]) -> str:
    """The schema module a changed body or response goes in.

    The resource's own, else the schema module its routes call, else the
    only one it imports.
    """
    own = [f.path for f in res.files if f.own and f.role == "schema"]
    if own:
        return own[0]
    shared = sorted(f.path for f in res.files if f.role == "schema")
    used = [p for r in routes for p in r.calls if p in shared]
    if used:
        return used[0]
    return shared[0] if len(shared) == 1 else ""


def _params(path: str) -> list[str]:
    from .resources import path_params

    return path_params(path)


def find_resource(model: ProjectModel, *hints: str) -> Resource | None:
    """The resource a route path, module, class, table or name points at."""
    best: tuple[int, str] = (0, "")
    found: Resource | None = None
    for res in model.resources:
        score = 0
        for hint in hints:
            method, _, path = hint.partition(" ") if " " in hint else ("", "", hint)
            if path.startswith("/"):
                score = max(score, _path_score(model, res, method, path))
            elif hint:
                hw = words(hint)
                if hw and (
                    mentions(res.router_file, Names.guess(hint))
                    or hw in (words(res.singular), words(res.plural))
                ):
                    score = max(score, 5)
        if (score, res.name) > best and score > 0:
            best, found = (score, res.name), res
    return found


def _path_score(model: ProjectModel, res: Resource, method: str, path: str) -> int:
    """How well a path fits a resource's routes.

    Zero unless the shared prefix names the resource beyond the API root, or one
    route is the path itself.
    """
    want = [s for s in path.rstrip("/").split("/") if s]
    root = [s for s in model.api_root.split("/") if s]
    cands = [want] if want[: len(root)] == root else [root + want]
    names = Names.guess(res.plural)
    best = 0
    for r in res.routes:
        have = [s for s in r.path.rstrip("/").split("/") if s]
        for w in cands:
            n = 0
            for a, b in zip(have, w, strict=False):
                if a == b or (a.startswith("{") and b.startswith("{")):
                    n += 1
                else:
                    break
            exact = n == len(w) == len(have) and (not method or method == r.method)
            named = any(mentions(s, names) for s in have[len(root) : n])
            if exact or named:
                best = max(best, n * 2 + (10 if exact else 0))
    return best
