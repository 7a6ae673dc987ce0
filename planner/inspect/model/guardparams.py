"""The request parameters a guard dependency declares, which its routes take.

FastAPI reads a dependency's own parameters from the request as it reads a
route's: ``workspace_id: UUID4 = Query(...)`` makes every route the guard
runs on take a required ``workspace_id`` query parameter (422 without it),
and a plain ``project_name: str`` is a path parameter where the route's path
has ``{project_name}``, else a required query parameter.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from .astbits import dotted
from .factory import Env, Fn, Ref, value

# Markers that say where a parameter is read from.
_SOURCES = {"Query": "query", "Path": "path"}
# Markers of what is not a request parameter of the route's: a dependency,
# a credential (read as such), a body.
_NOT_PARAMS = frozenset({"Depends", "Security", "Header", "Cookie", "Body", "Form"})
_NOT_PARAMS |= frozenset({"File"})
# Types FastAPI fills itself rather than from the request's parameters.
_INJECTED = frozenset(
    {"Request", "WebSocket", "HTTPConnection", "Response", "BackgroundTasks"}
    | {"SecurityScopes"}
)
# Types a plain parameter has when FastAPI reads it from the path or query.
_SCALARS = frozenset(
    {"str", "int", "float", "bool", "UUID", "UUID1", "UUID4", "Optional", "None"}
    | {"date", "datetime", "Decimal", "EntityName", "Literal"}
)


def declared_params(
    fn: Fn, env: Env, is_dependency: Callable[[ast.expr], bool]
) -> tuple[str, ...]:
    """``source:name:type:required|optional`` for each request parameter.

    ``source`` is ``query``, ``path``, or ``plain`` (path or query, as the
    route's path has it). ``is_dependency`` tells a project's ``Annotated``
    alias that runs a dependency (``session: AsyncDBSession``).
    """
    found: list[str] = []
    for arg, default in _arguments(fn):
        if arg.arg in {"self", "cls"}:
            continue
        annotation = arg.annotation
        marker = _marker(default, annotation, env)
        typed = ast.unparse(_inner_type(annotation)) if annotation else ""
        if marker is not None:
            source, required = marker
            if source:
                found.append(f"{source}:{arg.arg}:{typed}:{required}")
            continue
        if annotation is None or is_dependency(annotation):
            continue
        names = {n.rsplit(".", 1)[-1] for n in _names(annotation)}
        if names & _INJECTED or not names <= _SCALARS:
            continue
        need = "optional" if default is not None else "required"
        found.append(f"plain:{arg.arg}:{typed}:{need}")
    return tuple(found)


def _arguments(fn: Fn) -> Iterator[tuple[ast.arg, ast.expr | None]]:
    args = fn.args
    plain = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(plain) - len(args.defaults))
    defaults += args.defaults
    yield from zip(plain, defaults, strict=True)
    yield from zip(args.kwonlyargs, args.kw_defaults, strict=True)


def _marker(
    default: ast.expr | None, annotation: ast.expr | None, env: Env
) -> tuple[str, str] | None:
    """``(source, required)`` of a marked parameter; source "" when no parameter.

    None when nothing marks it.
    """
    calls = [default] if isinstance(default, ast.Call) else []
    if isinstance(annotation, ast.Subscript):
        calls += [n for n in ast.walk(annotation) if isinstance(n, ast.Call)]
    for call in calls:
        if not isinstance(call, ast.Call):
            continue
        name = _called(call.func, env)
        if name in _NOT_PARAMS:
            return "", ""
        if name in _SOURCES:
            required = _required(call, call is default, default)
            return _SOURCES[name], required
    return None


def _called(func: ast.expr, env: Env) -> str:
    """The marker a call names: ``Query``, or what a local name stands for."""
    found = value(func, env) if isinstance(func, ast.Name) else None
    if isinstance(found, Ref):
        return found.name.rsplit(".", 1)[-1]
    return (dotted(func) or "").rsplit(".", 1)[-1]


def _required(call: ast.Call, as_default: bool, default: ast.expr | None) -> str:
    """``required`` for ``Query(...)``/``Query()`` without a default, else optional."""
    given = call.args[0] if call.args else None
    given = next((k.value for k in call.keywords if k.arg == "default"), given)
    if not as_default and default is not None:
        return "optional"
    if given is None or (isinstance(given, ast.Constant) and given.value is ...):
        return "required"
    return "optional"


def _inner_type(annotation: ast.expr) -> ast.expr:
    """``T`` of ``Annotated[T, ...]``; else the annotation."""
    if (
        isinstance(annotation, ast.Subscript)
        and (dotted(annotation.value) or "").endswith("Annotated")
        and isinstance(annotation.slice, ast.Tuple)
        and annotation.slice.elts
    ):
        return annotation.slice.elts[0]
    return annotation


def _names(annotation: ast.expr) -> set[str]:
    return {
        dotted(n) or ""
        for n in ast.walk(_inner_type(annotation))
        if isinstance(n, ast.Name | ast.Attribute)
    } - {""}
