"""Conventions measured as votes over the project's routes."""

from __future__ import annotations

import re
from collections import Counter

from .index import ProjectIndex
from .records import Resource, Route, Vote
from .resources import path_params

_STATIC = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")


def _vote(name: str, counter: Counter[str]) -> Vote:
    return Vote(name, tuple(sorted(counter.items())))


def measure(
    index: ProjectIndex, routes: tuple[Route, ...], resources: tuple[Resource, ...]
) -> tuple[Vote, ...]:
    """URL case, trailing slash, item parameter, update verb, statuses, sync/async, deps."""
    url_case: Counter[str] = Counter()
    slash: Counter[str] = Counter()
    item: Counter[str] = Counter()
    update: Counter[str] = Counter()
    create: Counter[str] = Counter()
    delete: Counter[str] = Counter()
    for r in routes:
        for seg in r.path.split("/"):
            if _STATIC.match(seg):
                url_case["kebab" if "-" in seg else "snake"] += 1
        params = path_params(r.path)
        if r.method in ("PUT", "PATCH") and params:
            update[r.method] += 1
        if params and r.path.endswith("}"):
            last = params[-1]
            item[
                "id" if last == "id" else "<name>_id" if last.endswith("_id") else last
            ] += 1
        elif r.method in ("GET", "POST"):
            slash["yes" if r.path.endswith("/") else "no"] += 1
        if r.method == "POST" and not params:
            create[str(r.status_code or 200)] += 1
        if r.method == "DELETE":
            delete[str(r.status_code or 200)] += 1
    sync: Counter[str] = Counter()
    session: Counter[str] = Counter()
    user: Counter[str] = Counter()
    for mod, s in index.by_module.items():
        for rd in s.routes:
            sync["async" if rd.is_async else "sync"] += 1
            for p in rd.params:
                target = p.depends or (
                    p.annotation if p.annotation.endswith("Dep") else ""
                )
                if not target:
                    continue
                where = _where(index, mod, target)
                low = target.lower()
                if any(k in low for k in ("session", "db")):
                    session[where] += 1
                elif "user" in low or "auth" in low or "role" in low:
                    user[where] += 1
    del resources
    return (
        _vote("create_status", create),
        _vote("current_user_dependency", user),
        _vote("delete_status", delete),
        _vote("item_param", item),
        _vote("session_dependency", session),
        _vote("sync_async", sync),
        _vote("trailing_slash", slash),
        _vote("update_method", update),
        _vote("url_case", url_case),
    )


def _where(index: ProjectIndex, module: str, ref: str) -> str:
    """``name (module)``: where a dependency is imported from."""
    head = ref.split(".")[0]
    s = index.by_module[module]
    for imp in s.imports:
        if imp.local == head:
            return f"{ref} ({imp.target.rsplit('.', 1)[0]})"
    return f"{ref} ({module})"
