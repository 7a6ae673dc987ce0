"""Planned endpoints against the routes the project serves."""

from __future__ import annotations

import re

from planner.inspect.model import ProjectModel, Route

from .code import SourceCache
from .handlers import Handler, read_handler
from .planview import PlannedEndpoint, PlanView
from .records import Finding

__all__ = ["check_endpoints", "find_route", "normal_path"]

_PARAM = re.compile(r"\{[^}]*\}")
# Statuses FastAPI or the auth dependency answer with, not the handler.
_FRAMEWORK = frozenset({422})
_AUTH_STATUSES = frozenset({401, 403})
_RANGE = re.compile(r"^(\w+): (-?\d+)\.\.(-?\d+)")
_AT_LEAST = re.compile(r"^(\w+): >= (-?\d+)")
_NAME = re.compile(r"^(\w+):")


def normal_path(path: str) -> str:
    """A served path with its parameters unnamed and no trailing slash."""
    unnamed = _PARAM.sub("{}", path)
    return unnamed.rstrip("/") or "/"


def find_route(model: ProjectModel, method: str, path: str) -> Route | None:
    """The route serving `method path`: exact first, then up to a trailing slash."""
    same = [r for r in model.routes if r.method.upper() == method]
    wanted = _PARAM.sub("{}", path)
    for route in same:
        if _PARAM.sub("{}", route.path) == wanted:
            return route
    loose = normal_path(path)
    return next((r for r in same if normal_path(r.path) == loose), None)


def check_endpoints(
    plan: PlanView, model: ProjectModel, code: SourceCache
) -> list[Finding]:
    """One finding per planned endpoint, then its status, auth, errors and query."""
    findings: list[Finding] = []
    for endpoint in plan.endpoints:
        route = find_route(model, endpoint.method, endpoint.path)
        if route is None:
            findings.append(_missing(endpoint, plan))
            continue
        slash = "" if route.path == endpoint.path else f" (served as {route.path})"
        findings.append(
            Finding(
                "endpoint",
                endpoint.label,
                "ok",
                f"served by `{route.function}`{slash}",
                f"{route.file}:{route.line}",
            )
        )
        findings.append(_status(endpoint, route))
        handler = read_handler(route, code, model)
        if handler is None:
            findings.append(
                Finding(
                    "handler",
                    endpoint.label,
                    "unknown",
                    f"`{route.function}` could not be read",
                    route.file,
                )
            )
            continue
        findings.extend(_auth(endpoint, handler))
        findings.extend(_errors(endpoint, handler))
        findings.extend(_query(endpoint, handler))
    return findings


def _missing(endpoint: PlannedEndpoint, plan: PlanView) -> Finding:
    home = _home(endpoint, plan)
    return Finding(
        "endpoint",
        endpoint.label,
        "missing",
        "no route serves it"
        + (f"; the plan puts `{endpoint.function}` in {home}" if home else ""),
        home,
        plan.line_of(endpoint.path),
    )


def _home(endpoint: PlannedEndpoint, plan: PlanView) -> str:
    """The planned file that says where the path operation goes."""
    for needle in (f"`{endpoint.label}`", f"`{endpoint.function}`"):
        for f in plan.files:
            if endpoint.function and needle in f.guidance:
                return f.path
    return ""


def _status(endpoint: PlannedEndpoint, route: Route) -> Finding:
    actual = route.status_code or 200
    where = f"{route.file}:{route.line}"
    if actual == endpoint.success_status:
        return Finding("status", endpoint.label, "ok", f"answers {actual}", where)
    return Finding(
        "status",
        endpoint.label,
        "differs",
        f"answers {actual}; the plan says {endpoint.success_status}",
        where,
    )


def _auth(endpoint: PlannedEndpoint, handler: Handler) -> list[Finding]:
    if endpoint.auth in ("none", ""):
        return []
    found = handler.auth_dependencies
    if found:
        names = ", ".join(f"`{d}`" for d in found)
        return [
            Finding("auth", endpoint.label, "ok", f"depends on {names}", handler.where)
        ]
    return [
        Finding(
            "auth",
            endpoint.label,
            "missing",
            f"no authentication dependency ({endpoint.auth} planned) on "
            f"`{handler.route.function}`, its router or where it is included",
            handler.where,
        )
    ]


def _errors(endpoint: PlannedEndpoint, handler: Handler) -> list[Finding]:
    out = []
    skip = _FRAMEWORK | (_AUTH_STATUSES if handler.auth_dependencies else frozenset())
    for status in sorted(set(endpoint.errors) - skip):
        label = f"{endpoint.label} {status}"
        if status in handler.documented:
            out.append(
                Finding(
                    "error", label, "ok", "documented in `responses=`", handler.where
                )
            )
        elif status in handler.raised:
            out.append(
                Finding(
                    "error",
                    label,
                    "ok",
                    "raised by the handler, a function it calls or a dependency",
                    handler.where,
                )
            )
        else:
            out.append(_unanswered(label, endpoint, handler))
    return out


def _unanswered(label: str, endpoint: PlannedEndpoint, handler: Handler) -> Finding:
    others = sorted(
        code
        for code in handler.raised | handler.documented
        if code >= 400 and code not in endpoint.errors
    )
    instead = f"; it answers {', '.join(map(str, others))} instead" if others else ""
    return Finding(
        "error",
        label,
        "missing",
        "neither documented in `responses=` nor raised in the handler, the "
        f"functions it calls or its dependencies{instead}",
        handler.where,
    )


def _query(endpoint: PlannedEndpoint, handler: Handler) -> list[Finding]:
    out = []
    for entry in endpoint.query:
        named = _NAME.match(entry)
        if named is None:
            continue
        name = named.group(1)
        label = f"{endpoint.label} ?{name}"
        bounds = handler.bounds(name)
        if bounds is None:
            out.append(_absent_param(label, name, handler))
            continue
        wanted = _wanted_bounds(entry)
        wrong = {k: v for k, v in wanted.items() if bounds.get(k) != v}
        if wrong:
            shown = ", ".join(f"{k}={v:g}" for k, v in sorted(wanted.items()))
            out.append(
                Finding(
                    "query",
                    label,
                    "differs",
                    f"bounds are not {shown}",
                    handler.where,
                )
            )
        else:
            out.append(
                Finding("query", label, "ok", "parameter declared", handler.where)
            )
    return out


def _absent_param(label: str, name: str, handler: Handler) -> Finding:
    if handler.param_dependencies:
        deps = ", ".join(f"`{d}`" for d in handler.param_dependencies)
        return Finding(
            "query",
            label,
            "unknown",
            f"not a parameter of the handler; it may come from {deps}",
            handler.where,
        )
    return Finding(
        "query", label, "missing", f"`{name}` is not a parameter", handler.where
    )


def _wanted_bounds(entry: str) -> dict[str, float]:
    if found := _RANGE.match(entry):
        return {"ge": float(found.group(2)), "le": float(found.group(3))}
    if found := _AT_LEAST.match(entry):
        return {"ge": float(found.group(2))}
    return {}
