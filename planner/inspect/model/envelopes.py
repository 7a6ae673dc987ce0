"""Classes that wrap a list: a project's page classes and a route's own envelope.

``PaginatedListResponse[TagRead]`` wraps the items in a generic class whose
list field may come from a base (``ListResponse[T]``); a route answering
``ListOfCommentsInResponse`` answers its own class around ``comments``.
"""

from __future__ import annotations

import ast
import re

from .astbits import dotted
from .handlers import _once, class_fields, defined_at
from .index import ProjectIndex

# A field's type that holds the items (``list[T]``, ``Sequence[Item]``).
LIST_FIELD = re.compile(r"^(?:typing\.)?(?:list|List|Sequence|tuple|Tuple)\[")
_ITEM = re.compile(
    r"^(?:typing\.)?(?:list|List|Sequence|tuple|Tuple)\[\s*([\w.]+)\s*\]$"
)


def wrapped_items(index: ProjectIndex, module: str, response: str) -> str:
    """The list field of the class a route answers with and its items' class.

    ``comments Comment`` for ``ListOfCommentsInResponse`` whose one list
    field is ``comments: List[Comment]``; "" for any other class.
    """
    path, name = defined_at(index, module, response)
    fields = class_fields(index, path, name) if path else ()
    if fields and not any(LIST_FIELD.match(t) for _, t in fields):
        # Its bases only where its own fields hold no list: most answers
        # are plain classes, and reading bases costs a search of the file.
        fields = class_fields_inherited(index, path, name)
    found = [(n, m[1]) for n, t in fields if (m := _ITEM.match(t))]
    lists = [n for n, t in fields if LIST_FIELD.match(t)]
    if len(found) != 1 or len(lists) != 1:
        return ""
    field, item = found[0]
    return f"{field} {item.rpartition('.')[2]}"


def class_fields_inherited(
    index: ProjectIndex, path: str, name: str, depth: int = 0
) -> tuple[tuple[str, str], ...]:
    """A class's annotated fields with those of its project bases, theirs first.

    ``PaginatedListResponse(ListResponse[T])`` has the ``data: list[T]`` of
    its base; a field a class declares again keeps its place and takes the
    class's type.
    """
    own = class_fields(index, path, name)
    merged: dict[str, str] = {}
    module = index.module_of.get(path, "")
    for base in _bases(index, path, name) if depth < 4 and module else ():
        where, found = defined_at(index, module, base)
        if where and (where, found) != (path, name):
            merged.update(class_fields_inherited(index, where, found, depth + 1))
    merged.update(own)
    return tuple(merged.items())


def _bases(index: ProjectIndex, path: str, name: str) -> tuple[str, ...]:
    """The bases a top-level class names, as written (``ListResponse``)."""
    return _once(index, ("bases", path, name), lambda: _read_bases(index, path, name))


def _read_bases(index: ProjectIndex, path: str, name: str) -> tuple[str, ...]:
    head = re.search(
        rb"(?m)^class[ \t]+" + re.escape(name.encode()) + rb"\b[^:]*:",
        index.source(path),
    )
    try:
        tree = ast.parse(head.group(0) + b" ...") if head is not None else None
    except (SyntaxError, ValueError):
        return ()
    node = tree.body[0] if tree is not None and tree.body else None
    if not isinstance(node, ast.ClassDef):
        return ()
    return tuple(
        d
        for b in node.bases
        if (d := dotted(b.value if isinstance(b, ast.Subscript) else b))
    )
