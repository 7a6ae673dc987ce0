"""How a project's routes write a guard: the parameter, dependency or decorator."""

from __future__ import annotations

import ast
import re
from collections import Counter
from typing import TYPE_CHECKING

from .astbits import kw

if TYPE_CHECKING:
    from .credentials import Readings
    from .guards import RouteUse
    from .summary import RouteDef

# Decorators that admit only signed-in callers, and the status they refuse the
# others with: Starlette's ``requires`` answers 403 unless told otherwise,
# reading the ``request.user`` an ``AuthenticationMiddleware`` sets.
DECORATOR_GUARDS = {("starlette.authentication", "requires"): 403}


def decorator_callees(rd: RouteDef) -> tuple[str, ...]:
    """The names a route's other decorators call (``requires``), to resolve."""
    return tuple(text.partition("(")[0] for text in rd.decorators)


def decorator_refusal(module: str, name: str) -> int:
    """The status a guard written as a decorator refuses with; 0 if none is one."""
    return DECORATOR_GUARDS.get((module, name), 0)


def decorator_text(uses: tuple[RouteUse, ...], local: str) -> str:
    """The decorator as routes most often write it: ``@requires(["authenticated"])``."""
    found = Counter(
        f"@{text}"
        for use in uses
        for text in use.rd.decorators
        if text.partition("(")[0] == local
    )
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[0][0] if ranked else ""


# Enough route modules to see a project's habit without parsing them all.
_WRITTEN_SAMPLE = 6


def written_as(
    readings: Readings, uses: tuple[RouteUse, ...], name: str, module: str
) -> str:
    """How routes most often take a guard as a parameter, as their source has it.

    ``user: User = Depends(current_active_user)``, ``role: WorkspaceUserRole``,
    ``user: Annotated[UserModel, Depends(Authenticated())]``; else as routes
    apply it in their decorator (``Depends(require_role(["admin"]))``); ""
    where no route names it either way.
    """
    found: Counter[str] = Counter()
    files: set[str] = set()
    for use in uses:
        dep = next(
            (d for d in use.params if (d.name, d.module) == (name, module)), None
        )
        if dep is None or (use.path not in files and len(files) >= _WRITTEN_SAMPLE):
            continue
        files.add(use.path)
        fn = route_function(readings, use)
        text = param_text(fn, dep.written.split(" ")[0]) if fn is not None else ""
        if text:
            found[text] += 1
    if not found:
        found = applied_texts(readings, uses, name, module)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[0][0] if ranked else ""


def applied_texts(
    readings: Readings, uses: tuple[RouteUse, ...], name: str, module: str
) -> Counter[str]:
    """How route decorators apply a guard in ``dependencies=[...]``, counted.

    Read in the first module that does: its decorators need the whole file
    parsed, where a parameter needs only the function.
    """
    found: Counter[str] = Counter()
    word = re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])")
    for use in uses:
        if found:
            break
        if not any((d.name, d.module) == (name, module) for d in use.applied):
            continue
        fn = find_function(readings.tree(use.module), use.rd)
        for deco in fn.decorator_list if fn is not None else ():
            listed = kw(deco, "dependencies") if isinstance(deco, ast.Call) else None
            for item in getattr(listed, "elts", ()):
                text = ast.unparse(item)
                if word.search(text):
                    found[text] += 1
    return found


def route_function(
    readings: Readings, use: RouteUse
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A route's function, parsed alone where its file is known to parse."""
    found = find_function(readings.index.block(use.path, use.rd.line), use.rd)
    return found or find_function(readings.tree(use.module), use.rd)


def find_function(
    tree: ast.Module | None, rd: RouteDef
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function a route definition names, by its name and line."""
    for node in ast.walk(tree) if tree is not None else ():
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name == rd.function
            and rd.line in {node.lineno, *(d.lineno for d in node.decorator_list)}
        ):
            return node
    return None


def param_text(fn: ast.FunctionDef | ast.AsyncFunctionDef, ref: str) -> str:
    """The parameter of a route function that names ``ref``, unparsed."""
    word = re.compile(rf"(?<![\w.]){re.escape(ref)}(?![\w])")
    args = fn.args
    plain = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(plain) - len(args.defaults))
    defaults += [*args.defaults, *args.kw_defaults]
    for arg, default in zip([*plain, *args.kwonlyargs], defaults, strict=False):
        text = arg.arg
        if arg.annotation is not None:
            text += f": {ast.unparse(arg.annotation)}"
        if default is not None:
            text += f" = {ast.unparse(default)}"
        if word.search(text.partition(":")[2]):
            return text
    return ""
