"""The project's own HTTP errors, and what its table bases make of database errors.

Projects keep ready-made ``HTTPException`` subclasses in a module named for
errors (``ConflictHTTPException`` answering 409): a plan that needs that
status names the project's class rather than a new one. And an
active-record base class (``Base.save()``) may catch every database error
and raise a status of its own (422): a unique violation written through it
never reaches a 409 the plan would promise.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .astbits import dotted
from .errorhandlers import status_value
from .records import BaseWrite, HttpErrorClass, TableClass
from .roles import is_test_path
from .tableread import class_node, resolve_class

if TYPE_CHECKING:
    from .index import ProjectIndex

# What a module named for errors is called, or the folder that holds it.
_ERROR_WORDS = ("exceptions", "errors", "exception", "error")
_HTTP_BASES = frozenset({"HTTPException", "StarletteHTTPException"})
# The methods of an active-record base that write, and the database errors
# such a method may catch.
_WRITES = frozenset({"save", "create", "insert", "add", "update", "delete", "commit"})
_DB_ERRORS = frozenset(
    {
        "SQLAlchemyError",
        "IntegrityError",
        "DBAPIError",
        "DatabaseError",
        "UniqueViolationError",
    }
)
_UNIQUE = re.compile(r"Integrity|Unique|Duplicate|AlreadyExists|Conflict")
_DEPTH = 4


def read_http_errors(index: ProjectIndex) -> tuple[HttpErrorClass, ...]:
    """Every ``HTTPException`` subclass with a fixed status, in path order."""
    out: list[HttpErrorClass] = []
    for path in sorted(index.module_of):
        if not _named_for_errors(path) or is_test_path(path):
            continue
        if b"HTTPException" not in index.source(path):
            continue
        tree = index.tree(index.module_of[path])
        if tree is not None:
            out.extend(_classes(tree, path))
    return tuple(out)


def _named_for_errors(path: str) -> bool:
    parts = path.removesuffix(".py").split("/")
    return parts[-1].endswith(_ERROR_WORDS) or any(p in _ERROR_WORDS for p in parts)


def _classes(tree: ast.Module, path: str) -> list[HttpErrorClass]:
    """The module's HTTP error classes, through its own bases (one module)."""
    http = set(_HTTP_BASES)
    out: list[HttpErrorClass] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if not any((dotted(b) or "").rsplit(".", 1)[-1] in http for b in node.bases):
            continue
        http.add(node.name)
        status, headers = _fixed(node)
        if status:
            out.append(HttpErrorClass(node.name, path, node.lineno, status, headers))
    return out


def _fixed(node: ast.ClassDef) -> tuple[int, tuple[str, ...]]:
    """The status a class always answers with and the headers it always sends.

    Written as a class attribute (``status_code = 409``) or passed by its
    ``__init__`` to the parent's (``super().__init__(status_code=...)``); a
    status taken as a parameter is no fixed one (0).
    """
    status = 0
    headers: tuple[str, ...] = ()
    for stmt in node.body:
        target, value = _assigned(stmt)
        if target == "status_code" and value is not None:
            status = status_value(value) or status
        elif target == "headers" and value is not None:
            headers = _headers(value)
    for call in ast.walk(node):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "__init__"
        ):
            continue
        positional = call.args[0 if _is_super(call.func.value) else 1 :]
        keywords = {k.arg: k.value for k in call.keywords}
        found = keywords.get("status_code") or (positional[0] if positional else None)
        status = (status_value(found) if found is not None else None) or status
        if "headers" in keywords:
            headers = _headers(keywords["headers"])
    return status, headers


def _is_super(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and dotted(node.func) == "super"


def _assigned(stmt: ast.stmt) -> tuple[str, ast.expr | None]:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        return dotted(stmt.targets[0]) or "", stmt.value
    if isinstance(stmt, ast.AnnAssign):
        return dotted(stmt.target) or "", stmt.value
    return "", None


def _headers(node: ast.expr) -> tuple[str, ...]:
    if not isinstance(node, ast.Dict):
        return ()
    return tuple(
        f"{k.value}: {v.value}"
        for k, v in zip(node.keys, node.values, strict=True)
        if isinstance(k, ast.Constant)
        and isinstance(v, ast.Constant)
        and isinstance(k.value, str)
        and isinstance(v.value, str)
    )


def read_base_writes(
    index: ProjectIndex, tables: Iterable[TableClass]
) -> tuple[BaseWrite, ...]:
    """The write methods of the project classes tables derive from."""
    out: dict[tuple[str, str], BaseWrite] = {}
    for table in tables:
        for base in table.bases:
            name = base.name.rsplit(".", 1)[-1]
            if not base.module or any(k[0] == base.name for k in out):
                continue
            for write in _writes_of(index, base.module, name, base.name):
                out.setdefault((base.name, write.method), write)
    return tuple(out[k] for k in sorted(out))


def _writes_of(
    index: ProjectIndex, module: str, name: str, base: str
) -> list[BaseWrite]:
    """Write methods of a class and its project ancestors, nearest first."""
    found: dict[str, BaseWrite] = {}
    todo = [(module, name, 0)]
    while todo:
        mod, cls, depth = todo.pop(0)
        node = class_node(index, mod, cls)
        if node is None or depth > _DEPTH:
            continue
        methods = {
            s.name: s
            for s in node.body
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for method in sorted(_WRITES & methods.keys() - found.keys()):
            write = _write(methods[method], methods)
            if write is not None:
                file = index.path_of.get(mod, "")
                line = methods[method].lineno
                found[method] = BaseWrite(base, cls, file, line, method, *write)
        for parent in node.bases:
            ent = resolve_class(index, mod, parent)
            if ent is not None:
                todo.append((ent.module, ent.name, depth + 1))
    return list(found.values())


Method = ast.FunctionDef | ast.AsyncFunctionDef


def _write(fn: Method, methods: dict[str, Method]) -> tuple[str, str, int] | None:
    """(caught, raised, status) of a method that commits; None if it does not."""
    calls = [c for c in ast.walk(fn) if isinstance(c, ast.Call)]
    if not any(
        isinstance(c.func, ast.Attribute) and c.func.attr in ("commit", "flush")
        for c in calls
    ):
        return None
    for node in ast.walk(fn):
        for handler in node.handlers if isinstance(node, ast.Try) else ():
            caught = _db_error(handler.type)
            if caught:
                raised, status = _raised(handler.body, methods, 0)
                return caught, raised, status
    return "", "", 0


def _db_error(node: ast.expr | None) -> str:
    names = node.elts if isinstance(node, ast.Tuple) else [node] if node else []
    found = [(dotted(n) or "").rsplit(".", 1)[-1] for n in names]
    return next((n for n in found if n in _DB_ERRORS), "")


def _raised(
    body: list[ast.stmt], methods: dict[str, Method], depth: int
) -> tuple[str, int]:
    """What a handler raises instead: the unique-violation one first.

    A helper of the same class it calls (``self._handle_dbapi_error(e)``)
    is read too; a bare ``raise`` lets the error through ("").
    """
    found: list[tuple[str, int]] = []
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc
            call = exc if isinstance(exc, ast.Call) else None
            name = (dotted(call.func if call else exc) or "").rsplit(".", 1)[-1]
            found.append((name, _call_status(call) if call else 0))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in methods
            and dotted(node.func.value) in ("self", "cls")
            and depth == 0
        ):
            found.append(_raised(methods[node.func.attr].body, methods, 1))
    found = [f for f in found if f[0]]
    return next(
        (f for f in found if _UNIQUE.search(f[0])), found[0] if found else ("", 0)
    )


def _call_status(call: ast.Call) -> int:
    found = next((k.value for k in call.keywords if k.arg == "status_code"), None)
    if found is None and call.args:
        found = call.args[0]
    return (status_value(found) if found is not None else None) or 0
