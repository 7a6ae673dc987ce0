"""Conventions measured as votes over the project's routes."""

from __future__ import annotations

import re
from collections import Counter

from .index import ProjectIndex
from .records import Resource, Route, Vote
from .resources import item_form, path_params
from .summary import RouteDef

_STATIC = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
# A dependency that admits only some callers: ``require_role``, ``require_admin``,
# ``current_admin_user``, ``get_current_active_superuser``, ``PermissionDependency``.
_ROLE_CHECK = re.compile(r"(?i)admin|superuser|role|permission|staff")
# What an admin's session, token or manager getter is named for: no check.
_NOT_A_CHECK = re.compile(r"(?i)session|manager|token|db")


def _vote(name: str, counter: Counter[str]) -> Vote:
    return Vote(name, tuple(sorted(counter.items())))


def measure(
    index: ProjectIndex, routes: tuple[Route, ...], resources: tuple[Resource, ...]
) -> tuple[Vote, ...]:
    """URL case, slashes, item parameter, verbs, statuses, sync/async, deps."""
    counters: dict[str, Counter[str]] = {
        name: Counter()
        for name in (
            "create_status",
            "current_user_dependency",
            "delete_status",
            "item_form",
            "item_param",
            "role_check_dependency",
            "session_dependency",
            "sync_async",
            "trailing_slash",
            "update_method",
            "url_case",
        )
    }
    for r in routes:
        _route_votes(r, counters)
    for res in resources:
        form = _item_form(res)
        if form is not None:
            counters["item_form"][form] += 1
    for mod, s in index.by_module.items():
        for rd in s.routes:
            counters["sync_async"]["async" if rd.is_async else "sync"] += 1
            for p in rd.params:
                target = p.depends or (
                    p.annotation if p.annotation.endswith("Dep") else ""
                )
                if not target:
                    continue
                low = target.lower()
                if any(k in low for k in ("session", "db")):
                    counters["session_dependency"][_where(index, mod, target)] += 1
                elif "user" in low or "auth" in low or "role" in low:
                    counters["current_user_dependency"][_where(index, mod, target)] += 1
            _role_votes(index, mod, rd, counters["role_check_dependency"])
    return tuple(_vote(name, c) for name, c in sorted(counters.items()))


def _role_votes(
    index: ProjectIndex, mod: str, rd: RouteDef, counter: Counter[str]
) -> None:
    """Role-check dependencies a route declares, as parameters or decorator deps."""
    for ref in (*(p.depends for p in rd.params), *rd.dependencies):
        target = ref.removesuffix("()")
        name = target.rsplit(".", 1)[-1]
        if _ROLE_CHECK.search(name) and not _NOT_A_CHECK.search(name):
            counter[_where(index, mod, target)] += 1


def _route_votes(r: Route, counters: dict[str, Counter[str]]) -> None:
    for seg in r.path.split("/"):
        if _STATIC.match(seg):
            counters["url_case"]["kebab" if "-" in seg else "snake"] += 1
    params = path_params(r.path)
    if r.method in ("PUT", "PATCH") and params:
        counters["update_method"][r.method] += 1
    if params and r.path.endswith("}"):
        last = params[-1]
        value = "id" if last == "id" else "<name>_id" if last.endswith("_id") else last
        counters["item_param"][value] += 1
    elif r.method in ("GET", "POST"):
        counters["trailing_slash"]["yes" if r.path.endswith("/") else "no"] += 1
    if r.method == "POST" and not params:
        counters["create_status"][str(r.status_code or 200)] += 1
    if r.method == "DELETE":
        counters["delete_status"][str(r.status_code or 200)] += 1


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


def _where(index: ProjectIndex, module: str, ref: str) -> str:
    """``name (module)``: where a dependency is imported from."""
    head = ref.split(".")[0]
    s = index.by_module[module]
    for imp in s.imports:
        if imp.local == head:
            return f"{ref} ({imp.target.rsplit('.', 1)[0]})"
    return f"{ref} ({module})"
