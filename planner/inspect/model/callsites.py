"""What calls pass and what parameters default to: the values a parameter takes."""

from __future__ import annotations

import ast

from .astbits import dotted, expr_of
from .summary import CallSite, Expr, Field


def call_site(scope: str, call: ast.expr) -> CallSite | None:
    """A call passing names: `register(app)`, `app = create_app(router=api)`.

    What a function's parameters stand for is read from these, and the
    strings it passes beside the names (`register_routers(app, prefix="/api")`)
    are what such a parameter evaluates to.
    """
    if not isinstance(call, ast.Call) or not (call.args or call.keywords):
        return None
    func = dotted(call.func)
    if not func:
        return None
    args: list[str] = []
    literals: list[Field] = []
    for i, a in enumerate(call.args):
        name = dotted(a)
        args.append(name or "")
        if name is None and (expr := _string(a)):
            literals.append(Field(str(i), expr))
    for k in call.keywords:
        if not k.arg:
            continue
        name = dotted(k.value)
        if name:
            args.append(f"{k.arg}={name}")
        elif expr := _string(k.value):
            literals.append(Field(k.arg, expr))
    if not any(args):
        return None
    return CallSite(scope, func, tuple(args), tuple(literals))


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
    return tuple(Field(a.arg, expr) for a, d in pairs if (expr := _string(d)))


def _string(node: ast.expr) -> Expr:
    """A string-valued expression's parts where all are known, else ()."""
    # Only what can be a string is asked: any other node would be unparsed.
    if not isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp):
        return ()
    expr = expr_of(node)
    return expr if all(kind != "?" for kind, _ in expr) else ()
