"""Small readers of a dependency's syntax: names, statuses, credential carriers."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .astbits import assigned_value
from .astbits import dotted as dotted_chain

# Headers a dependency reads that say nothing of who calls.
NOT_CREDENTIALS = frozenset(
    {"host", "origin", "referer", "user-agent", "x-user-agent", "x-real-ip"}
    | {"accept", "accept-language", "accept-encoding", "content-type"}
    | {"content-length", "x-request-id", "if-match", "if-none-match"}
    | {"idempotency-key"}
)

STATUS_NAMES = {"UNAUTHORIZED": 401, "FORBIDDEN": 403}


def dependency_callable(node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function a dependency runs: itself, or a class's ``__call__``."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node
    return method_of(node, "__call__")


def method_of(
    node: ast.AST, name: str
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A class's method ``name`` (``AuthControl.is_authed``), else None."""
    if not isinstance(node, ast.ClassDef):
        return None
    return next(
        (
            n
            for n in node.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
        ),
        None,
    )


def top(tree: ast.Module, name: str) -> ast.AST | None:
    """The top-level definition or assignment of ``name`` in a module."""
    for node in tree.body:
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name == name
        ):
            return node
        value = assigned_value(node, name)
        if value is not None:
            return value
    return None


def carrier(kind: str, name: str) -> str | None:
    """``header:X``; the ``Authorization`` header carries a bearer token.

    None for a header that describes the request rather than the caller.
    """
    low = name.lower()
    if kind == "header" and low == "authorization":
        return "bearer"
    if kind == "header" and (low in NOT_CREDENTIALS or low.startswith("x-forwarded")):
        return None
    return f"{kind}:{name}"


def status_args(call: ast.Call) -> Iterator[ast.expr]:
    """What gives an exception's status: ``status_code=``, else its first argument."""
    for k in call.keywords:
        if k.arg == "status_code":
            yield k.value
    yield from call.args[:1]


def status_code(node: ast.expr) -> int | None:
    """The status of ``401``, ``status.HTTP_401_...`` or ``HTTPStatus.UNAUTHORIZED``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    last = tail(node)
    if last.startswith("HTTP_") and last[5:8].isdigit():
        return int(last[5:8])
    return STATUS_NAMES.get(last)


def calls(*nodes: ast.AST | None) -> Iterator[ast.Call]:
    """Every call within the given nodes."""
    for node in nodes:
        if node is not None:
            yield from (n for n in ast.walk(node) if isinstance(n, ast.Call))


def refs(nodes: list[ast.expr]) -> Iterator[str]:
    """The dotted names an expression is built from (calls' receivers included)."""
    for node in nodes:
        for n in ast.walk(node):
            if isinstance(n, ast.Name | ast.Attribute) and not isinstance(
                getattr(n, "ctx", None), ast.Store
            ):
                text = dotted(n)
                if text:
                    yield text


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a Name/Attribute chain, else "" (a call is no name)."""
    return "" if isinstance(node, ast.Call) else dotted_chain(node) or ""


def tail(node: ast.AST) -> str:
    """The last part of a dotted name (``HTTPBearer`` of ``security.HTTPBearer``)."""
    text = dotted(node)
    return text.rsplit(".", 1)[-1]


def is_false(call: ast.Call, name: str) -> bool:
    """Whether a call passes ``name=False``."""
    value = next((k.value for k in call.keywords if k.arg == name), None)
    return isinstance(value, ast.Constant) and value.value is False


def keyword_text(call: ast.Call, name: str) -> str:
    """The string a call passes as ``name=``, else ""."""
    value = next((k.value for k in call.keywords if k.arg == name), None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return ""
