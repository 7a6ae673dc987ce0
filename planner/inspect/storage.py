"""Whether a table holds what an endpoint's path names, and its class."""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath

from planner.inspect.model.existing import DATA_WORDS
from planner.inspect.model.names import Names
from planner.inspect.model.records import ProjectModel, Target, Targets
from planner.inspect.model.tables import find_table
from planner.spec import EndpointSpec


def with_storage(
    model: ProjectModel,
    spec: EndpointSpec,
    targets: Targets,
    tables: tuple[str, ...],
) -> Targets:
    """Say whether a table holds what the endpoint's path names.

    ``tables`` are those of the resource whose routes it joins. ``/health``
    or ``/csrf-token`` in a project with no such table is worked out by the
    handler: no session, no row to load. A project whose tables planner
    cannot read (Django models) stores them where its neighbours' data
    functions say.
    """
    statics = [s for s in spec.path.split("/") if s and not s.startswith("{")]
    found = {
        s: table
        for s in statics
        if (table := find_table(model, Names.guess(s.replace("-", "_")))) is not None
    }
    # Where planner read no table at all (another ORM's models), the data
    # module the neighbouring routes call is where rows are, unread.
    unread = not model.tables and bool(targets.slot("data_like"))
    stored = bool(found) or bool(tables) or unread
    slot = ("stored", "yes" if stored else "no")
    # The class of each segment's table (`imports` → `ImportModel`): plans
    # query it by the project's own name.
    classes = ("segment_tables", ";".join(f"{s}:{t.name}" for s, t in found.items()))
    files = targets.files
    if not stored and spec.may_need_no_table:
        # No table to query: a new data-access module would have nothing in it.
        files = tuple(
            t
            for t in files
            if not (
                t.action == "create"
                and set(PurePosixPath(t.path).parent.parts) & DATA_WORDS
            )
        )
    slots = (
        *targets.slots,
        slot,
        classes,
        ("read_route", _read_route(model, statics)),
        *_schema_defines(model, files),
    )
    return dataclasses.replace(targets, files=files, slots=slots)


def _schema_defines(
    model: ProjectModel, files: tuple[Target, ...]
) -> tuple[tuple[str, str], ...]:
    """``schema_defines``: what the schema modules the endpoint changes define.

    So a plan says it reuses a class only where it is there. Nothing where
    the endpoint changes no schema module that exists.
    """
    known = dict(model.module_names)
    paths = [t.path for t in files if t.role == "schema" and t.path in model.paths]
    if not paths:
        return ()
    names = sorted({name for path in paths for name in known.get(path, ())})
    return (("schema_defines", " ".join(names)),)


def _read_route(model: ProjectModel, statics: list[str]) -> str:
    """The handler that reads one item of the path's collection, "" if none.

    ``read_user_by_id`` of `GET /users/{user_id}` for `POST /private/users`:
    where a create's `Location` can point.
    """
    if not statics:
        return ""
    tail = "/" + statics[-1] + "/{"
    found = sorted(
        (r.path, r.function)
        for r in model.routes
        if r.method == "GET"
        and r.served
        and r.path.endswith("}")
        and tail in r.path
        and r.path.count("{") == r.path.split(tail, 1)[0].count("{") + 1
    )
    return found[0][1] if found else ""
