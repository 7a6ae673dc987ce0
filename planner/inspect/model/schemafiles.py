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
    counterparts of the exemplar's request and response modules. A module
    holding neither (its query parameter classes) is left out unless the new
    routes take query parameters (``queried``). Nothing is said when the
    exemplar keeps its classes in one module, or its routes name none of
    them.
    """
    known = dict(model.module_names)
    bodies = {r.body for r in ex.routes if r.body}
    answers = {r.response for r in ex.routes if r.response}
    mine = {
        f.path: set(known.get(f.path, ()))
        for f in ex.files
        if f.own and f.role == "schema"
    }
    old = Names.guess(ex.plural)
    counterpart = {
        src: path
        for src in mine
        if (path := mirrored_path(model, src, old, new)) in files
        and files[path].action == "create"
    }
    if len(counterpart) < 2:
        return (), frozenset()
    request = sorted(p for p in counterpart if mine[p] & bodies)
    response = sorted(p for p in counterpart if mine[p] & answers and p not in request)
    if not request and not response:
        return (), frozenset()
    slots: list[tuple[str, str]] = []
    if request:
        slots.append(("schema_request", counterpart[request[0]]))
    if response:
        slots.append(("schema_response", counterpart[response[0]]))
    unused = frozenset(
        counterpart[p]
        for p in counterpart
        if not queried and p not in request and p not in response
    )
    return tuple(slots), unused
