"""App-wide answers a plan relies on, from the handlers the project registers.

Apart from the reader (:mod:`.errorhandlers`): a model read back from the
cache uses these without loading the reader.
"""

from __future__ import annotations

import re

from .records import ProjectModel

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
