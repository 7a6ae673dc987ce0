"""Which of an exemplar's schema modules the new resource's classes go in.

A resource may spread its Pydantic classes over several modules by role:
request bodies in one (``defs/request/events_body.py``), responses in
another (``defs/response/event_response.py``), query parameter classes in a
third. The exemplar's routes say which is which: the module defining the
classes they take as bodies holds requests, the one defining what they
answer with holds responses.
"""

from __future__ import annotations

from .names import Names
from .packages import mirrored_path
from .records import ProjectModel, Resource, Target


def schema_parts(
    model: ProjectModel,
    ex: Resource,
    new: Names,
    files: dict[str, Target],
    *,
    queried: bool,
) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """Slots naming the new request and response modules, and files to leave out.

    ``schema_request`` and ``schema_response`` name the new resource's
    counterparts of the exemplar's request and response modules, schema
    modules or the modules beside its data access that define those classes.
    A schema module holding neither (its query parameter classes) is left
    out unless the new routes take query parameters (``queried``). Nothing
    is said when the exemplar keeps its classes in one schema module, or its
    routes name none of them.
    """
    known = dict(model.module_names)
    bodies = {r.body for r in ex.routes if r.body}
    answers = {r.response for r in ex.routes if r.response}
    # Its schema modules, and any other own module defining what its routes
    # take or answer (DTOs kept beside the data access: `*_records_common.py`).
    mine = {
        f.path: set(known.get(f.path, ()))
        for f in ex.files
        if f.own
        and (f.role == "schema" or set(known.get(f.path, ())) & (bodies | answers))
    }
    schemas = {f.path for f in ex.files if f.own and f.role == "schema"}
    old = Names.guess(ex.plural)
    counterpart = {
        src: path
        for src in mine
        if (path := mirrored_path(model, src, old, new)) in files
        and files[path].action == "create"
    }
    request = sorted(p for p in counterpart if mine[p] & bodies)
    response = sorted(p for p in counterpart if mine[p] & answers and p not in request)
    # One schema module holding everything needs no slot; classes kept
    # outside the schema modules do, or they would go to the router.
    split = len(counterpart) >= 2 or not set(request + response) <= schemas
    if not split or not (request or response):
        return (), frozenset()
    slots: list[tuple[str, str]] = []
    if request:
        slots.append(("schema_request", counterpart[request[0]]))
    if response:
        slots.append(("schema_response", counterpart[response[0]]))
    unused = frozenset(
        counterpart[p]
        for p in counterpart
        if not queried and p in schemas and p not in request and p not in response
    )
    return tuple(slots), unused
