"""Plans for one new endpoint.

Either a route in the module that serves its path, or a new router module (with
its registration) shaped like the modules serving its siblings.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from itertools import pairwise

from .analogy import _conventions, new_resource_targets, plan_files
from .existing import (
    data_like,
    data_module,
    existing_resource_targets,
    inline_slot,
    nearest_routes,
)
from .names import (
    COLLECTION_ACTIONS,
    Names,
    mentions,
    replace_names,
    singularise,
    words,
)
from .records import Endpoint, ProjectModel, Resource, Route, Target, Targets
from .roles import is_test_path
from .tables import find_table
from .urlstyle import url_case

# Roles a new router module copies from its exemplar when the endpoint has its own
# logic (a nested path such as ``/imports/list``): router, service, schema, model
# (a Pydantic one: an endpoint adds no table).
_MODULE_ROLES = frozenset(
    {"router", "service", "schema", "model", "domain", "dependency"}
)


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _same(a: str, b: str) -> bool:
    return a == b or (a.startswith("{") and b.startswith("{"))


def _common(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if not _same(x, y):
            break
        n += 1
    return n


def served_path(model: ProjectModel, path: str) -> str:
    """The full served path of a path given relative to the API root."""
    root = model.api_root
    if not root or path == root or path.startswith(root + "/"):
        return path if path.startswith("/") else "/" + path
    return root + ("" if path.startswith("/") else "/") + path


def _neighbours(model: ProjectModel, segs: list[str]) -> tuple[int, list[Route]]:
    """The longest prefix the path shares with served routes, and those routes."""
    routes = [r for r in model.routes if not is_test_path(r.file)]
    depth = {r: _common(_segments(r.path), segs) for r in routes}
    best = max(depth.values(), default=0)
    return best, [r for r in routes if depth[r] == best]


def _home(segs: list[str], depth: int, near: list[Route], root: int) -> str | None:
    """The module a new route joins, or None when a new module is the pattern."""
    groups: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for r in near:
        rs = _segments(r.path)
        groups.setdefault(r.file, set()).add(rs[depth] if len(rs) > depth else "")
        counts[r.file] += 1
    if len(groups) == 1:
        return next(iter(groups))
    if depth > root and depth >= len(segs) - 1:
        # The path ends where its neighbours branch: an action on their collection.
        return counts.most_common(1)[0][0]
    shared = [f for f, g in groups.items() if len(g) >= 3]
    single = [f for f, g in groups.items() if len(g) <= 2]
    if shared and len(single) < 3:
        return max(shared, key=lambda f: (counts[f], f))
    return None


def _exemplar(model: ProjectModel, near: list[Route]) -> Resource | None:
    files = {r.file for r in near}
    cands = [r for r in model.resources if r.router_file in files]
    if not cands:
        return None
    from .registries import sibling_pattern

    def shape(res: Resource) -> str:
        # Where the resource's router sits, with its name as a placeholder:
        # `polar/{singular}/endpoints.py` counts one module per package.
        return (
            sibling_pattern(res.router_file, Names.guess(res.plural))
            or res.router_file.rsplit("/", 1)[0]
        )

    shapes = Counter(shape(r) for r in cands)

    def score(res: Resource) -> tuple[int, int, int, str]:
        own = {"model" if f.role == "domain" else f.role for f in res.files if f.own}
        return (
            shapes[shape(res)],
            len(own & _MODULE_ROLES),
            min(len(res.tests), 2),
            res.name,
        )

    return max(cands, key=score)


def _empty(model: ProjectModel, why: str, endpoint: Endpoint) -> Targets:
    return Targets(
        None, why, (), model.api_root, "{id}", False, (endpoint,), (), model.unknowns
    )


def _in_module(
    model: ProjectModel,
    home: str,
    segs: list[str],
    endpoint: Endpoint,
    *,
    body: bool = True,
) -> Targets:
    res = next((r for r in model.resources if r.router_file == home), None)
    if res is not None and any(mentions(s, Names.guess(res.plural)) for s in segs):
        t = existing_resource_targets(model, res, kind="endpoint", body=body)
        return _with(t, endpoint)
    stem = home.rsplit("/", 1)[-1].removesuffix(".py")
    files = [Target(home, "modify", "router", "serves the neighbouring routes")]
    # The new route reaches its data as its nearest neighbours do: through
    # the module they call (``rpc._rpc_delete()`` in ``rpc/rpc.py``).
    mine = tuple(r for r in model.routes if r.file == home)
    names = Names.guess(res.plural) if res is not None else Names((), ())
    near = nearest_routes(mine, endpoint.path)
    service = data_module(model, near, names)
    if service:
        files.append(Target(service, "modify", "service", "the neighbours call it"))
    tests = sorted(
        p
        for p in model.paths
        if is_test_path(p) and p.rsplit("/", 1)[-1] in (f"test_{stem}.py",)
    )
    files += [Target(t, "modify", "test", f"tests `{home}`") for t in tests]
    return Targets(
        res,
        f"a new route in `{home}`, which serves the neighbouring paths",
        tuple(files),
        model.api_root,
        "{id}",
        False,
        (endpoint,),
        _conventions(model, res),
        model.unknowns,
        data_like(near, service)
        if service
        else inline_slot(
            model, [r for r in mine if r.method == endpoint.method], endpoint.path
        ),
    )


def _with(t: Targets, endpoint: Endpoint) -> Targets:
    # The slots say where the data work goes (``data_inline``, ``data_like``).
    return dataclasses.replace(t, endpoints=(endpoint,))


def new_endpoint_targets(
    model: ProjectModel,
    *,
    method: str,
    path: str,
    body: bool = True,
    stores: bool = False,
) -> Targets:
    """Files for one new endpoint (``path`` relative to the API root, as in a spec).

    ``body`` False says it declares no request or response fields; ``stores``
    that it writes rows (a create, an update, a delete).
    """
    full = served_path(model, path)
    method = method.upper()
    status = 201 if method == "POST" and path.rstrip("/").endswith("}") else 200
    endpoint = Endpoint(method, full, status, "endpoint")
    segs = _segments(full)
    depth, near = _neighbours(model, segs)
    if not near:
        return _empty(
            model, "the project serves no routes planner could read", endpoint
        )
    home = _home(segs, depth, near, len(_segments(model.api_root)))
    if home is not None:
        return _in_module(model, home, segs[:depth], endpoint, body=body)
    rest = [s for s in segs[depth:] if not s.startswith("{")]
    ex = _exemplar(model, near)
    if ex is None or not rest:
        return _in_module(model, near[0].file, segs[:depth], endpoint, body=body)
    # The path's noun as written (plural where the project's nouns are),
    # and its singular for modules named in the singular.
    noun = words(rest[0])
    new = Names((*noun[:-1], singularise(noun[-1])), noun) if noun else Names((), ())
    # A one-segment endpoint (/health) is a route; a nested one (/imports/list)
    # or one that writes rows (POST /feedbacks) brings its own logic, shaped
    # like the exemplar's data layers and schemas.
    own_logic = len(segs) - depth >= 2 or stores
    roles = _MODULE_ROLES if own_logic else frozenset({"router"})
    if not body:  # no request or response fields: no schema module to add
        roles -= {"schema"}
    files = plan_files(
        model, ex, new, roles=roles, migration=False, shared=False, tables=False
    )
    return Targets(
        ex,
        f"a new router module for `/{rest[0]}`, modelled on `{ex.name}`",
        tuple(sorted(files.values(), key=lambda t: t.path)),
        full,
        "{id}",
        False,
        (endpoint,),
        _conventions(model, ex),
        model.unknowns,
        slots=(
            *_module_prefix(model, ex, full, new),
            *_inline(model, ex, method, full),
        ),
    )


def _inline(
    model: ProjectModel, ex: Resource, method: str, path: str
) -> tuple[tuple[str, str], ...]:
    """The data work in the new module's handler, where the exemplar's is in its.

    Not where the exemplar has a data layer of its own: the new module gets
    its counterpart, which takes the work.
    """
    if any(f.own and f.role == "service" for f in ex.files):
        return ()
    return inline_slot(model, [r for r in ex.routes if r.method == method], path)


def path_groups(model: ProjectModel, path: str) -> tuple[str, ...]:
    """The segments of ``path`` the project uses to group other resources' routes.

    A static segment that names no table or resource of the project and that
    its served routes put right before one that does (`/dashboard/orders`
    beside an `orders` table) is a prefix, like `/private` or `/admin`: the
    resource is the segment after it.
    """
    wanted = {s for s in _segments(path) if not s.startswith("{")}
    if not wanted:
        return ()
    known: dict[str, bool] = {}

    def noun(segment: str) -> bool:
        if segment not in known:
            names = Names.guess(segment.replace("-", "_"))
            known[segment] = find_table(model, names) is not None or any(
                res.plural == "_".join(names.plural) for res in model.resources
            )
        return known[segment]

    found: set[str] = set()
    for route in model.routes:
        if not route.served or is_test_path(route.file):
            continue
        segs = _segments(route.path)
        for a, b in pairwise(segs):
            if a in wanted and a not in found and noun(b) and not noun(a):
                found.add(a)
    return tuple(sorted(found))


def _module_prefix(
    model: ProjectModel, ex: Resource, full: str, new: Names
) -> tuple[tuple[str, str], ...]:
    """The new module's router prefix, as the exemplar's router that fits the path.

    `volumes.py` mounts `/api/volumes` and `/api/project/{project_name}/volumes`:
    `/api/project/{project_name}/imports/list` takes the second's shape, so
    the new router's prefix is `/api/project/{project_name}/imports` and its
    route `/list`.
    """
    old = Names.guess(ex.plural)
    case = url_case(model)
    fits = []
    for rm in model.routers:
        if rm.file != ex.router_file or not rm.own_prefix or not rm.reachable:
            continue
        served = replace_names(rm.served_prefix, old, new, url=case).rstrip("/")
        if served and (full == served or full.startswith(served + "/")):
            fits.append((len(served), served, rm.own_prefix))
    if not fits:
        return ()
    _, served, own = max(fits)
    return (
        ("router_prefix_at", "router"),
        ("router_prefix", replace_names(own, old, new, url=case)),
        ("router_served", served),
    )


# A crud plan's operations: a list no resource serves is placed as a new
# resource of the project's would be.
_CRUD_OPERATIONS = frozenset({"list", "read", "create", "update", "delete"})
# What a list needs of those files: its route, query, schemas and registration.
_LIST_ROLES = frozenset({"router", "service", "schema", "package", "app"})


def new_list_targets(model: ProjectModel, *, path: str, index: bool = False) -> Targets:
    """Files for paging a list the project does not serve (``path`` as in a spec).

    The list's router, data access, schemas and tests go where a new
    resource's would (the crud analogy); its table is the project's where one
    holds what the path names, and none is invented: no table model is
    created and no migration alters a table that is not there. ``index``
    says the paging needs a new index, declared in the table's module. Slots
    say so (``listed`` no, ``stored``) and name the closest lists the project
    does serve (``closest``).
    """
    full = served_path(model, path)
    segs = _segments(full)
    nouns = [
        s for s in segs if not s.startswith("{") and s.lower() not in COLLECTION_ACTIONS
    ]
    names = Names.guess((nouns[-1] if nouns else "items").replace("-", "_"))
    base = new_resource_targets(
        model,
        singular="_".join(names.singular),
        plural="_".join(names.plural),
        operations=_CRUD_OPERATIONS,
        owned=False,
        paginated=True,
    )
    own_tests = [t for t in base.files if t.role == "test" and t.own][:1]
    files = [t for t in base.files if t.role in _LIST_ROLES or t in own_tests]
    app = model.api_app.file if model.api_app else ""
    if app and not any(t.role == "app" for t in files):
        # With no registry read, the new router is included where the app is.
        files.append(Target(app, "modify", "app", "includes the API's routers"))
    table = find_table(model, names)
    # The listed table by its name, as for a list the project serves.
    slots = [
        *(s for s in base.slots if not s[0].startswith("table")),
        ("listed", "no"),
        ("stored", "yes" if table is not None else "no"),
        ("closest", " | ".join(_closest_lists(model, segs))),
    ]
    if table is not None:
        slots.append(("table", table.tablename or table.name))
        if index:
            why = f"holds the existing `{table.name}` table"
            files.append(Target(table.file, "modify", "model", why))
    return dataclasses.replace(
        base,
        files=tuple(sorted(files, key=lambda t: t.path)),
        served_prefix=full,
        endpoints=(Endpoint("GET", full, 200, "list"),),
        slots=tuple(slots),
    )


def _closest_lists(model: ProjectModel, segs: list[str], limit: int = 3) -> list[str]:
    """The collection GETs the API app serves most like ``segs``, best first."""
    # Imported here: only a plan for a list the project lacks needs it.
    from difflib import SequenceMatcher

    noun = next((s for s in reversed(segs) if not s.startswith("{")), "")
    lists = {
        r.path
        for r in model.routes
        if r.method == "GET"
        and r.served
        and not is_test_path(r.file)
        and _segments(r.path)
        and not _segments(r.path)[-1].startswith("{")
    }

    def likeness(route: str) -> tuple[int, float, str]:
        rs = _segments(route)
        last = next((s for s in reversed(rs) if not s.startswith("{")), "")
        similar = SequenceMatcher(None, last, noun).ratio()
        return (-_common(rs, segs), -round(similar, 3), route)

    return [f"GET {p}" for p in sorted(lists, key=likeness)[:limit]]
