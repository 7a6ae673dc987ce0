"""Targets for changes to existing code: endpoints and pagination on a resource.

The files are the ones an engineer opens: the router module serving the route,
the data-access module the handler calls into, the schema module when the
request body carries the change, and the test module of that router.
"""

from __future__ import annotations

from collections import Counter

from .analogy import _conventions, operation_of
from .names import Names, mentions, words
from .records import Endpoint, ProjectModel, Resource, Route, Target, Targets
from .roles import role_of
from .routes import is_test_path

# Module names that say what a module does, never what it serves.
_GENERIC_STEMS = frozenset(
    {"router", "routes", "api", "views", "endpoints", "service", "services"}
    | {"crud", "models", "schemas", "repository", "manager", "handlers", "db"}
)

# Module names that say a file reads and writes data, best first after a tie.
_DATA_WORDS = frozenset(
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
    service = _service(model, resource, routes)
    if service:
        files.append(Target(service, "modify", "service", "the handler calls it"))
    schema = _schema(resource, routes) if body else ""
    if schema:
        files.append(Target(schema, "modify", "schema", "holds the request body"))
    names = Names.guess(resource.plural)
    test = router_test(model, router, names)
    test = test or (mirror_test(model, service, names) if service else "")
    if test:
        files.append(Target(test, "modify", "test", f"tests `{router}`"))
    elif routes and (per := handler_test(resource, routes[0].function)):
        action = "modify" if per in model.paths else "create"
        files.append(Target(per, action, "test", "one test module per handler"))
    item = next((p for r in resource.routes for p in _params(r.path)[-1:]), "id")
    served = tuple(
        Endpoint(r.method, r.path, r.status_code or 200, "list")
        for r in routes[:1]
        if kind == "pagination" and path
    )
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
    )


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
    del model
    votes: Counter[str] = Counter()
    for r in routes:
        for f in r.calls:
            if role_of(f) == "service":
                votes[f] += 1
    if votes:
        names = Names.guess(res.plural)

        def rank(f: str) -> tuple[int, int, int, str]:
            data = bool(set(words(f.rsplit("/", 1)[-1])) & _DATA_WORDS)
            return (-votes[f], -mentions(f, names), -data, f)

        return min(votes, key=rank)
    own = [f.path for f in res.files if f.own and f.role == "service"]
    return own[0] if own else ""


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


def handler_test(resource: Resource, function: str) -> str:
    """The test module of ``function`` where each handler has its own, else "".

    ``test_reset_profile_route.py`` tests the handler ``reset_profile``; the
    list handler's goes beside it as ``test_list_profiles_route.py``.
    """
    handlers = sorted({r.function for r in resource.routes}, key=len, reverse=True)
    for test in sorted(resource.tests):
        folder, _, base = test.rpartition("/")
        stem = base.removesuffix(".py")
        for name in handlers:
            if stem.startswith(f"test_{name}"):
                suffix = stem[len(f"test_{name}") :]
                return f"{folder}/test_{function}{suffix}.py"
    return ""


def router_test(model: ProjectModel, router: str, names: Names) -> str:
    """The test module of a router (see :func:`mirror_test`)."""
    return mirror_test(model, router, names)


def _test_stems(file: str, names: Names) -> list[str]:
    """Names a test of ``file`` goes by, best first (without ``test_``)."""
    stem = file.rsplit("/", 1)[-1].removesuffix(".py")
    spelled = ["_".join(names.plural), "_".join(names.singular)]
    if mentions(stem, names) or stem.lower() not in _GENERIC_STEMS:
        return [stem, *spelled] if role_of(file) == "router" else [stem]
    return [f"{n}_{stem}" for n in spelled] + (
        [stem, *spelled] if role_of(file) == "router" else []
    )


def mirror_test(model: ProjectModel, file: str, names: Names) -> str:
    """The test module of a module: ``test_<stem>.py`` in the mirroring folder.

    A generic module (``tags/router.py``) is tested as ``test_tags_router.py``
    or, for a router, ``test_tags.py``; a test may spell the module's folders
    too (``test_apps_admin_users.py`` for ``apps/admin/routers/users.py``).
    """
    folders = set(file.split("/")[:-1])
    by_stem: dict[str, list[str]] = {}
    for p in model.paths:
        if is_test_path(p) and p.endswith(".py"):
            base = p.rsplit("/", 1)[-1].removesuffix(".py")
            key = base.removeprefix("test_").removesuffix("_test")
            if key != base:
                by_stem.setdefault(key, []).append(p)
    folder_words = {w for f in folders for w in words(f)}
    for stem in _test_stems(file, names):
        found = by_stem.get(stem) or [
            p
            for key, paths in by_stem.items()
            if key.endswith("_" + stem)
            and set(words(key.removesuffix(stem))) <= folder_words
            for p in paths
        ]
        if found:
            return min(found, key=lambda p: _closeness(folders, p))
    return ""


def _closeness(folders: set[str], path: str) -> tuple[int, int, str]:
    parts = path.split("/")[:-1]
    return (-len(folders & set(parts)), len(parts), path)


def _params(path: str) -> list[str]:
    from .resources import path_params

    return path_params(path)
