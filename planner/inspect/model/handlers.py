"""Where a route handler's work goes: the project modules its body calls into."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from .index import ProjectIndex
from .summary import RouteDef

# One table per index, gone with it (an id() key could name a later index).
_STEMS: WeakKeyDictionary[ProjectIndex, dict[str, list[str]]] = WeakKeyDictionary()


def _by_stem(index: ProjectIndex) -> dict[str, list[str]]:
    """Non-test module paths by their last name (one table per index)."""
    from .roles import is_test_path

    table = _STEMS.get(index)
    if table is None:
        table = _STEMS[index] = {}
        for mod, path in sorted(index.path_of.items()):
            if not is_test_path(path):
                table.setdefault(mod.rsplit(".", 1)[-1], []).append(path)
    return table


def _via_import(index: ProjectIndex, targets: dict[str, str], parts: list[str]) -> str:
    target = targets.get(parts[0])
    if target is None:
        return ""
    split = index.split_module(".".join([target, *parts[1:]]))
    return index.path_of[split[0]] if split is not None else ""


def _via_attribute(index: ProjectIndex, parts: list[str]) -> str:
    """``server.agent_manager.list(...)``: an attribute named like one module.

    Where several modules share the name (``routes/``, ``schemas/`` and
    ``repositories/browser_sessions.py``), the one defining the called
    function.
    """
    stems = _by_stem(index)
    for attr in reversed(parts[1:-1]):
        found = stems.get(attr, [])
        if len(found) > 1:
            found = [p for p in found if _defines(index, p, parts[-1])]
        if len(found) == 1:
            return found[0]
    return ""


def _defines(index: ProjectIndex, path: str, name: str) -> bool:
    """Whether the module at ``path`` defines a function or method ``name``."""
    return f"def {name}(".encode() in index.source(path)


def called_files(index: ProjectIndex, module: str, rd: RouteDef) -> tuple[str, ...]:
    """Project files (not the route's own) whose functions the handler calls."""
    from .roles import is_test_path

    summary = index.by_module[module]
    own = index.path_of[module]
    targets = {i.local: i.target for i in summary.imports if i.local not in ("", "*")}
    out: dict[str, None] = {}
    for callee in rd.calls:
        parts = callee.split(".")
        path = _via_import(index, targets, parts)
        # ``app.DATABASE.sessions.list_x()``: the imported object's module
        # holds a container; the attribute names the module doing the work.
        if not path or (len(parts) > 2 and not _defines(index, path, parts[-1])):
            path = _via_attribute(index, parts) or path
        if path and path != own and not is_test_path(path):
            out.setdefault(path, None)
    return tuple(out)
