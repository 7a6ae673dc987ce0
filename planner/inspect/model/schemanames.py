"""How the project names the schemas its routes answer with and take as bodies.

A schema is named for a resource or a table and a role: a suffix after the
entity (``TagRead``, ``TagIn``), or words before and after it
(``CreateDeptParam``, ``GetDeptDetail``). A vote's value is the suffix
alone where nothing comes before the entity, else the whole form with the
entity as ``*`` (``Create*Param``), as the plan's rules spell them.
"""

from __future__ import annotations

import ast
import hashlib
import re
import textwrap
from collections import Counter

from .astbits import dotted, kw
from .guards import RouteUse
from .index import ProjectIndex
from .names import Names
from .records import Resource, Vote
from .roles import is_test_path
from .shared import memo, source_lines

# What each schema role's form is counted from: the class a route answers
# with, and the body a create (POST) or an update (PUT/PATCH) route takes.
SCHEMA_ROLES = ("schema_create_suffix", "schema_read_suffix", "schema_update_suffix")
# Wrappers around many items name a page, not one item's schema.
_WRAPPERS = ("List", "Page", "Paginated", "Collection")
# As many lines as a route's decorators and signature may take.
_SIGNATURE_LINES = 60
# Bases that make a class an enumeration: a query parameter's type, no body.
_ENUM_BASE = re.compile(rb"\b(?:Str|Int)?(?:Enum|Flag)\b")


def _entity_names(index: ProjectIndex, resources: tuple[Resource, ...]) -> list[str]:
    """CamelCase singular names of resources and table classes, longest first."""
    names = {"".join(w.title() for w in r.singular.split("_")) for r in resources}
    # Their names only: the summaries list them, no class need be read.
    names.update(
        c.name
        for path, module in index.module_of.items()
        if not is_test_path(path) and module in index.by_module
        for c in index.by_module[module].classes
        if c.is_table
    )
    return sorted((n for n in names if n), key=lambda n: (-len(n), n))


def _schemas(index: ProjectIndex) -> frozenset[str]:
    """Names the project defines that may be schemas: no table, no alias.

    A module with no FastAPI token is summarised by its names alone, so a
    schema is a defined name; ``CurrentUser = Annotated[...]`` is an alias.
    """
    defined: set[str] = set()
    other: set[str] = set()
    for summary in index.by_module.values():
        defined.update(summary.defined)
        other.update(c.name for c in summary.classes if c.is_table)
        other.update(a.name for a in summary.aliases)
    return frozenset(defined - other)


def _form(cls: str, entities: frozenset[str]) -> tuple[str, str] | None:
    """``("Tag", "Read")`` of ``TagRead``, ``("Dept", "Create*Param")`` of
    ``CreateDeptParam``, where the entity is a resource's or a table's; else None.

    The entity spans whole words of the class's name, the longest first,
    first at its start (``TagRead``), then after words of another kind.
    """  # noqa: D205 -- the two examples are the summary
    cuts = [i for i, ch in enumerate(cls) if ch.isupper()] + [len(cls)]
    if not cuts or cuts[0] != 0:
        return None
    # The entity's name first, or after one word saying the operation
    # (`Create`, `Get`): `TagUser` or `EventsTagBody` join entities' names.
    for start in cuts[:2]:
        head = cls[:start]
        if head and "".join(Names.guess(head).singular).title() in entities:
            continue
        for end in reversed(cuts):
            entity, rest = cls[start:end], cls[end:]
            if end <= start or entity not in entities or not (head or rest):
                continue
            if _wraps(head + rest):
                return None
            return entity, (f"{head}*{rest}" if head else rest)
    return None


def _wraps(affix: str) -> bool:
    return any(w in affix for w in _WRAPPERS)


def _role(method: str, last: str, entity: str) -> str | None:
    """The role a route's body plays: create, update or none.

    A create is a POST to the collection (``""`` or the entity's plural
    last), an update a PUT or PATCH of an item (``{id}`` last); a POST to
    ``/filter`` or ``/{id}/archive`` is an action, whose body says nothing.
    """
    if method == "POST" and (not last or _names_entity(last, entity)):
        return "create"
    if method in ("PUT", "PATCH") and last.startswith("{"):
        return "update"
    return None


def _names_entity(segment: str, entity: str) -> bool:
    """Whether a path segment names the entity (``flow-runs`` for ``FlowRun``)."""
    return "".join(Names.guess(segment).singular) == entity.lower()


def _answered(index: ProjectIndex, use: RouteUse, classes: frozenset[str]) -> str:
    """The project class a route answers with, inside a generic wrapper too.

    ``GetDeptDetail`` of ``ResponseSchemaModel[GetDeptDetail]`` (or of a
    list inside it): the wrapper is the project's envelope, the item its
    schema. Read from the route's signature only where the summary kept no
    class.
    """
    rd = use.rd
    if rd.response or not rd.declares:
        return rd.response if rd.response in classes else ""
    fn = _signature(index, use)
    if fn is None:
        return ""
    answer: ast.expr | None = fn.returns
    for dec in fn.decorator_list:
        if isinstance(dec, ast.Call) and kw(dec, "response_model") is not None:
            answer = kw(dec, "response_model")
    for _ in range(2):
        if not isinstance(answer, ast.Subscript):
            break
        answer = answer.slice
    name = (dotted(answer) or "") if answer is not None else ""
    name = name.rpartition(".")[2]
    return name if name in classes else ""


def _signature(
    index: ProjectIndex, use: RouteUse
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A route's decorators and signature, parsed without its body.

    The lines from its decorator to the first that ends the signature: a
    handler's body may be long, and many routes are read.
    """
    data = index.source(use.path)
    digest = memo("digest", use.path, lambda: hashlib.sha256(data).hexdigest())
    lines = source_lines(data, digest)
    start = use.rd.line - 1
    if lines is None or start < 0:
        return None
    for end in range(start, min(start + _SIGNATURE_LINES, len(lines))):
        if not lines[end].partition("#")[0].rstrip().endswith(":"):
            continue
        snippet = textwrap.dedent("\n".join(lines[start : end + 1]))
        try:
            body = ast.parse(snippet + "\n    pass\n").body
        except SyntaxError:
            continue
        fn = body[0] if body else None
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            return fn if fn.name == use.rd.function else None
    return None


def _is_enum(index: ProjectIndex, use: RouteUse, ref: str) -> bool:
    """Whether a parameter's class is an enumeration (a query value, no body).

    Read from the class statement of the module it is imported from: a
    module of enums holds no FastAPI token, so only its names are summarised.
    """
    head = ref.split(".")[0]
    module = use.module
    summary = index.by_module.get(module)
    for imp in summary.imports if summary is not None else ():
        if imp.local == head:
            split = index.split_module(imp.target + ref[len(head) :])
            module = split[0] if split is not None else ""
            break
    data = index.source(index.path_of.get(module, ""))
    name = re.escape(ref.rpartition(".")[2].encode())
    found = re.search(rb"^class[ \t]+" + name + rb"[ \t]*\(([^)]*)\)", data, re.M)
    return bool(found and _ENUM_BASE.search(found.group(1)))


def schema_votes(
    index: ProjectIndex, uses: tuple[RouteUse, ...], resources: tuple[Resource, ...]
) -> tuple[Vote, ...]:
    """Forms of the schemas routes answer with and take as a body, per role.

    Only routes on the collection or one item count (``/count`` or
    ``/filter`` answer with other shapes), and only classes the project
    defines (an ``Annotated`` alias is no schema, an enumeration is a query
    value). A body is a parameter that is neither a dependency nor in the
    path and whose class is named for an entity (``TagIn``).
    """
    entities = frozenset(_entity_names(index, resources))
    classes = _schemas(index)
    counters: dict[str, Counter[str]] = {name: Counter() for name in SCHEMA_ROLES}
    for use in uses:
        rd = use.rd
        path = "".join(v for kind, v in rd.path if kind == "s")
        last = path.rstrip("/").rpartition("/")[2]
        answered = _answered(index, use, classes)
        found = _form(answered, entities) if answered else None
        # Words before the name say the operation (`CreateTagResponse`):
        # only a read's answer says how a read is named.
        if found and "*" in found[1] and rd.method != "GET":
            found = None
        if found and (
            not last or last.startswith("{") or _names_entity(last, found[0])
        ):
            counters["schema_read_suffix"][found[1]] += 1
        for p in rd.params:
            if p.depends or not p.annotation or f"{{{p.name}}}" in path:
                continue  # a dependency or a path parameter (`todo_id: TodoId`)
            cls = p.annotation.rpartition(".")[2]
            found = _form(cls, entities) if cls in classes else None
            role = _role(rd.method, last, found[0]) if found else None
            if found and role and not _is_enum(index, use, p.annotation):
                counters[f"schema_{role}_suffix"][found[1]] += 1
    # Twice the next form's votes: `TagRead` beside one `TagCreateResponse`
    # settles `Read`; one `Public` against one `Read` settles nothing.
    return tuple(
        Vote(name, tuple(sorted(c.items())), _NOTES[name] if c else "", lead=2)
        for name, c in counters.items()
    )


_NOTES = {
    "schema_create_suffix": "of the bodies POSTed to a collection, named for "
    "a resource or table (`*`: the entity's name, where words come before it)",
    "schema_read_suffix": "of the classes collection and item routes answer "
    "with, named the same way",
    "schema_update_suffix": "of the bodies PUT or PATCHed to an item, named "
    "the same way",
}
