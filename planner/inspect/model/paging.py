"""How the project pages its lists: parameter names, bounds and page envelopes.

Read from the signatures of the routes that take a page size and a place to
start (an offset, a page number or a cursor), and from the class they answer
with, then counted as votes, one per paged route, as the other conventions
are. A plan pages a new list with the names the winning votes give.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass

from .astbits import callee, dotted, kw
from .guards import RouteUse
from .guardtext import find_function as _find_function
from .handlers import class_fields, defined_at
from .index import ProjectIndex
from .records import Vote
from .roles import is_test_path

# Parameter names by role, compared without case or underscores
# (``page_size``, ``pageSize``).
_SIZE = frozenset({"limit", "pagesize", "perpage", "size", "pagelimit", "take"})
_STARTS = {
    "offset": frozenset({"offset", "skip", "start"}),
    "page": frozenset({"page", "pagenumber", "pagenum", "pageno", "pageindex"}),
    "cursor": frozenset(
        {"cursor", "after", "before", "startingafter", "endingbefore"}
        | {"pagetoken", "nexttoken", "continuationtoken", "afterid", "beforeid"}
    ),
}
# FastAPI's parameter functions, by where they read a value from.
_WHERE = {"Query": "query", "Body": "body", "Form": "body"}
# Outer types that are a bare list, not an envelope around one.
_LISTS = frozenset({"list", "List", "Sequence", "Iterable", "tuple", "Tuple", "set"})
_UNIONS = frozenset({"Union", "Optional"})
_LIST_FIELD = re.compile(r"^(?:typing\.)?(?:list|List|Sequence|tuple|Tuple)\[")

# The votes this module adds; a project without a paged list has only the
# first. Names and envelopes are counted per style: an offset list's
# envelope (with an ``offset`` field) does not fit a cursor list.
STYLES = ("offset", "page", "cursor")
PAGING_VOTES = (
    "paging_style",
    *(f"paging_{style}" for style in STYLES),
    *(f"paging_{style}_envelope" for style in STYLES),
    "paging_in",
    "paging_size_default",
    "paging_size_max",
    "paging_size_helper",
    "paging_dependency",
)


@dataclass(frozen=True, slots=True)
class ListPaging:
    """How one route pages: its style, parameter names, bounds and answer."""

    style: str
    # ``limit+offset``: the size's name, then the start's (or starts').
    names: str
    where: str
    default: str
    maximum: str
    # A project function that declares the size (``dependencies.LimitBody()``).
    helper: str
    envelope: str
    # The parameter, as the route writes it, through which a project
    # dependency gives all the paging values (``pagination: PaginationQuery``).
    dependency: str = ""


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def _role(name: str) -> str:
    """``size``, a style (``offset``, ``page``, ``cursor``) or ""."""
    key = _key(name)
    if key in _SIZE:
        return "size"
    return next((style for style, keys in _STARTS.items() if key in keys), "")


def read_list_paging(index: ProjectIndex, use: RouteUse) -> ListPaging | None:
    """How a route pages, or None when it takes no size and start of its own."""
    rd = use.rd
    if rd.method not in ("GET", "POST") or is_test_path(use.path):
        return None
    roles = {p.name: _role(p.name) for p in rd.params if not p.depends}
    if "size" not in roles.values() or not set(roles.values()) - {"size", ""}:
        # Cheap test first: only paged routes are parsed.
        return _by_dependency(index, use)
    fn = _find_function(index.block(use.path, rd.line), rd)
    if fn is None or not fn.decorator_list:
        # A block read from the ``def`` line lacks the decorator, whose
        # ``response_model`` says what the list answers.
        fn = _find_function(index.tree(use.module), rd) or fn
    if fn is None:
        return None
    args = _arguments(fn)
    size = next((a for a in args if roles.get(a[0]) == "size"), None)
    starts = [a for a in args if roles.get(a[0], "") not in ("", "size")]
    if size is None or not starts:
        return None
    style = roles[starts[0][0]]
    names = "+".join([size[0], *sorted(a[0] for a in starts if roles[a[0]] == style)])
    declared = _declared(size[1], size[2])
    return ListPaging(
        style=style,
        names=names,
        where=declared.where or ("body" if rd.method == "POST" else "query"),
        default=declared.default,
        maximum=declared.maximum,
        helper=declared.helper,
        envelope=_envelope(index, use, fn),
    )


def _by_dependency(index: ProjectIndex, use: RouteUse) -> ListPaging | None:
    """How a route pages through a project dependency that takes the values.

    ``pagination: PaginationParamsQuery``, an ``Annotated`` alias whose
    ``Depends(get_pagination_params)`` declares ``page`` and ``limit``.
    """
    from .guards import _alias_refs
    from .handlers import _pages

    for p in use.rd.params:
        refs: tuple[str, ...] = (p.depends.removesuffix("()"),) if p.depends else ()
        home = use.module
        if not refs and p.annotation:
            path, name = defined_at(index, use.module, p.annotation)
            home = index.module_of.get(path, "")
            found = _alias_refs(index, home, name, {}) if home else None
            refs = tuple(r.removesuffix("()") for r in found or ())
        for ref in refs:
            path, name = defined_at(index, home, ref)
            if not path or not _pages(index, path, name):
                continue
            node = _top_level(index, path, name)
            names = _paging_names(node) if node is not None else None
            if names is None:
                continue
            style, joined = names
            fn = _find_function(index.tree(use.module), use.rd)
            return ListPaging(
                style=style,
                names=joined,
                where="query",
                default="",
                maximum="",
                helper="",
                envelope=_envelope(index, use, fn) if fn is not None else "",
                dependency=f"{p.name}: {p.annotation}" if p.annotation else p.name,
            )
    return None


def _top_level(
    index: ProjectIndex, path: str, name: str
) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | None:
    tree = index.tree(index.module_of.get(path, ""))
    for stmt in tree.body if tree is not None else ():
        if (
            isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and stmt.name == name
        ):
            return stmt
    return None


def _paging_names(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
) -> tuple[str, str] | None:
    """The style and ``size+start`` names a dependency's parameters or fields give."""
    if isinstance(node, ast.ClassDef):
        found = [
            s.target.id
            for s in node.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        ]
    else:
        found = [a[0] for a in _arguments(node)]
    roles = {n: _role(n) for n in found}
    size = next((n for n in found if roles[n] == "size"), None)
    starts = [n for n in found if roles[n] not in ("", "size")]
    if size is None or not starts:
        return None
    style = roles[starts[0]]
    return style, "+".join([size, *sorted(n for n in starts if roles[n] == style)])


def _arguments(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
) -> list[tuple[str, ast.expr | None, ast.expr | None]]:
    """Each parameter with its annotation and default, by its served name."""
    args = fn.args
    plain = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(plain) - len(args.defaults))
    defaults += [*args.defaults, *args.kw_defaults]
    out = []
    for arg, default in zip([*plain, *args.kwonlyargs], defaults, strict=False):
        alias = _alias(default) or _alias(_annotated_call(arg.annotation))
        out.append((alias or arg.arg, arg.annotation, default))
    return out


def _alias(node: ast.expr | None) -> str:
    if isinstance(node, ast.Call):
        value = kw(node, "alias")
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
    return ""


def _annotated_call(annotation: ast.expr | None) -> ast.Call | None:
    """The ``Query(...)`` of ``Annotated[int, Query(...)]``, if any."""
    if isinstance(annotation, ast.Subscript) and (
        dotted(annotation.value) or ""
    ).endswith("Annotated"):
        for e in getattr(annotation.slice, "elts", [])[1:]:
            if isinstance(e, ast.Call):
                return e
    return None


@dataclass(frozen=True, slots=True)
class _Declared:
    where: str = ""
    default: str = ""
    maximum: str = ""
    helper: str = ""


def _declared(annotation: ast.expr | None, default: ast.expr | None) -> _Declared:
    """Where a size is read from, its default and its maximum, as written."""
    call = _annotated_call(annotation)
    if call is None and isinstance(default, ast.Call):
        call, default = default, None
    if call is None:
        return _Declared(default=_text(default))
    name = callee(call)
    if name not in _WHERE:
        # A project function that declares the parameter for every list.
        return _Declared(helper=ast.unparse(call))
    first = call.args[0] if call.args else kw(call, "default")
    return _Declared(
        where=_WHERE[name],
        default=_text(default if default is not None else first),
        maximum=_text(kw(call, "le") or kw(call, "lt")),
    )


def _text(node: ast.expr | None) -> str:
    """A default or bound as written: ``50``, ``MAX_PAGE_SIZE``; "" for none."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return ""
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return ""
    return ast.unparse(node)


def _envelope(
    index: ProjectIndex, use: RouteUse, fn: ast.FunctionDef | ast.AsyncFunctionDef
) -> str:
    """``list``, a project class wrapping the items (``Page`` of ``Page[Item]``)."""
    if use.rd.returns == "list":
        return "list"
    answer: ast.expr | None = fn.returns
    for dec in fn.decorator_list:
        if isinstance(dec, ast.Call) and kw(dec, "response_model") is not None:
            answer = kw(dec, "response_model")
    while isinstance(answer, ast.Subscript) and (
        (dotted(answer.value) or "").rpartition(".")[2] in _UNIONS
    ):
        elts = getattr(answer.slice, "elts", [answer.slice])
        answer = elts[0] if elts else None
    if isinstance(answer, ast.Subscript):
        outer = (dotted(answer.value) or "").rpartition(".")[2]
        return "list" if outer in _LISTS else _generic(index, use, answer.value)
    return ""


def _generic(index: ProjectIndex, use: RouteUse, node: ast.expr) -> str:
    """The name of a project class a route answers as ``Class[Item]``, else ""."""
    ref = dotted(node) or ""
    path, name = defined_at(index, use.module, ref)
    fields = class_fields(index, path, name) if path else ()
    return name if any(_LIST_FIELD.match(t) for _, t in fields) else ""


def envelope_shape(
    index: ProjectIndex, uses: tuple[RouteUse, ...], name: str
) -> tuple[str, str]:
    """The file defining a page envelope class, and its fields, list field first.

    ``("app/pagination.py", "items limit offset total")``.
    """
    for use in uses:
        path, found = defined_at(index, use.module, name)
        fields = class_fields(index, path, found) if path else ()
        if fields:
            items = [n for n, t in fields if _LIST_FIELD.match(t)][:1]
            rest = [n for n, _ in fields if n not in items]
            return path, " ".join(items + rest)
    return "", ""


def paging_votes(index: ProjectIndex, uses: tuple[RouteUse, ...]) -> tuple[Vote, ...]:
    """The paging conventions, one vote per paged route."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in PAGING_VOTES}
    for use in uses:
        p = read_list_paging(index, use)
        if p is None:
            continue
        counters["paging_style"][p.style] += 1
        counters[f"paging_{p.style}"][p.names] += 1
        counters[f"paging_{p.style}_envelope"][p.envelope or "class"] += 1
        counters["paging_in"][p.where] += 1
        counters["paging_size_helper"][p.helper or "none"] += 1
        counters["paging_dependency"][p.dependency or "none"] += 1
        if not (p.helper or p.dependency):  # their own default and bounds: unknown
            counters["paging_size_default"][p.default or "none"] += 1
            counters["paging_size_max"][p.maximum or "none"] += 1
    votes = [
        Vote(name, tuple(sorted(c.items())), _NOTES.get(name, ""))
        for name, c in counters.items()
        if c or name == "paging_style"
    ]
    for style in STYLES:
        votes.extend(_envelope_fields(index, uses, style, counters))
    return tuple(votes)


def _envelope_fields(
    index: ProjectIndex,
    uses: tuple[RouteUse, ...],
    style: str,
    counters: dict[str, Counter[str]],
) -> tuple[Vote, ...]:
    """The fields of the envelope class a style's lists answer with, if one won."""
    counts = counters[f"paging_{style}_envelope"]
    winner = Vote("", tuple(counts.items())).winner
    if winner in (None, "list", "class"):
        return ()
    path, fields = envelope_shape(index, uses, winner)
    if not fields:
        return ()
    return (
        Vote(
            f"paging_{style}_envelope_fields",
            ((fields, counts[winner]),),
            f"of `{winner}` in {path}, the list field first",
        ),
    )


_NOTES = {
    "paging_size_default": "the page size's default and maximum (`le=`) as "
    "routes write them; none: not given; a size declared by a helper is not "
    "counted",
    "paging_size_helper": "a project function declaring the page size "
    "(`limit: int = LimitBody()`); none: declared in the route",
    "paging_dependency": "a project dependency the route takes that gives all "
    "the paging values; none: the route declares them",
    "paging_style": "over the routes that take a page size and an offset, a "
    "page number or a cursor",
    **{
        f"paging_{style}_envelope": "what they answer: a bare list, a generic "
        "class of the project's around the items, or a class of their own"
        for style in STYLES
    },
}
