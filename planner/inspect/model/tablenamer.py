"""A base's computed `__tablename__`, kept so any class name can be run through it.

The project's own tables are named while the project is read; the plan's new
table is named later, from a model that may come back from its cache with no
source at hand. So the function and the top-level names it reaches (its
helpers, compiled patterns, `re` imports) are kept as source in the model, and
both are named by the same reader (`tablename.py`) over that same source.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .records import TableNamer
from .shared import memo
from .tablename import computed_tablename, top_level

if TYPE_CHECKING:
    from .index import ProjectIndex

# As deep as the reader follows helpers into helpers.
_DEPTH = 5


class _IndexDefinitions:
    """Names as the project's modules define them."""

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index

    def is_re(self, module: str, name: str) -> bool:
        summary = self.index.by_module.get(module)
        imports = summary.imports if summary is not None else ()
        return any(i.local == name and i.target == "re" for i in imports)

    def top_level(self, module: str, name: str) -> tuple[str, ast.stmt] | None:
        return top_level(self.index, module, name)


class _KeptDefinitions:
    """Names as a kept namer recorded them; any other is undefined."""

    def __init__(self, namer: TableNamer) -> None:
        self.res = frozenset(namer.re_names)
        self.defs = {(m, n): (where, code) for m, n, where, code in namer.defs}

    def is_re(self, module: str, name: str) -> bool:
        return (module, name) in self.res

    def top_level(self, module: str, name: str) -> tuple[str, ast.stmt] | None:
        found = self.defs.get((module, name))
        if found is None:
            return None
        stmt = _parsed(found[1])
        return (found[0], stmt) if stmt is not None else None


def keep_namer(
    index: ProjectIndex, key: str, module: str, func: ast.FunctionDef | None
) -> TableNamer:
    """The namer `key` (`module.Class`), with what its `__tablename__` uses."""
    if func is None:
        return TableNamer(key, module, "")
    defs = _IndexDefinitions(index)
    kept: dict[tuple[str, str], tuple[str, str]] = {}
    res: set[tuple[str, str]] = set()
    todo: list[tuple[str, ast.stmt, int]] = [(module, func, 0)]
    while todo:
        where, node, depth = todo.pop()
        for name in sorted(_free_names(node)):
            if (where, name) in kept or depth > _DEPTH:
                continue
            if defs.is_re(where, name):
                res.add((where, name))
            found = defs.top_level(where, name)
            if found is not None:
                kept[where, name] = (found[0], ast.unparse(found[1]))
                todo.append((found[0], found[1], depth + 1))
    return TableNamer(
        key,
        module,
        ast.unparse(func),
        tuple(sorted((m, n, w, c) for (m, n), (w, c) in kept.items())),
        tuple(sorted(res)),
    )


def name_by(namer: TableNamer, class_name: str) -> str:
    """The table a kept namer gives a class, "" where planner cannot follow it."""
    func = _parsed(namer.code) if namer.code else None
    if not isinstance(func, ast.FunctionDef):
        return ""
    found = computed_tablename(_KeptDefinitions(namer), namer.module, func, class_name)
    return found or ""


def _parsed(code: str) -> ast.stmt | None:
    def parse() -> ast.stmt | None:
        try:
            body = ast.parse(code).body
        except SyntaxError:
            return None
        return body[0] if len(body) == 1 else None

    return memo("namer-code", code, parse)


def _free_names(node: ast.stmt) -> set[str]:
    """The names a statement reads that it does not bind itself."""
    bound: set[str] = set()
    if isinstance(node, ast.FunctionDef):
        args = node.args
        bound.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
    read: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (read if isinstance(n.ctx, ast.Load) else bound).add(n.id)
    return read - bound
