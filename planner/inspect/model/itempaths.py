"""A new resource's endpoints after its exemplar's: operations, paths, item keys."""

from __future__ import annotations

import re

from .names import Names, replace_names
from .records import Endpoint, ProjectModel, Resource, Route
from .resources import item_form
from .urlstyle import url_case

OPERATIONS = ("list", "read", "create", "update", "delete")
_RPC = {
    "list": "list",
    "filter": "list",
    "search": "list",
    "query": "list",
    "get": "read",
    "create": "create",
    "add": "create",
    "update": "update",
    "delete": "delete",
    "remove": "delete",
}


def operation_of(route: Route, prefix: str) -> str | None:
    """CRUD operation of a route, REST-style or RPC-style (``POST .../list``)."""
    rest = route.path[len(prefix) :] if route.path.startswith(prefix) else None
    if rest is None:
        return None
    rest = rest.rstrip("/")
    if rest == "":
        return {"GET": "list", "POST": "create"}.get(route.method)
    if item_form(rest) is not None:
        return {
            "GET": "read",
            "PUT": "update",
            "PATCH": "update",
            "DELETE": "delete",
        }.get(route.method)
    return _RPC.get(rest.lstrip("/")) if "/" not in rest.lstrip("/") else None


def new_endpoints(
    model: ProjectModel,
    ex: Resource,
    old: Names,
    new: Names,
    operations: frozenset[str],
    prefix: str,
) -> tuple[Endpoint, ...]:
    """The exemplar's endpoints for the new resource, keyed in the project's form."""
    case = url_case(model)
    slash = "/" if model.convention("trailing_slash").winner == "yes" else ""
    param = "{" + "_".join(new.singular) + "_id}"
    if model.convention("item_param").winner == "id":
        param = "{id}"
    param = _exemplar_param(model, ex, old, new) or param
    marker = _item_marker(model)
    out: list[Endpoint] = []
    for op in OPERATIONS:
        if op not in operations:
            continue
        route = next(
            (r for r in ex.routes if operation_of(r, ex.served_prefix) == op), None
        ) or _at_twin(ex, op)
        fresh = prefix + (slash if op in ("list", "create") else "/" + param)
        if route is not None:
            replaced = _below(route.path, ex.served_prefix, prefix, old, new, case)
            # A path that does not name the exemplar (`/shopping/items` of
            # `shopping_lists`) is no pattern: copied, it would be the
            # exemplar's own route. The new prefix stands, with its habits.
            path = (
                fresh if replaced == route.path else _item_param(replaced, new, param)
            )
            status = route.status_code or 200
            # An update answers as the project's settle it, over one
            # exemplar's own choice (`boards` answering 201 where most answer
            # 200). A create keeps its exemplar's: that vote counts every POST
            # to a collection, actions and searches too.
            habit = model.convention("update_status").winner if op == "update" else None
            if habit and habit.isdigit():
                status = int(habit)
            method = route.method
        else:
            path = fresh
            method = {
                "list": "GET",
                "read": "GET",
                "create": "POST",
                "update": "PATCH",
                "delete": "DELETE",
            }[op]
            status = {"create": 201, "delete": 204}.get(op, 200)
        if op in ("read", "update", "delete"):
            path = _own_item(path, prefix, param, marker)
        out.append(Endpoint(method, path, status, op))
    return tuple(out)


def _at_twin(ex: Resource, op: str) -> Route | None:
    """The exemplar's list or create served at its noun in the other number.

    Routes that name one item in the singular (`/user/{username}`) often list
    in the plural beside them (`/users`): that is the exemplar's list.
    """
    method = {"list": "GET", "create": "POST"}.get(op)
    head, _, last = ex.served_prefix.rstrip("/").rpartition("/")
    if method is None or not last or "{" in last:
        return None
    names = Names.guess(last)
    twins = {"_".join(w) for w in (names.singular, names.plural)} - {last}
    twins |= {t.replace("_", "-") for t in twins}
    return next(
        (
            r
            for r in ex.routes
            if r.method == method
            and r.path.rstrip("/").rpartition("/") in {(head, "/", t) for t in twins}
        ),
        None,
    )


def _below(
    path: str,
    old_prefix: str,
    new_prefix: str,
    old: Names,
    new: Names,
    case: str | None,
) -> str:
    """The route's path with the new names, below the new prefix where it can.

    A prefix renamed as a whole (`/groups/shopping/lists`, two segments of one
    name) is not renamed again word by word in the route's path, nor is the
    new prefix (`/input-prompt`, which holds the old `prompt`).
    """
    base = old_prefix.rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        rest = replace_names(path[len(base) :], old, new, url=case)
        return new_prefix.rstrip("/") + rest
    return replace_names(path, old, new, url=case)


def _item_marker(model: ProjectModel) -> str | None:
    """How the project addresses one item, when two thirds of its resources agree.

    ``""`` for ``/{id}``, ``"i"`` for ``/i/{id}``; None when unsettled, and the
    exemplar's own form stands.
    """
    counts = dict(model.convention("item_form").counts)
    winner = model.convention("item_form").winner
    total = sum(counts.values())
    if winner is None or total < 2 or counts[winner] * 3 < total * 2:
        return None
    return winner


def _own_item(path: str, prefix: str, param: str, marker: str | None) -> str:
    """An item path below ``prefix`` keyed by ``param``, in the project's form.

    The exemplar's key (``{key}``) names how it finds its rows; the new
    resource finds its own by its own key. Shapes other than an item
    (``/{id}/archive``) are kept as they are.
    """
    rest = path[len(prefix) :] if path.startswith(prefix) else ""
    form = item_form(rest)
    if form is None:
        return path
    form = form if marker is None else marker
    tail = "/" if rest.endswith("/") else ""
    return prefix + (f"/{form}" if form else "") + "/" + param + tail


def _exemplar_param(model: ProjectModel, ex: Resource, old: Names, new: Names) -> str:
    """The exemplar's item parameter, spelled for the new resource.

    ``{id:uuid}`` stays itself, and so does a name the project gives the
    items of three or more route modules (``{item_id}``); ``{tag_id}`` or
    ``{payment_hash}`` becomes ``{link_id}`` (a convertor after ``:`` is
    kept). "" when it has none.
    """
    for route in ex.routes:
        if operation_of(route, ex.served_prefix) not in ("read", "update", "delete"):
            continue
        params: list[str] = re.findall(r"\{([^}]+)\}", route.path)
        if not params:
            continue
        name, colon, convertor = params[-1].partition(":")
        if name == "id" or _shared_param(model, params[-1]):
            return "{" + params[-1] + "}"
        if name.startswith("_".join(old.singular) + "_"):
            return "{" + "_".join(new.singular) + "_id" + colon + convertor + "}"
    return ""


def _shared_param(model: ProjectModel, param: str) -> bool:
    """Whether three or more route modules end item paths with ``{param}``.

    Not a key named for a resource (``{user_id}`` under several admin
    modules, ``{payment_hash}``).
    """
    stem = param.rpartition("_")[0] or param
    if any("_".join(Names.guess(r.plural).singular) == stem for r in model.resources):
        return False
    end = "{" + param + "}"
    return len({r.file for r in model.routes if r.path.endswith(end)}) >= 3


def _item_param(path: str, new: Names, param: str) -> str:
    """The path with the new resource's own key as its item parameter.

    The exemplar's key (``{payment_hash}``) names how it finds its rows, not
    how the new resource finds its own: one parameter for every route.
    """
    head = "_".join(new.singular) + "_"

    def own(match: re.Match[str]) -> str:
        name = match[1].partition(":")[0]
        return param if name.startswith(head) or name == "id" else match[0]

    return re.sub(r"\{([^}]+)\}", own, path)
