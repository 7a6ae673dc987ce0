"""Conventions measured as votes over the project's routes."""

from __future__ import annotations

import re
from collections import Counter

from .guards import (
    RouteUse,
    current_user_vote,
    dependency,
    is_role_check,
    param_target,
)
from .index import ProjectIndex
from .names import ACCESS_CLASS, Names, mentions, words
from .paging import paging_votes
from .records import Resource, Route, Vote
from .resources import item_form, path_params
from .schemanames import schema_votes

_STATIC = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")


def _vote(name: str, counter: Counter[str]) -> Vote:
    # A split noun vote leaves each new collection named as its exemplar is.
    lead = 2 if name == "path_noun" else 1
    return Vote(name, tuple(sorted(counter.items())), lead=lead)


def measure(
    index: ProjectIndex,
    routes: tuple[Route, ...],
    resources: tuple[Resource, ...],
    uses: tuple[RouteUse, ...] = (),
) -> tuple[Vote, ...]:
    """URL case, slashes, item parameter, verbs, statuses, sync/async, deps.

    ``uses`` (from :func:`.guards.read_uses`) give each route's dependencies
    from its parameters and every ``dependencies=``; without them, the routes'
    own definitions are read.
    """
    counters: dict[str, Counter[str]] = {
        name: Counter()
        for name in (
            "create_status",
            "data_access",
            "data_dependency",
            "delete_status",
            "item_form",
            "item_param",
            "path_noun",
            "response_declaration",
            "role_check_dependency",
            "session_dependency",
            "session_kind",
            "session_param",
            "sync_async",
            "trailing_slash",
            "update_method",
            "update_status",
            "url_case",
        )
    }
    for r in routes:
        _route_votes(r, counters)
    for res in resources:
        form = _item_form(res)
        if form is not None:
            counters["item_form"][form] += 1
        number = _noun_number(res)
        if number is not None:
            counters["path_noun"][number] += 1
    uses = uses or _plain_uses(index)
    for use in uses:
        _use_votes(use, counters)
    _data_votes(uses, resources, counters, routes)
    votes = [
        _vote(name, c)
        for name, c in counters.items()
        if name not in ("path_noun", "data_dependency")
    ]
    data = _typed(counters["data_dependency"])
    votes.append(Vote("data_dependency", tuple(sorted(data.items())), _DATA_NOTE))
    # A split vote leaves each new collection named as its exemplar is.
    votes.append(
        Vote("path_noun", tuple(sorted(counters["path_noun"].items())), lead=2)
    )
    votes.append(current_user_vote(uses))
    votes.extend(schema_votes(index, uses, resources))
    votes.extend(paging_votes(index, uses))
    return tuple(sorted(votes, key=lambda v: v.name))


# The types a database session dependency gives a route, and the words its
# name is made of (`get_db`, `get_async_session`, `SessionDep`, `DBSession`).
_SESSION_TYPES = frozenset(
    {"Session", "AsyncSession", "Connection", "AsyncConnection"}
    | {"scoped_session", "async_scoped_session"}
)
_SESSION_NAME_WORDS = frozenset({"session", "db", "database", "conn", "connection"})
_SESSION_TYPE_WORDS = frozenset({"session", "conn", "connection"})
_HOW_WORDS = frozenset(
    {"get", "provide", "async", "sync", "main", "dep", "rw", "ro", "read", "write"}
    | {"readonly"}
)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_TYPING = frozenset(
    {"Annotated", "Optional", "Union", "None", "Any", "typing", "Depends"}
)


def is_session_dependency(name: str, annotation: str) -> bool:
    """Whether a route parameter's dependency hands it a database session.

    The parameter's type where it names one: a session type (`AsyncSession`)
    or a type named only for one (`DBSession`); any other type
    (`PrefectDBInterface`, `SyncServer`) is what the route is handed, a
    wrapper it reaches its data through, not a session. Untyped, or typed
    with the dependency's own alias (`SessionDep`), the dependency's name
    decides: made only of session words and words of how it is had
    (`get_async_db`), never naming a thing a session keeps or serves
    (`get_session_token`, `get_login_session`, `get_user_db_manager`).
    """
    types = [word for word in _IDENTIFIER.findall(annotation) if word not in _TYPING]
    if any(word in _SESSION_TYPES for word in types):
        return True
    if types and types != [name]:
        # A type named for a session or connection (`DBSession`), not for a
        # database (`Database` hands out sessions; it is none).
        return all(
            _session_named(word) and set(words(word)) & _SESSION_TYPE_WORDS
            for word in types
        )
    return _session_named(name)


def _session_named(name: str) -> bool:
    """Whether a name says only that it is a database session (`get_db`)."""
    named = words(name)
    return bool(set(named) & _SESSION_NAME_WORDS) and set(named) <= (
        _SESSION_NAME_WORDS | _HOW_WORDS
    )


# The attributes a handler reaches data through on what a dependency hands
# it: a session it opens (`db.session_context()`) or a layer of data access
# (`server.tool_manager`).
_OPENS = frozenset({"session", "transaction", "connection", "connect", "begin"})
# The other words an attribute that opens a session may have
# (`session_context`, `get_session`): `delete_login_session` acts on one.
_OPEN_HOW = frozenset({"context", "get", "open", "new", "scope", "scoped", "async"})
_LAYERS = frozenset(
    {"engine", "manager", "service", "repository", "repo", "store", "crud", "dao"}
)
_DATA_NOTE = (
    "counts the routes that take a session, and over the others the dependency "
    "whose value their handlers open a session or reach data access through"
)


def _use_votes(use: RouteUse, counters: dict[str, Counter[str]]) -> None:
    """A route's votes from its definition and the dependencies it runs."""
    counters["sync_async"]["async" if use.rd.is_async else "sync"] += 1
    if use.rd.declares:
        counters["response_declaration"][use.rd.declares] += 1
    for dep in use.params:
        if is_session_dependency(dep.name, dep.annotation):
            counters["session_dependency"][dep.written] += 1
            if dep.param:
                counters["session_param"][dep.param] += 1
            kind = _session_kind(dep.annotation)
            if kind:
                counters["session_kind"][kind] += 1
    for dep in use.chosen:
        if is_role_check(dep.written.partition(" ")[0]):
            counters["role_check_dependency"][dep.written] += 1


def _session_kind(annotation: str) -> str:
    """``async`` or ``sync`` as a session parameter's type says, "" untyped.

    What the routes are handed, not how their handlers are written: `async
    def` handlers often take a sync `Session`.
    """
    types = set(_IDENTIFIER.findall(annotation)) & _SESSION_TYPES
    if not types:
        return ""
    return "async" if any(t.lower().startswith("async") for t in types) else "sync"


def _opens(attr: str) -> bool:
    """Whether an attribute opens a session (`session_context`, `begin`)."""
    named = set(words(attr))
    return bool(named & _OPENS) and named <= _OPENS | _OPEN_HOW


def _typed(counter: Counter[str]) -> Counter[str]:
    """Untyped uses counted with the typed form of the same parameter.

    A string annotation (`server: "SyncServer"`) is read as none: the same
    parameter elsewhere typed names what it is.
    """
    out: Counter[str] = Counter()
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        name, _, dep = key.partition(" = ")
        typed = [
            k
            for k in counter
            if " = " in k and k.endswith(f" = {dep}") and k.startswith(name + ": ")
        ]
        if dep and ":" not in name and typed:
            key = max(typed, key=lambda k: (counter[k], k))
        out[key] += n
    return out


def _data_votes(
    uses: tuple[RouteUse, ...],
    resources: tuple[Resource, ...],
    counters: dict[str, Counter[str]],
    routes: tuple[Route, ...] = (),
) -> None:
    """How each route reaches its data: a session, or a holder and its attribute.

    `data_dependency` counts `session` for a route taking a session, else the
    holder (`db: T = dep (module)`); `data_access` the attribute handlers use,
    named for the route's own resource where it is (`server.{singular}_manager`).
    """
    names = {
        (r.file, r.function): Names.guess(res.plural)
        for res in resources
        for r in res.routes
    }
    records = {(r.file, r.line): r for r in routes}
    for use in uses:
        if any(is_session_dependency(d.name, d.annotation) for d in use.params):
            counters["data_dependency"]["session"] += 1
            continue
        own = names.get((use.path, use.rd.function))
        for key, attrs in data_holders(use, records.get((use.path, use.rd.line))):
            counters["data_dependency"][key] += 1
            access = _access(key.partition(":")[0].partition(" ")[0], attrs, own)
            if access:
                counters["data_access"][access] += 1
        for key in _own_layer(use, own):
            counters["data_dependency"][key] += 1


def _own_layer(use: RouteUse, own: Names | None) -> list[str]:
    """The route's own resource's data-access class, handed by a dependency.

    `manager: ClientManager = Depends(get_client_manager)` on a `clients`
    route, written with the resource's names as `{Singular}`/`{singular}`
    (`manager: {Singular}Manager = get_{singular}_manager (module)`), so the
    routes of every resource cast the same vote.
    """
    if own is None or not own.singular:
        return []
    camel = "".join(w.title() for w in own.singular)
    snake = "_".join(own.singular)
    out = []
    for dep in use.params:
        ref, _, module = dep.written.partition(" (")
        for p in use.rd.params:
            if p.depends.removesuffix("()") != ref or not p.annotation:
                continue
            kind = p.annotation.rsplit(".", 1)[-1]
            if ACCESS_CLASS.search(kind) and kind.startswith(camel) and snake in ref:
                typed = kind.replace(camel, "{Singular}", 1)
                made = ref.replace(snake, "{singular}", 1)
                out.append(f"{p.name}: {typed} = {made} ({module}")
    return out


def _access(name: str, attrs: list[str], own: Names | None) -> str:
    """The attribute a handler reaches its data through (`{singular}_manager`).

    The one named for the route's own resource, its names as `{singular}` or
    `{plural}`; else the one it opens a session through.
    """
    for attr in attrs:
        if own is not None and mentions(attr, own):
            for word, slot in ((own.plural, "{plural}"), (own.singular, "{singular}")):
                spelled = "_".join(word)
                if spelled and spelled in attr:
                    return f"{name}.{attr.replace(spelled, slot, 1)}"
    opened = [a for a in attrs if _opens(a)]
    return f"{name}.{opened[0]}" if opened else ""


def data_holders(
    use: RouteUse, route: Route | None = None
) -> list[tuple[str, list[str]]]:
    """What a route takes its data access through, with the attributes it calls.

    A parameter run through a dependency whose attributes the handler calls
    for data (`db.session_context(...)`, `server.tool_manager.list_tools()`,
    or methods the route's record places in a data module: `rpc._rpc_delete()`
    of an `RPC` querying the tables), as `db: T = dep (module)`, or
    `server: ServerDep (module)` where the parameter's type is the alias that
    runs the dependency.
    """
    called = route.called if route is not None else ()
    data = route.data if route is not None else ()
    reached = {label.partition(".")[0] for path, label in called if path in data}
    out: list[tuple[str, list[str]]] = []
    for dep in use.params:
        ref = dep.written.partition(" (")[0]
        for p in use.rd.params:
            if (p.depends or p.annotation).removesuffix("()") != ref:
                continue
            attrs = [
                call.split(".")[1]
                for call in use.rd.calls
                if call.startswith(p.name + ".")
            ]
            if p.name in reached or any(
                _opens(a) or set(words(a)) & _LAYERS for a in attrs
            ):
                # An `Annotated` alias (`ServerDep`) is both type and dependency.
                typed = f": {p.annotation}" if p.annotation and p.depends else ""
                sep = " = " if p.depends else ": "
                out.append((f"{p.name}{typed}{sep}{dep.written}", attrs))
            break
    return out


def _plain_uses(index: ProjectIndex) -> tuple[RouteUse, ...]:
    """Routes with the dependencies their own definitions name."""
    out: list[RouteUse] = []
    for mod in sorted(index.by_module):
        for rd in index.by_module[mod].routes:
            params = tuple(
                dependency(index, mod, t, p.annotation)
                for p in rd.params
                if (t := param_target(p.depends, p.annotation, index, mod))
            )
            own = tuple(dependency(index, mod, d) for d in rd.dependencies)
            out.append(RouteUse(mod, index.path_of[mod], rd, params, own))
    return tuple(out)


def _route_votes(r: Route, counters: dict[str, Counter[str]]) -> None:
    for seg in r.path.split("/"):
        if _STATIC.match(seg):
            counters["url_case"]["kebab" if "-" in seg else "snake"] += 1
    params = path_params(r.path)
    if r.method in ("PUT", "PATCH") and params:
        counters["update_method"][r.method] += 1
        if r.path.endswith("}"):
            counters["update_status"][str(r.status_code or 200)] += 1
    if params and r.path.endswith("}"):
        last = params[-1]
        value = "id" if last == "id" else "<name>_id" if last.endswith("_id") else last
        counters["item_param"][value] += 1
    elif r.method in ("GET", "POST"):
        counters["trailing_slash"]["yes" if r.path.endswith("/") else "no"] += 1
    if r.method == "POST" and not params and _creates(r):
        counters["create_status"][str(r.status_code or 200)] += 1
    if r.method == "DELETE":
        counters["delete_status"][str(r.status_code or 200)] += 1


# How a collection POST that creates is named: not a login, search or action.
_CREATE_WORDS = frozenset({"create", "add", "new", "register", "insert", "upload"})


def _creates(r: Route) -> bool:
    """Whether a POST to a collection creates a row (its handler or body says so)."""
    return bool(set(words(r.function)) & _CREATE_WORDS) or "Create" in r.body


def _item_form(res: Resource) -> str | None:
    """The resource's way to address one item: ``""`` (``/{id}``) or a marker.

    One vote per resource, so a resource with many item routes counts once.
    """
    forms: Counter[str] = Counter()
    for r in res.routes:
        if r.method in ("GET", "PUT", "PATCH", "DELETE") and r.path.startswith(
            res.served_prefix
        ):
            form = item_form(r.path[len(res.served_prefix) :])
            if form is not None:
                forms[form] += 1
    if not forms:
        return None
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _noun_number(res: Resource) -> str | None:
    """Whether a collection's URL names it in the singular or the plural.

    Only collections count (a route addresses one item below the prefix):
    `/health` or `/login` names no collection. Words alike in both numbers
    (`stuff`, `news`) say nothing.
    """
    prefix = res.served_prefix.rstrip("/")
    if not prefix or not any(r.path.startswith(prefix + "/{") for r in res.routes):
        return None
    last = prefix.rsplit("/", 1)[-1].replace("-", "_")
    names = Names.guess(res.plural)
    singular, plural = "_".join(names.singular), "_".join(names.plural)
    if singular == plural:
        return None
    return "singular" if last == singular else "plural" if last == plural else None
