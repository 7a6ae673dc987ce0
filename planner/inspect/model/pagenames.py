"""Which parameters of a list page it: the page size and the place to start.

A start is named for what it is (``offset``, ``page``, ``cursor``). A size
is named in many ways (``limit``, ``items_per_page``, ``page_size``, ``n``):
by a name that says so, else by what the route does with it, the value it
computes the offset or limit with beside the start.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .astbits import dotted, kw

# Parameter names by role, compared without case or underscores
# (``page_size``, ``pageSize``).
_SIZE = frozenset({"limit", "pagesize", "perpage", "size", "pagelimit", "take"})
# Endings that say a size whatever comes before (``items_per_page``,
# ``max_page_size``, ``results_limit``).
_SIZE_ENDINGS = ("perpage", "pagesize", "pagelimit")
STARTS = {
    "offset": frozenset({"offset", "skip", "start"}),
    "page": frozenset({"page", "pagenumber", "pagenum", "pageno", "pageindex"}),
    "cursor": frozenset(
        {"cursor", "after", "before", "startingafter", "endingbefore"}
        | {"pagetoken", "nexttoken", "continuationtoken", "afterid", "beforeid"}
    ),
}
# Calls and keywords that take a page size (``.limit(n)``, ``limit=n``).
_SIZE_USES = frozenset({"limit", "take", "size", "page_size", "per_page"})


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def role(name: str) -> str:
    """``size``, a style (``offset``, ``page``, ``cursor``) or ""."""
    key = _key(name)
    if key in _SIZE or key.endswith(_SIZE_ENDINGS):
        return "size"
    return next((style for style, keys in STARTS.items() if key in keys), "")


def is_int(annotation: ast.expr | None, default: ast.expr | None) -> bool:
    """Whether a parameter is an integer: ``int``, ``Annotated[int, ...]``, ``= 10``."""
    if isinstance(annotation, ast.Subscript):
        elts = getattr(annotation.slice, "elts", [annotation.slice])
        annotation = elts[0] if elts else None
    if isinstance(annotation, ast.Name):
        return annotation.id == "int"
    if annotation is not None:
        return False
    if isinstance(default, ast.Call) and default.args:
        default = default.args[0]  # Query(10, ...)
    return (
        isinstance(default, ast.Constant)
        and isinstance(default.value, int)
        and not isinstance(default.value, bool)
    )


def unnamed_size(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    found: list[Argument],
    roles: dict[str, str],
    path: str = "",
) -> str:
    """The size a function pages with though no name says so, or "".

    Only beside a start typed as one (an integer offset or page, a string
    cursor: a ``start: datetime`` is a date), and never an id or a path
    parameter of ``path``.
    """
    start = next((a for a in found if roles.get(a[0], "") not in ("", "size")), None)
    if start is None or not _typed_as_start(roles[start[0]], start[1], start[2]):
        return ""
    plain = tuple(
        a[0]
        for a in found
        if roles.get(a[0]) == ""
        and "{" + a[0] not in path
        and not _ID.search(a[0])
        and is_int(a[1], a[2])
    )
    return size_by_use(fn, start[0], plain)


# Names of ids, which are never sizes (``persona_id``, ``pk``).
_ID = re.compile(r"(?i)(?:^|_)(?:id|pk|uuid)$|[a-z]Id$")


def _typed_as_start(
    style: str, annotation: ast.expr | None, default: ast.expr | None
) -> bool:
    """Whether a start is typed as its style's: an integer, or a cursor's string."""
    if style != "cursor":
        return is_int(annotation, default)
    text = ast.unparse(annotation) if annotation is not None else "str"
    return "str" in text


def size_by_use(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    start: str,
    candidates: tuple[str, ...],
) -> str:
    """The one integer parameter the function pages with beside ``start``, or "".

    ``compute_offset(page, n)``, ``(page - 1) * n``, ``.limit(n)``, or a call
    handing both on (``service.list(page=page, n=n)``): ``n`` is the size.
    Two such candidates leave it unknown.
    """
    used: set[str] = set()
    wanted = set(candidates)
    for node in (n for stmt in fn.body for n in ast.walk(stmt)):
        if isinstance(node, ast.BinOp):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Call):
            # Handed on side by side: the call's own arguments, not those of
            # the calls inside them.
            values = [*node.args, *(k.value for k in node.keywords)]
            names = {v.id for v in values if isinstance(v, ast.Name)}
            taken = [k.value for k in node.keywords if k.arg in _SIZE_USES]
            if isinstance(node.func, ast.Attribute) and node.func.attr in _SIZE_USES:
                taken += node.args[:1]
            used |= {t.id for t in taken if isinstance(t, ast.Name)} & wanted
        else:
            continue
        if start in names:
            used |= names & wanted
    return next(iter(used)) if len(used) == 1 else ""


# A parameter or field as written: its served name, annotation and default.
Argument = tuple[str, ast.expr | None, ast.expr | None]


@dataclass(frozen=True, slots=True)
class PagingNames:
    """The style, the ``size+start`` names, and the size as declared."""

    style: str
    names: str
    size: Argument


def paging_names(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
) -> PagingNames | None:
    """How a dependency's parameters or a class's fields page, if they do."""
    if isinstance(node, ast.ClassDef):
        found: list[Argument] = [
            (s.target.id, s.annotation, s.value)
            for s in node.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        ]
    else:
        found = arguments(node)
    roles = {a[0]: role(a[0]) for a in found}
    starts = [a[0] for a in found if roles[a[0]] not in ("", "size")]
    if "size" not in roles.values() and not isinstance(node, ast.ClassDef):
        used = unnamed_size(node, found, roles)
        if used:
            roles[used] = "size"
    size = next((a for a in found if roles.get(a[0]) == "size"), None)
    if size is None or not starts:
        return None
    style = roles[starts[0]]
    names = "+".join([size[0], *sorted(n for n in starts if roles[n] == style)])
    return PagingNames(style, names, size)


def arguments(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Argument]:
    """Each parameter with its annotation and default, by its served name."""
    args = fn.args
    plain = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(plain) - len(args.defaults))
    defaults += [*args.defaults, *args.kw_defaults]
    out = []
    for arg, default in zip([*plain, *args.kwonlyargs], defaults, strict=False):
        alias = _alias(default) or _alias(annotated_call(arg.annotation))
        out.append((alias or arg.arg, arg.annotation, default))
    return out


def _alias(node: ast.expr | None) -> str:
    if isinstance(node, ast.Call):
        value = kw(node, "alias")
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
    return ""


def annotated_call(annotation: ast.expr | None) -> ast.Call | None:
    """The ``Query(...)`` of ``Annotated[int, Query(...)]``, if any."""
    if isinstance(annotation, ast.Subscript) and (
        dotted(annotation.value) or ""
    ).endswith("Annotated"):
        for e in getattr(annotation.slice, "elts", [])[1:]:
            if isinstance(e, ast.Call):
                return e
    return None
