"""The exception handlers a project registers, and the status each answers with.

FastAPI turns an exception into a response through the handlers an app
registers: ``@app.exception_handler(IntegrityError)``,
``app.add_exception_handler(NotFound, handler)`` or
``FastAPI(exception_handlers={...})``. Where the project answers every
unique violation with 409 this way, a new route lets the error propagate
rather than catching it again.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from .astbits import dotted
from .records import ErrorHandler
from .roles import is_test_path

if TYPE_CHECKING:
    from .index import ProjectIndex

# ``status.HTTP_409_CONFLICT`` or ``HTTPStatus.CONFLICT``'s number.
_STATUS_NAME = re.compile(r"HTTP_(\d{3})(?:_|$)")
_MARKER = b"exception_handler"


def read_error_handlers(index: ProjectIndex) -> tuple[ErrorHandler, ...]:
    """Every registration in the modules the model parses, in path order."""
    found: dict[tuple[str, int], ErrorHandler] = {}
    for src in index.files.sources:
        if not src.relevant or _MARKER not in src.data or is_test_path(src.path):
            continue
        module = index.module_of.get(src.path)
        tree = index.tree(module) if module else None
        if tree is None:
            continue
        functions = {
            n.name: n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for exc, handler, line in _registrations(tree):
            if not exc.rsplit(".", 1)[-1][:1].isupper():
                continue  # a loop variable, not an exception class
            fn = functions.get(handler) or _imported(index, module or "", handler)
            statuses = _statuses(fn) if fn is not None else ()
            found[(src.path, line)] = ErrorHandler(
                exception=exc,
                handler=handler,
                file=src.path,
                line=line,
                statuses=statuses,
            )
    return tuple(found[k] for k in sorted(found))


def _imported(
    index: ProjectIndex, module: str, name: str
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A handler function another project module defines, found by its import.

    Read from the importing module's imports: the defining module may be one
    the model only scanned.
    """
    summary = index.by_module.get(module)
    for imp in summary.imports if summary is not None else ():
        source, _, defined = imp.target.rpartition(".")
        tree = index.tree(source) if imp.local == name else None
        for node in tree.body if tree is not None else ():
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.name == defined
            ):
                return node
    return None


def _registrations(tree: ast.Module) -> list[tuple[str, str, int]]:
    """(exception, handler name, line) of each registration in a module."""
    out: list[tuple[str, str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.extend(_decorated(node))
        elif (call := _call_of(node, "add_exception_handler")) and len(call.args) > 1:
            exc, handler = dotted(call.args[0]), dotted(call.args[1])
            if exc and handler:
                out.append((exc, handler.rsplit(".", 1)[-1], call.lineno))
        elif isinstance(node, ast.keyword) and node.arg == "exception_handlers":
            out.extend(_mapping(node.value))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "exception_handlers":
                    out.extend(_mapping(value))
    return out


def _decorated(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
) -> list[tuple[str, str, int]]:
    """``@app.exception_handler(Exc)`` on a handler function."""
    out = []
    for deco in fn.decorator_list:
        call = _call_of(deco, "exception_handler")
        exc = dotted(call.args[0]) if call and call.args else None
        if exc:
            out.append((exc, fn.name, deco.lineno))
    return out


def _call_of(node: ast.AST, attr: str) -> ast.Call | None:
    """``node`` when it calls a method named ``attr`` (``app.<attr>(...)``)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attr
    ):
        return node
    return None


def _mapping(node: ast.expr) -> list[tuple[str, str, int]]:
    """The pairs of an ``{Exception: handler}`` literal."""
    if not isinstance(node, ast.Dict):
        return []
    out = []
    for key, value in zip(node.keys, node.values, strict=True):
        exc = dotted(key) if key is not None else None
        handler = dotted(value)
        if exc and handler:
            out.append((exc, handler.rsplit(".", 1)[-1], key.lineno if key else 0))
    return out


def _statuses(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, ...]:
    """The status codes a handler's body answers with, as written there."""
    found: set[int] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.keyword) and node.arg == "status_code":
            code = status_value(node.value)
            if code is not None:
                found.add(code)
    return tuple(sorted(found))


def status_value(node: ast.expr) -> int | None:
    """A status written as a number or a `status.HTTP_409_CONFLICT` name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value if 100 <= node.value <= 599 else None
    name = dotted(node) or ""
    match = _STATUS_NAME.search(name.rsplit(".", 1)[-1])
    return int(match[1]) if match else None
