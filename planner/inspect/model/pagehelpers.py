"""The project's own paging helpers, which the data access of its paged lists calls.

``compute_offset(page, items_per_page)`` and ``paginated_response(data, page,
items_per_page)`` in a shared module, or ``paging_data(db, select)`` beside the
project's page class: a new paged list pages its query and fills its answer
with them rather than by hand.
"""

from __future__ import annotations

import ast
from collections import Counter

from .guards import RouteUse
from .handlers import _block, called_functions
from .index import ProjectIndex
from .records import Vote

_NOTE = (
    "project functions the data access of most paged lists imports: they take "
    "the paging values or live beside the page class"
)


def helper_vote(
    index: ProjectIndex,
    paged: list[RouteUse],
    names: frozenset[str],
    beside: str,
) -> Vote | None:
    """``paging_helpers``: ``path:name,name`` of the helpers most paged lists use.

    ``names`` are the paging parameters' names the lists use; ``beside``
    the file of their page class. A helper counts where the data access of
    half the paged lists (two at least) imports it.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for use in paged:
        own = index.path_of.get(use.module, "")
        found: set[tuple[str, str]] = set()
        for path, _ in called_functions(index, use.module, use.rd):
            if path != own:
                found |= _helpers(index, path, names, beside)
        counts.update(found)
    kept = sorted(h for h, n in counts.items() if n >= 2 and n * 2 >= len(paged))
    if not kept:
        return None
    by_file: dict[str, list[str]] = {}
    for path, name in kept:
        by_file.setdefault(path, []).append(name)
    value = ";".join(f"{p}:{','.join(ns)}" for p, ns in sorted(by_file.items()))
    return Vote("paging_helpers", ((value, max(counts[h] for h in kept)),), _NOTE)


def _helpers(
    index: ProjectIndex, path: str, names: frozenset[str], beside: str
) -> set[tuple[str, str]]:
    """The project functions a data-access module imports that serve paging."""
    summary = index.by_module.get(index.module_of.get(path, ""))
    out: set[tuple[str, str]] = set()
    for imp in summary.imports if summary is not None else ():
        split = index.split_module(imp.target)
        if split is None or len(split[1]) != 1:
            continue
        where = index.path_of.get(split[0], "")
        if not where or where == path:
            continue
        params = _params(index, where, split[1][0])
        if params is not None and (where == beside or names & set(params)):
            out.add((where, split[1][0]))
    return out


def _params(index: ProjectIndex, path: str, name: str) -> tuple[str, ...] | None:
    """The parameter names of a top-level function, None where it is none."""
    summary = index.by_module.get(index.module_of.get(path, ""))
    if summary is not None and summary.parsed:
        found = next((f for f in summary.functions if f.name == name), None)
        return found.params if found is not None else None
    block = _block(index.source(path), "func", name)
    try:
        tree = ast.parse(block) if block else None
    except (SyntaxError, ValueError):
        return None
    node = tree.body[0] if tree is not None and tree.body else None
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    return tuple(a.arg for a in [*node.args.posonlyargs, *node.args.args])
