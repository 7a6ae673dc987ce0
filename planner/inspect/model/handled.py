"""App-wide answers a plan relies on, from the handlers the project registers.

Apart from the reader (:mod:`.errorhandlers`): a model read back from the
cache uses these without loading the reader.
"""

from __future__ import annotations

import re
from collections import Counter

from .records import BaseWrite, ProjectModel, Resource

# What an exception's name says it stands for, and the status that fits.
_KINDS = (("unique", 409, re.compile(r"Integrity|Unique|Duplicate|AlreadyExists")),)


def handler_conventions(model: ProjectModel) -> tuple[tuple[str, str], ...]:
    """The app-wide answers a plan relies on, as conventions.

    ``handler_unique`` is ``Exception handler file:line`` of the handler that
    answers a unique violation with 409 (``IntegrityError`` or the project's
    own ``UniqueConstraintViolationError``).
    """
    out: list[tuple[str, str]] = []
    for kind, status, name in _KINDS:
        found = next(
            (
                h
                for h in model.error_handlers
                if h.statuses == (status,)
                and name.search(h.exception.rsplit(".", 1)[-1])
            ),
            None,
        )
        if found is not None:
            where = f"{found.file}:{found.line}"
            value = f"{found.exception.rsplit('.', 1)[-1]} {found.handler} {where}"
            out.append((f"handler_{kind}", value))
    return tuple(out)


# The database errors whose app-wide handler answers a write that lets one
# through, most specific first.
_DB_HANDLED = ("IntegrityError", "DBAPIError", "DatabaseError", "SQLAlchemyError")


def error_class_conventions(model: ProjectModel) -> tuple[tuple[str, str], ...]:
    """The project's HTTP error classes by status, as conventions.

    ``http_error_409`` is ``ConflictHTTPException|app/exceptions.py|`` (name,
    file and the headers it always sends, ``,``-joined); several classes of
    one status are ``;``-joined.
    """
    by_status: dict[int, list[str]] = {}
    root = _app_package(model)
    for e in model.http_errors:
        if not e.file.startswith(root):
            continue  # another app's (a gateway beside the API)
        entry = f"{e.name}|{e.file}|{','.join(e.headers)}"
        by_status.setdefault(e.status, []).append(entry)
    return tuple((f"http_error_{s}", ";".join(v)) for s, v in sorted(by_status.items()))


def _app_package(model: ProjectModel) -> str:
    """The API app's top package as a path prefix ("" where there is no app)."""
    if model.api_app is None:
        return ""
    parts = model.api_app.file.split("/")[:-1]
    while parts and "/".join([*parts[:-1], "__init__.py"]) in model.paths:
        parts.pop()
    return "/".join(parts) + "/" if parts else ""


def base_write_conventions(
    model: ProjectModel, res: Resource | None
) -> tuple[tuple[str, str], ...]:
    """What the tables' active-record base answers a unique violation with.

    ``base_writes`` is ``method:status:raised:caught:owner:file:line`` per
    write method, ``;``-joined, of the base the exemplar's table derives
    from, else the one most tables do. The status is the base's own, else
    that of the handler its raise (or the error it lets through) reaches;
    500 where none does, 0 where planner cannot tell.
    """
    if not model.base_writes:
        return ()
    bases = {w.base for w in model.base_writes}
    counts = Counter(b.name for t in model.tables for b in t.bases if b.name in bases)
    own = {
        b.name
        for t in model.tables
        if res is not None and (t.tablename or t.name) in res.tables
        for b in t.bases
        if b.name in bases
    }
    ranked = sorted(own or counts, key=lambda b: (-counts[b], b))
    if not ranked:
        return ()
    out = [
        f"{w.method}:{_write_status(model, w)}:{w.raises}:{w.caught}:"
        f"{w.owner}:{w.file}:{w.line}"
        for w in model.base_writes
        if w.base == ranked[0]
    ]
    return (("base_writes", ";".join(out)),)


def _write_status(model: ProjectModel, write: BaseWrite) -> int:
    if write.status:
        return write.status
    if write.raises:
        names: tuple[str, ...] = (write.raises,)
    else:
        names = _DB_HANDLED
    for name in names:
        for h in model.error_handlers:
            if h.exception.rsplit(".", 1)[-1] == name and len(h.statuses) == 1:
                return h.statuses[0]
        for e in model.http_errors:
            if e.name == name:
                return e.status
    return 0 if write.raises else 500
