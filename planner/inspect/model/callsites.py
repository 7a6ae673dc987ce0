"""What calls pass and what parameters default to: the values a parameter takes."""

from __future__ import annotations

import ast

from .astbits import dotted, expr_of
from .summary import CallSite, Field


def call_site(scope: str, call: ast.expr) -> CallSite | None:
    """A call passing names: `register(app)`, `app = create_app(router=api)`.

    What a function's parameters stand for is read from these, and the
    strings it passes beside the names (`register_routers(app, prefix="/api")`)
    are what such a parameter evaluates to.
    """
    if not isinstance(call, ast.Call) or not (call.args or call.keywords):
        return None
    func = dotted(call.func)
    args = tuple(dotted(a) or "" for a in call.args) + tuple(
        f"{k.arg}={dotted(k.value)}" for k in call.keywords if k.arg and dotted(k.value)
    )
    if not func or not any(args):
        return None
    passed = [(str(i), a) for i, a in enumerate(call.args)] + [
        (k.arg, k.value) for k in call.keywords if k.arg
    ]
    literals = tuple(
        Field(key, expr)
        for key, node in passed
        if dotted(node) is None
        for expr in [expr_of(node)]
        if expr and all(kind != "?" for kind, _ in expr)
    )
    return CallSite(scope, func, args, literals)


def param_defaults(args: ast.arguments) -> tuple[Field, ...]:
    """The parameters whose default is a string expression, with it."""
    positional = [*args.posonlyargs, *args.args]
    pairs = list(
        zip(
            positional[len(positional) - len(args.defaults) :],
            args.defaults,
            strict=True,
        )
    )
    pairs += [
        (a, d)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if d is not None
    ]
    return tuple(
        Field(a.arg, expr)
        for a, d in pairs
        for expr in [expr_of(d)]
        if expr and all(kind != "?" for kind, _ in expr)
    )
