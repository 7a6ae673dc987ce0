"""Where a method a handler calls is really defined.

A handler calls ``crud_users.get_multi(...)`` on an instance of a generic
base (``crud_users = CRUDUser(User)``, ``CRUDUser = CRUDBase[...]``), or
``rpc._rpc_delete(...)`` on a parameter typed with a class a package
re-exports (``from .rpc import RPC``). The work is done, and changed, where
the method is written: the base class's module, not the module holding the
instance or the re-export.
"""

from __future__ import annotations

import ast
import re

from .astbits import dotted
from .index import ProjectIndex

# Re-exports, instances, aliases and bases followed before giving up: a chain
# longer than this is no data access a plan can name.
_MAX_HOPS = 5


def defines(index: ProjectIndex, path: str, name: str) -> bool:
    """Whether the module at ``path`` has a ``def name(`` (function or method)."""
    return f"def {name}(".encode() in index.source(path)


def definer(index: ProjectIndex, path: str, name: str, method: str) -> str:
    """The file defining ``method`` of the object or class ``name`` of ``path``.

    ``name`` is bound at the top of that module: a class (its bases are
    followed), an instance or alias of one (``x = Cls(...)``, ``X =
    Base[...]``), or an import (a package's re-export). "" where the chain
    leaves the project or runs too long.
    """
    return _definer(index, path, name, method, 0)


def _definer(index: ProjectIndex, path: str, name: str, method: str, hops: int) -> str:
    if hops > _MAX_HOPS or not path or not name:
        return ""
    module = index.module_of.get(path, "")
    if module not in index.by_module:
        return ""
    if defines(index, path, method) and _has_class(index, path, name):
        return path  # a class of this module writes it: read without a parse
    tree = index.tree(module) if name.encode() in index.source(path) else None
    bound = _bound(tree, name) if tree is not None else None
    if bound is None:
        return _reexported(index, module, name, method, hops)
    for ref in bound:
        found = _follow(index, path, module, ref, method, hops)
        if found:
            return found
    return ""


def _reexported(
    index: ProjectIndex, module: str, name: str, method: str, hops: int
) -> str:
    """Follow a name a module imports (a package's ``from .rpc import RPC``)."""
    target = next(
        (i.target for i in index.by_module[module].imports if i.local == name), ""
    )
    split = index.split_module(target) if target else None
    if split is None or len(split[1]) != 1:
        return ""
    return _definer(index, index.path_of[split[0]], split[1][0], method, hops + 1)


def _follow(
    index: ProjectIndex, path: str, module: str, ref: str, method: str, hops: int
) -> str:
    """Follow one name a binding is made of (``CRUDBase``, ``crud_base.CRUDBase``)."""
    head, _, rest = ref.partition(".")
    if not rest:
        return _definer(index, path, head, method, hops + 1)
    target = next(
        (i.target for i in index.by_module[module].imports if i.local == head), ""
    )
    split = index.split_module(f"{target}.{rest}") if target else None
    if split is None or len(split[1]) != 1:
        return ""
    return _definer(index, index.path_of[split[0]], split[1][0], method, hops + 1)


def _has_class(index: ProjectIndex, path: str, name: str) -> bool:
    head = re.compile(rb"(?m)^class[ \t]+" + re.escape(name.encode()) + rb"\b")
    return head.search(index.source(path)) is not None


def _bound(tree: ast.Module, name: str) -> list[str] | None:
    """What a top-level name is made from.

    A class gives its bases (subscripts dropped: ``CRUDBase`` of
    ``CRUDBase[User, ...]``); an assignment the name it calls or subscripts
    (``CRUDUser`` of ``CRUDUser(User)``). None where the module binds no
    such name itself.
    """
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return [b for b in (_base_name(x) for x in node.bases) if b]
        value = _assigned(node, name)
        if value is not None:
            made = _base_name(value.func if isinstance(value, ast.Call) else value)
            return [made] if made else None
    return None


def _assigned(node: ast.stmt, name: str) -> ast.expr | None:
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


def _base_name(node: ast.expr) -> str:
    """``CRUDBase`` of ``CRUDBase[...]``, ``pkg.Base`` of ``pkg.Base``, else ""."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return dotted(node) or ""
