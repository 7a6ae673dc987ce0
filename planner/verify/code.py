"""Project Python files as verify reads them: parsed once, never imported."""

from __future__ import annotations

import ast
import posixpath
import re
from pathlib import Path

from planner.inspect.model import astbits
from planner.inspect.model.astbits import assigned_value

__all__ = ["Function", "SourceCache", "dotted", "statuses_in"]

Function = ast.FunctionDef | ast.AsyncFunctionDef
_HTTP_NAME = re.compile(r"^HTTP_(\d{3})(?:_|$)")
_RAISERS = ("Exception", "Error", "Response")


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, `f()` for a call of one, else ''."""
    return astbits.dotted(node) or ""


def status_of(node: ast.AST) -> int | None:
    """`404`, `"404"` or `status.HTTP_404_NOT_FOUND` as a status code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | str):
        text = str(node.value)
        return int(text) if text.isdigit() and 100 <= int(text) <= 599 else None
    name = dotted(node).rsplit(".", 1)[-1]
    found = _HTTP_NAME.match(name)
    return int(found.group(1)) if found else None


def statuses_in(node: ast.AST) -> frozenset[int]:
    """Status codes a body names: `HTTP_404_*`, `status_code=`, `XError(404)`."""
    out: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name | ast.Attribute):
            name = sub.id if isinstance(sub, ast.Name) else sub.attr
            if found := _HTTP_NAME.match(name):
                out.add(int(found.group(1)))
        elif isinstance(sub, ast.keyword) and sub.arg == "status_code":
            code = status_of(sub.value)
            out.update((code,) if code else ())
        elif isinstance(sub, ast.Call) and sub.args:
            if dotted(sub.func).endswith(_RAISERS):
                code = status_of(sub.args[0])
                out.update((code,) if code else ())
    return frozenset(out)


class SourceCache:
    """Parsed project files by path relative to the root; None when unparsable."""

    def __init__(self, root: Path, paths: frozenset[str]) -> None:
        self.root = root
        self.paths = paths
        self._trees: dict[str, ast.Module | None] = {}
        self._texts: dict[str, str] = {}

    def text(self, path: str) -> str:
        """The file's text ('' when it cannot be read)."""
        if path not in self._texts:
            try:
                raw = (self.root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                raw = ""
            self._texts[path] = raw
        return self._texts[path]

    def tree(self, path: str) -> ast.Module | None:
        """The file's syntax tree, or None when it does not parse."""
        if path not in self._trees:
            try:
                self._trees[path] = ast.parse(self.text(path), filename=path)
            except (SyntaxError, ValueError):
                self._trees[path] = None
        return self._trees[path]

    def module_path(self, module: str, *, importer: str = "", level: int = 0) -> str:
        """The project file of a dotted module ('' when it is not the project's)."""
        if level:
            base = posixpath.dirname(importer)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            stem = "/".join(p for p in (base, module.replace(".", "/")) if p)
        else:
            stem = module.replace(".", "/")
        for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
            if candidate in self.paths:
                return candidate
            # `src/app/...` and other roots below the project folder.
            below = [p for p in self.paths if p.endswith("/" + candidate)]
            if len(below) == 1:
                return below[0]
        return ""

    def imports(self, path: str) -> dict[str, tuple[str, str]]:
        """Local name -> (file of its module, name in it; '' for a module)."""
        tree = self.tree(path)
        out: dict[str, tuple[str, str]] = {}
        for node in tree.body if tree else ():
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                for alias in node.names:
                    sub = self.module_path(
                        f"{module}.{alias.name}".strip("."),
                        importer=path,
                        level=node.level,
                    )
                    local = alias.asname or alias.name
                    if sub:
                        out[local] = (sub, "")
                        continue
                    own = self.module_path(module, importer=path, level=node.level)
                    if own:
                        out[local] = (own, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found = self.module_path(alias.name)
                    if found and alias.asname:
                        out[alias.asname] = (found, "")
        return out

    def function(self, path: str, name: str, line: int = 0) -> Function | None:
        """The function `name` in a file, the one at `line` where there are several."""
        tree = self.tree(path)
        if tree is None:
            return None
        found = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name == name
        ]
        if not found:
            return None
        return min(found, key=lambda f: abs(_first_line(f) - line))

    def assigned(self, path: str, name: str) -> ast.expr | None:
        """The value a module-level name is bound to, if it is one assignment."""
        tree = self.tree(path)
        for node in tree.body if tree else ():
            value = assigned_value(node, name)
            if value is not None:
                return value
        return None


def _first_line(func: Function) -> int:
    lines = [d.lineno for d in func.decorator_list]
    return min([*lines, func.lineno])
