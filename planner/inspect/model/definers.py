"""Where a method a handler calls is really defined.

A handler calls ``crud_users.get_multi(...)`` on an instance of a generic
base (``crud_users = CRUDUser(User)``, ``CRUDUser = CRUDBase[...]``), or
``rpc._rpc_delete(...)`` on a parameter typed with a class a package
re-exports (``from .rpc import RPC``). The work is done, and changed, where
the method is written: the base class's module, not the module holding the
instance or the re-export.
"""

from __future__ import annotations

import re

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
        return path  # a class of this module writes it
    bound = _bound(index.source(path), name)
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


def _bound(data: bytes, name: str) -> list[str] | None:
    """What a top-level name is made from, read from the module's bytes.

    A class gives its bases (subscripts and keywords dropped: ``CRUDBase``
    of ``CRUDBase[User, ...]``); an assignment the name it calls or
    subscripts (``CRUDUser`` of ``CRUDUser(User)``). None where the module
    binds no such name itself. Read without a parse: every handler asks of
    the names it calls methods on, most of them its own local variables.
    """
    if name.encode() not in data:
        return None
    spelled = re.escape(name.encode())
    head = re.search(rb"(?m)^class[ \t]+" + spelled + rb"\b[ \t]*\(", data)
    if head is not None:
        return [b for b in map(_leading_name, _arguments(data, head.end())) if b]
    bind = re.search(
        rb"(?m)^" + spelled + rb"[ \t]*(?::[^=\n]*)?=[ \t]*([A-Za-z_][\w.]*)", data
    )
    return [bind.group(1).decode()] if bind is not None else None


def _arguments(data: bytes, start: int) -> list[bytes]:
    """The comma-separated parts of a bracket opened just before ``start``."""
    parts: list[bytes] = []
    depth, begin = 0, start
    for i in range(start, min(len(data), start + 2000)):
        ch = data[i : i + 1]
        if ch in b"([{":
            depth += 1
        elif ch in b")]}":
            if depth == 0:
                parts.append(data[begin:i])
                return parts
            depth -= 1
        elif ch == b"," and depth == 0:
            parts.append(data[begin:i])
            begin = i + 1
    return parts


def _leading_name(part: bytes) -> str:
    """``CRUDBase`` of `` CRUDBase[User]``; "" for ``metaclass=ABCMeta``."""
    found = re.match(rb"\s*([A-Za-z_][\w.]*)\s*(=)?", part)
    if found is None or found.group(2):
        return ""
    return found.group(1).decode()
