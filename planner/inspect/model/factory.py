"""A guard factory read for the arguments it is called with, without running it.

``RoleACL(allow_service=False, require_workspace="yes")`` returns one of
several inner dependencies, and the one returned refuses callers by branches
its arguments decide. Binding the call's constant arguments to the factory's
parameters and pruning every ``if`` whose test they decide tells which
dependency FastAPI runs, which of its branches can run, and what it answers
a caller who sends no credential. A test that depends on anything else
keeps both branches: what is not known is not pruned.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Fn = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class Ref:
    """A name a value stands for (``Query``), not a constant."""

    name: str


class _Unknown:
    """What an expression is when its value is not known statically."""


UNKNOWN = _Unknown()
Env = dict[str, object]
_COMPARE: dict[type[ast.cmpop], Callable[[object, object], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


def bind(fn: Fn, call: ast.Call | None) -> Env:
    """The factory's parameters: the call's constant arguments, else defaults."""
    plain = [*fn.args.posonlyargs, *fn.args.args]
    env: Env = {arg.arg: value(default, {}) for arg, default in _defaults(fn)}
    if call is not None:
        for arg, given in zip(plain, call.args, strict=False):
            env[arg.arg] = value(given, {})
        for kw in call.keywords:
            if kw.arg is not None:
                env[kw.arg] = value(kw.value, {})
    return {k: v for k, v in env.items() if v is not UNKNOWN}


def value(node: ast.expr, env: Env) -> object:
    """A constant, a :class:`Ref`, or :data:`UNKNOWN`."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id, Ref(node.id))
    if isinstance(node, ast.IfExp):
        test = truth(node.test, env)
        if test is None:
            return UNKNOWN
        return value(node.body if test else node.orelse, env)
    if isinstance(node, ast.UnaryOp | ast.BoolOp | ast.Compare):
        found = truth(node, env)
        return UNKNOWN if found is None else found
    return UNKNOWN


def truth(node: ast.expr, env: Env) -> bool | None:
    """Whether a test holds, or None when its value is not known."""
    if isinstance(node, ast.BoolOp):
        parts = [truth(v, env) for v in node.values]
        stop = isinstance(node.op, ast.Or)
        if stop in parts:
            return stop
        return None if None in parts else not stop
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = truth(node.operand, env)
        return None if inner is None else not inner
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left = value(node.left, env)
        right = value(node.comparators[0], env)
        compare = _COMPARE.get(type(node.ops[0]))
        if compare is None or not (_known(left) and _known(right)):
            return None
        return compare(left, right)
    found = value(node, env)
    return bool(found) if _known(found) else None


def _known(found: object) -> bool:
    return found is not UNKNOWN and not isinstance(found, Ref)


def assigned(body: list[ast.stmt], env: Env) -> Env:
    """``env`` with the simple assignments of a body's live statements."""
    out = dict(env)
    for stmt in live(body, out):
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            found = value(stmt.value, out)
            if found is UNKNOWN:
                out.pop(stmt.targets[0].id, None)
            else:
                out[stmt.targets[0].id] = found
    return out


def live(body: list[ast.stmt], env: Env) -> Iterator[ast.stmt]:
    """The statements of a body that can run, branches ``env`` decides pruned."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            test = truth(stmt.test, env)
            if test is None:
                yield stmt  # its test runs; a test decided uses nothing
            if test is not False:
                yield from live(stmt.body, env)
            if test is not True:
                yield from live(stmt.orelse, env)
            continue
        yield stmt
        if not isinstance(stmt, Fn | ast.ClassDef):
            yield from live(_inner_statements(stmt), env)


def _inner_statements(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements a compound statement holds (``try`` handlers' included)."""
    found: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        found += getattr(stmt, name, [])
    for handler in getattr(stmt, "handlers", []):
        found += handler.body
    return found


def live_nodes(fn: Fn, env: Env) -> Iterator[ast.AST]:
    """Every node of a function's live statements, nested definitions left out."""
    for stmt in live(fn.body, env):
        if isinstance(stmt, Fn | ast.ClassDef):
            continue
        yield stmt
        for part in _own_parts(stmt):
            yield from ast.walk(part)


def _own_parts(stmt: ast.stmt) -> Iterator[ast.AST]:
    """A statement's expressions, without the statements it holds."""
    for name, field in ast.iter_fields(stmt):
        if name in {"body", "orelse", "finalbody", "handlers"}:
            continue
        items = field if isinstance(field, list) else [field]
        yield from (i for i in items if isinstance(i, ast.AST))


def nested(fn: Fn) -> dict[str, Fn]:
    """The functions a factory defines in its body, by name."""
    return {n.name: n for n in ast.walk(fn) if isinstance(n, Fn) and n is not fn}


def returned(fn: Fn, env: Env) -> list[Fn]:
    """The inner functions a factory's live ``return`` statements give out.

    ``return Depends(inner)`` and ``return inner`` name one each.
    """
    inner = nested(fn)
    found: list[Fn] = []
    for stmt in live(fn.body, env):
        if not isinstance(stmt, ast.Return) or stmt.value is None:
            continue
        target = stmt.value
        if isinstance(target, ast.Call) and target.args:
            target = target.args[0]
        if isinstance(target, ast.Name) and target.id in inner:
            found.append(inner[target.id])
    return found


def chosen(fn: Fn, call: ast.Call | None) -> list[str]:
    """The names a factory returns for a call, if all it returns is one.

    ``return _get_user if required else _get_user_optional`` with ``required``
    True by default names ``_get_user``: ``Depends(factory())`` runs it.
    """
    env = bind(fn, call)
    found: list[str] = []
    for stmt in live(fn.body, env):
        if isinstance(stmt, ast.Return):
            got = value(stmt.value, env) if stmt.value is not None else None
            if not isinstance(got, Ref):
                return []
            found.append(got.name)
    return found


def called(node: ast.AST, inner: dict[str, Fn]) -> Fn | None:
    """The inner function a call (awaited or not) runs, if it is one."""
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return inner.get(node.func.id)
    return None


def call_env(fn: Fn, call: ast.Call, env: Env) -> Env:
    """What an inner function's parameters are when ``call`` runs it from ``env``."""
    out = {k: v for k, v in env.items() if k not in _names(fn)}
    params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    for name, given in zip(params, call.args, strict=False):
        out[name] = value(given, env)
    for kw in call.keywords:
        if kw.arg is not None:
            out[kw.arg] = value(kw.value, env)
    return {k: v for k, v in out.items() if not isinstance(v, _Unknown | Ref)}


def _defaults(fn: Fn) -> list[tuple[ast.arg, ast.expr]]:
    """Each parameter that has a default, with it."""
    args = fn.args
    plain = [*args.posonlyargs, *args.args]
    first = len(plain) - len(args.defaults)
    pairs = list(zip(plain[first:], args.defaults, strict=True))
    pairs += [
        (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d
    ]
    return pairs


def _names(fn: Fn) -> set[str]:
    args = fn.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}


def is_used(fn: Fn, name: str, env: Env, inner: dict[str, Fn], depth: int = 0) -> bool:
    """Whether a parameter's value reaches any live code of the function.

    Passed on to an inner function, it is used where that one uses it.
    """
    if depth > 4:
        return True
    passed: set[int] = set()
    for node in live_nodes(fn, env):
        target = called(node, inner) if isinstance(node, ast.Call) else None
        if target is None or not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if isinstance(kw.value, ast.Name) and kw.value.id == name:
                passed.add(id(kw.value))
                sub = call_env(target, node, env)
                if kw.arg is not None and is_used(
                    target, kw.arg, sub, inner, depth + 1
                ):
                    return True
    return any(
        isinstance(n, ast.Name) and n.id == name and id(n) not in passed
        for n in live_nodes(fn, env)
    )


def missing_env(fn: Fn, env: Env) -> Env:
    """``env`` with every parameter that defaults to None set to None.

    A caller without a credential leaves the optional credential
    parameters (``user: OptionalUserDep = None``) at their default.
    """
    out = {k: v for k, v in env.items() if k not in _names(fn)}
    for arg, default in _defaults(fn):
        if isinstance(default, ast.Constant) and default.value is None:
            out[arg.arg] = None
    return out


def refusal_without_credential(
    fn: Fn,
    env: Env,
    inner: dict[str, Fn],
    status_of: Callable[[ast.expr], int | None],
    depth: int = 0,
) -> int | None:
    """The status a function raises first for a caller with no credential.

    None where the path it takes depends on what is not known, or where it
    raises nothing.
    """
    if depth > 4:
        return None
    for stmt in fn.body:
        found = _run(stmt, env, inner, status_of, depth)
        if found is not _NEXT:
            return found if isinstance(found, int) else None
    return None


_NEXT = object()


def _run(
    stmt: ast.stmt,
    env: Env,
    inner: dict[str, Fn],
    status_of: Callable[[ast.expr], int | None],
    depth: int,
) -> object:
    """One statement on the way: a status, None (unknown or done), or go on."""
    if isinstance(stmt, ast.If):
        test = truth(stmt.test, env)
        if test is None:
            return None
        for inner_stmt in stmt.body if test else stmt.orelse:
            found = _run(inner_stmt, env, inner, status_of, depth)
            if found is not _NEXT:
                return found
        return _NEXT
    if isinstance(stmt, ast.Raise):
        return status_of(stmt.exc) if stmt.exc is not None else None
    call = _inner_call(stmt, inner)
    target = called(call, inner) if call is not None else None
    if call is not None and target is not None:
        sub = missing_env(target, call_env(target, call, env))
        return refusal_without_credential(target, sub, inner, status_of, depth + 1)
    if isinstance(stmt, _OPAQUE):
        return None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        _assign(stmt.targets[0], stmt.value, env)
    return _NEXT


# Statements whose way through is not followed: the path ends unknown there.
_OPAQUE: tuple[type[ast.stmt], ...] = (ast.Return, ast.Try, ast.With, ast.AsyncWith)
_OPAQUE += (ast.For, ast.AsyncFor, ast.While, ast.Match)


def _inner_call(stmt: ast.stmt, inner: dict[str, Fn]) -> ast.Call | None:
    """The call of an inner function a statement makes (``await inner(...)``)."""
    expr = getattr(stmt, "value", None)
    if isinstance(expr, ast.Await):
        expr = expr.value
    if isinstance(expr, ast.Call) and called(expr, inner) is not None:
        return expr
    return None


def _assign(target: ast.expr, given: ast.expr, env: Env) -> None:
    if isinstance(target, ast.Name):
        found = value(given, env)
        if _known(found):
            env[target.id] = found
        else:
            env.pop(target.id, None)
