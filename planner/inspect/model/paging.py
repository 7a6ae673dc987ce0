"""How the project pages its lists: parameter names, bounds and page envelopes.

Read from the signatures of the routes that take a page size and a place to
start (an offset, a page number or a cursor), and from the class they answer
with, then counted as votes, one per paged route, as the other conventions
are. A plan pages a new list with the names the winning votes give.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

from .astbits import assigned_value, callee, dotted, kw, refs_of
from .envelopes import LIST_FIELD, class_fields_inherited
from .guards import RouteUse
from .guardtext import find_function as _find_function
from .handlers import _once, defined_at
from .index import ProjectIndex
from .pagehelpers import helper_vote
from .pagenames import (
    PagingNames,
    annotated_call,
    arguments,
    paging_names,
    role,
    unnamed_size,
)
from .records import Vote
from .roles import is_test_path

# FastAPI's parameter functions, by where they read a value from.
_WHERE = {"Query": "query", "Body": "body", "Form": "body"}
# Outer types that are a bare list, not an envelope around one.
_LISTS = frozenset({"list", "List", "Sequence", "Iterable", "tuple", "Tuple", "set"})
_UNIONS = frozenset({"Union", "Optional"})

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


def read_list_paging(index: ProjectIndex, use: RouteUse) -> ListPaging | None:
    """How a route pages, or None when it takes no size and start of its own."""
    rd = use.rd
    if rd.method not in ("GET", "POST") or is_test_path(use.path):
        return None
    roles = {p.name: role(p.name) for p in rd.params if not p.depends}
    if not set(roles.values()) - {"size", ""}:
        # Cheap test first: only routes that take a place to start are parsed.
        return _by_dependency(index, use)
    fn = _find_function(index.block(use.path, rd.line), rd)
    if fn is None or not fn.decorator_list:
        # A block read from the ``def`` line lacks the decorator, whose
        # ``response_model`` says what the list answers.
        fn = _find_function(index.tree(use.module), rd) or fn
    if fn is None:
        return None
    args = arguments(fn)
    starts = [a for a in args if roles.get(a[0], "") not in ("", "size")]
    if "size" not in roles.values():
        # A size named as no other project names it: the integer the
        # handler pages with beside the start (``items_per_page``, ``n``).
        path = "".join(v for k, v in rd.path if k == "s")
        used = unnamed_size(fn, [a for a in args if a[0] in roles], roles, path)
        if not used:
            return _by_dependency(index, use)
        roles[used] = "size"
    size = next((a for a in args if roles.get(a[0]) == "size"), None)
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
    ``Depends(get_pagination_params)`` declares ``page`` and ``limit``; or
    one its decorator runs (``dependencies=[DependsPagination]``).
    """
    from .guards import _alias_refs

    for p in use.rd.params:
        refs: tuple[str, ...] = (p.depends.removesuffix("()"),) if p.depends else ()
        home = use.module
        if not refs and p.annotation:
            path, name = defined_at(index, use.module, p.annotation)
            home = index.module_of.get(path, "")
            found = _alias_refs(index, home, name, {}) if home else None
            refs = tuple(r.removesuffix("()") for r in found or ())
        for ref in refs:
            names = _paging_source(index, home, ref)
            if names is not None:
                written = f"{p.name}: {p.annotation}" if p.annotation else p.name
                return _through(index, use, names, written)
    return _by_decorator(index, use)


def _by_decorator(index: ProjectIndex, use: RouteUse) -> ListPaging | None:
    """How a route pages through a dependency of its decorator's ``dependencies=``.

    ``dependencies=[DependsPagination]``, a module-level
    ``Depends(pagination_ctx(_CustomPage))``: the values never reach the
    handler's parameters.
    """
    from .guards import _alias_refs

    fn = _decorated(index, use)
    calls = [d for d in fn.decorator_list if isinstance(d, ast.Call)] if fn else []
    for element in (e for d in calls for e in _elements(kw(d, "dependencies"))):
        home, refs = use.module, refs_of(element)
        if isinstance(element, ast.Name):
            path, name = defined_at(index, use.module, element.id)
            home = index.module_of.get(path, "")
            refs = (home and _alias_refs(index, home, name, {})) or ()
        for ref in refs:
            names = _paging_source(index, home, ref)
            if names is not None:
                return _through(
                    index, use, names, f"dependencies=[{ast.unparse(element)}]"
                )
    return None


def _decorated(
    index: ProjectIndex, use: RouteUse
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The route's function with its decorators, where they name dependencies.

    Only the lines from its first decorator to its ``def`` are read, and
    parsed only when they hold ``dependencies``: a route module is not parsed
    again for each of its routes.
    """
    data = index.source(use.path)
    if b"dependencies" not in data:
        return None
    lines = _once(index, ("lines", use.path, ""), lambda: data.split(b"\n"))
    line = use.rd.line
    if not 1 < line <= len(lines):
        return None
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    first = line
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        rest = text[len(indent) :] if text.startswith(indent) else b""
        if rest.startswith(b"@"):
            first = number
        elif not rest.strip() or rest[:1] not in b" \t)]}":
            break  # above the decorators: another statement, or a blank line
    if first == line or b"dependencies" not in b"\n".join(lines[first - 1 : line]):
        return None
    return _find_function(
        index.block(use.path, first, line) or index.tree(use.module), use.rd
    )


def _elements(node: ast.expr | None) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else []


def _through(
    index: ProjectIndex, use: RouteUse, names: PagingNames, written: str
) -> ListPaging:
    """A route's paging through a dependency, its bounds as the dependency's."""
    fn = _find_function(index.tree(use.module), use.rd)
    declared = _declared(names.size[1], names.size[2])
    return ListPaging(
        style=names.style,
        names=names.names,
        where="query",
        default=declared.default,
        maximum=declared.maximum,
        helper="",
        envelope=_envelope(index, use, fn) if fn is not None else "",
        dependency=written,
    )


def _paging_source(index: ProjectIndex, home: str, ref: str) -> PagingNames | None:
    """The paging a dependency ``ref`` written in ``home`` declares, if it pages.

    A fastapi-pagination page class names the class its values come from
    (``__params_type__ = PageParams``).
    """
    from .handlers import _pages

    path, name = defined_at(index, home, ref.removesuffix("()"))
    if not path:
        return None
    node = None
    if b"__params_type__" in index.source(path):
        node = _top_level(index, path, name)
        params = _params_type(node)
        if params:
            path, name = defined_at(index, index.module_of.get(path, ""), params)
            node = None
    if not path or not _pages(index, path, name):
        return None
    node = node or _top_level(index, path, name)
    return paging_names(node) if node is not None else None


def _params_type(node: ast.AST | None) -> str:
    """The class a page class's ``__params_type__`` names, else ""."""
    for stmt in node.body if isinstance(node, ast.ClassDef) else ():
        value = assigned_value(stmt, "__params_type__")
        if value is not None:
            return dotted(value) or ""
    return ""


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


@dataclass(frozen=True, slots=True)
class _Declared:
    where: str = ""
    default: str = ""
    maximum: str = ""
    helper: str = ""


def _declared(annotation: ast.expr | None, default: ast.expr | None) -> _Declared:
    """Where a size is read from, its default and its maximum, as written."""
    call = annotated_call(annotation)
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
        maximum=_maximum(call),
    )


def _maximum(call: ast.Call) -> str:
    """The largest size a ``Query(le=...)`` or ``Query(lt=...)`` admits, as written."""
    below = kw(call, "lt")
    if kw(call, "le") is None and isinstance(below, ast.Constant):
        value = below.value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value - 1)  # `lt=101` admits 100
    return _text(kw(call, "le") or below)


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
    wrapped = False
    while isinstance(answer, ast.Subscript):
        outer = (dotted(answer.value) or "").rpartition(".")[2]
        elts = getattr(answer.slice, "elts", [answer.slice])
        if outer in _LISTS:
            # A list inside the project's wrapper of every answer is no page.
            return "" if wrapped else "list"
        if outer not in _UNIONS:
            found = _generic(index, use, answer.value)
            if found:
                return found
            # A wrapper of every answer (``ResponseModel[PageData[Item]]``):
            # the page class is inside.
            wrapped = True
        answer = elts[0] if elts else None
    return ""


def _generic(index: ProjectIndex, use: RouteUse, node: ast.expr) -> str:
    """The name of a project class a route answers as ``Class[Item]``, else ""."""
    ref = dotted(node) or ""
    path, name = defined_at(index, use.module, ref)
    fields = class_fields_inherited(index, path, name) if path else ()
    return name if any(LIST_FIELD.match(t) for _, t in fields) else ""


def envelope_shape(
    index: ProjectIndex, uses: tuple[RouteUse, ...], name: str
) -> tuple[str, str]:
    """The file defining a page envelope class, and its fields, list field first.

    ``("app/pagination.py", "items limit offset total")``.
    """
    for use in uses:
        path, found = defined_at(index, use.module, name)
        fields = class_fields_inherited(index, path, found) if path else ()
        if fields:
            items = [n for n, t in fields if LIST_FIELD.match(t)][:1]
            rest = [n for n, _ in fields if n not in items]
            return path, " ".join(items + rest)
    return "", ""


def paging_votes(index: ProjectIndex, uses: tuple[RouteUse, ...]) -> tuple[Vote, ...]:
    """The paging conventions, one vote per paged route."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in PAGING_VOTES}
    paged: list[tuple[RouteUse, ListPaging]] = []
    for use in uses:
        p = read_list_paging(index, use)
        if p is None:
            continue
        paged.append((use, p))
        counters["paging_style"][p.style] += 1
        counters[f"paging_{p.style}"][p.names] += 1
        counters[f"paging_{p.style}_envelope"][p.envelope or "class"] += 1
        counters["paging_in"][p.where] += 1
        counters["paging_size_helper"][p.helper or "none"] += 1
        counters["paging_dependency"][p.dependency or "none"] += 1
        # A helper's default and bounds are unknown; a dependency's, where
        # its declaration was read.
        if not p.helper and (p.default or p.maximum or not p.dependency):
            counters["paging_size_default"][p.default or "none"] += 1
            counters["paging_size_max"][p.maximum or "none"] += 1
    votes = [
        Vote(name, tuple(sorted(c.items())), _NOTES.get(name, ""))
        for name, c in counters.items()
        if c or name == "paging_style"
    ]
    for style in STYLES:
        votes.extend(_envelope_fields(index, uses, style, counters))
    winner = Vote("", tuple(counters["paging_style"].items())).winner
    if winner is not None:
        votes.extend(_helpers(index, uses, winner, counters, paged))
    return tuple(votes)


def _helpers(
    index: ProjectIndex,
    uses: tuple[RouteUse, ...],
    style: str,
    counters: dict[str, Counter[str]],
    paged: list[tuple[RouteUse, ListPaging]],
) -> tuple[Vote, ...]:
    """The project's paging helpers the lists of the winning style use."""
    names = Vote("", tuple(counters[f"paging_{style}"].items())).winner
    envelope = Vote("", tuple(counters[f"paging_{style}_envelope"].items())).winner
    beside = ""
    if envelope not in (None, "list", "class"):
        beside, _ = envelope_shape(index, uses, envelope or "")
    found = helper_vote(
        index,
        [use for use, p in paged if p.style == style],
        frozenset((names or "").split("+")) - {""},
        beside,
    )
    return (found,) if found is not None else ()


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
