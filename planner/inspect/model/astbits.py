"""Small readers of AST nodes: dotted names, references, string expressions."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

from .summary import Expr, Param


def _block_statements() -> frozenset[type[ast.AST]]:
    blocks = {"body", "orelse", "finalbody", "handlers", "cases"}
    found: set[type[ast.AST]] = set()
    todo: list[type[ast.AST]] = [ast.stmt]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if blocks & set(cls._fields):
            found.add(cls)
    return frozenset(found)


# The statement types that hold blocks of statements (``if``, ``try``, ``def``):
# a walk looks for nested blocks in these alone, not in every statement.
BLOCK_STATEMENTS = _block_statements()


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, ``f()`` for a call of one, else None."""
    if type(node) is ast.Name:  # the commonest case, answered at once
        return node.id
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call) and not parts:
        inner = dotted(node.func)
        return f"{inner}()" if inner and not inner.endswith("()") else None
    return None


_NAMED = (ast.Name, ast.Attribute, ast.Call)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def refs_of(node: ast.AST | None) -> tuple[str, ...]:
    """The names an expression is built from, calls marked with ``()``."""
    if node is None:
        return ()
    found: list[str] = []
    _add_refs(node, found)
    return tuple(found)


def _add_refs(n: ast.AST, found: list[str]) -> None:
    # Only a name, an attribute or a call is dotted: the others, most nodes,
    # are not asked.
    if isinstance(n, _NAMED):
        d = dotted(n)
        if d is not None:
            found.append(d)
            if isinstance(n, ast.Call):
                for a in n.args:
                    _add_refs(a, found)
            return
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
            # routers.values(), API_ROUTERS.copy(): the receiver is what counts.
            _add_refs(n.func.value, found)
            return
    elif isinstance(n, _COMPREHENSIONS):
        for g in n.generators:
            _add_refs(g.iter, found)
        return
    for child in ast.iter_child_nodes(n):
        _add_refs(child, found)


def expr_of(node: ast.AST | None) -> Expr:
    """A string expression as literal and reference parts."""
    if node is None:
        return ()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (("s", node.value),)
    if isinstance(node, ast.JoinedStr):
        parts: list[tuple[str, str]] = []
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                parts.extend(expr_of(v.value))
            else:
                parts.extend(expr_of(v))
        return tuple(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return expr_of(node.left) + expr_of(node.right)
    d = dotted(node)
    if d is not None:
        return (("r", d),)
    return (("?", ast.unparse(node)[:80]),)


def kw(call: ast.Call, name: str) -> ast.expr | None:
    """The value of a keyword argument of a call, if given."""
    return next((k.value for k in call.keywords if k.arg == name), None)


def callee(node: ast.AST) -> str:
    """The last name of what a call calls (``Depends`` for ``fastapi.Depends(x)``)."""
    if isinstance(node, ast.Call):
        d = dotted(node.func)
        return (d or "").rsplit(".", 1)[-1]
    return ""


def params_of(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[Param, ...]:
    """Parameters of a route function with annotations and ``Depends`` targets."""
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    defaults: list[ast.expr | None] = [None] * (
        len(fn.args.posonlyargs) + len(fn.args.args) - len(fn.args.defaults)
    )
    defaults += [*fn.args.defaults, *fn.args.kw_defaults]
    out: list[Param] = []
    for arg, default in zip(args, defaults, strict=False):
        ann = arg.annotation
        marker = default if _is_depends(default) else None
        if isinstance(ann, ast.Subscript) and (dotted(ann.value) or "").endswith(
            "Annotated"
        ):
            elts = getattr(ann.slice, "elts", [])
            marker = next((e for e in elts[1:] if _is_depends(e)), marker)
            ann = elts[0] if elts else ann
        annotation = (dotted(ann) or "") if ann is not None else ""
        dep = ""
        if isinstance(marker, ast.Call):
            # ``Depends()`` with no argument depends on the annotation's class.
            target = marker.args[0] if marker.args else ann
            dep = next(iter(refs_of(target)), "") or annotation
        out.append(Param(_alias(default, arg.annotation) or arg.arg, annotation, dep))
    return tuple(out)


def _is_depends(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and callee(node) in ("Depends", "Security")


def _alias(default: ast.expr | None, annotation: ast.expr | None) -> str | None:
    """The name a ``Path(alias=...)`` or ``Query(alias=...)`` serves a parameter as.

    ``policy_id: UUID = Path(alias="id")`` is the ``{id}`` of its route's
    path, so matching path parameters must use the alias.
    """
    calls = [default]
    if isinstance(annotation, ast.Subscript):
        calls += getattr(annotation.slice, "elts", [])[1:]
    for call in calls:
        if isinstance(call, ast.Call) and callee(call) in ("Path", "Query"):
            for kw in call.keywords:
                if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                    return str(kw.value.value)
    return None


def _subclasses(*roots: type[ast.AST]) -> frozenset[type[ast.AST]]:
    found: set[type[ast.AST]] = set()
    todo = list(roots)
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return frozenset(found)


# Nodes that never hold a call: names, constants, contexts and operators.
# Told by their exact class: a set lookup is cheaper than an isinstance test.
_CALL_FREE = _subclasses(
    ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.unaryop,
    ast.cmpop, ast.boolop,
)  # fmt: skip


def calls_in(node: ast.AST) -> Iterator[ast.Call]:
    """The calls under ``node`` (itself included), in the order of ``ast.walk``.

    The same breadth-first walk, without entering nodes that hold no call:
    those are most nodes of a body, and leaving them out never reorders the
    rest.
    """
    todo = deque([node])
    push = todo.append
    while todo:
        node = todo.popleft()
        if isinstance(node, ast.Call):
            yield node
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for v in value:
                    if type(v) not in _CALL_FREE and isinstance(v, ast.AST):
                        push(v)
            elif type(value) not in _CALL_FREE and isinstance(value, ast.AST):
                push(value)


def body_calls(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """Dotted names of the functions a function body calls, in walk order."""
    found: dict[str, None] = {}
    for stmt in fn.body:
        for node in calls_in(stmt):
            d = dotted(node.func)
            if d and not d.endswith("()"):
                found.setdefault(d, None)
    return tuple(found)


def assigned_value(node: ast.stmt, name: str) -> ast.expr | None:
    """The value a statement binds to ``name`` (``name = v`` or ``name: T = v``)."""
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in node.targets
    ):
        return node.value
    if (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == name
    ):
        return node.value
    return None
