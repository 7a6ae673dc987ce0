"""How the project already turns errors into statuses, as plans name it.

Two habits decide what a route really answers: the ``HTTPException``
subclasses the project keeps for a status (``ConflictHTTPException``), which
a plan raises rather than inventing its own, and the active-record base its
tables derive from, whose ``save()`` may answer a database error with a
status of its own (422) before any 409 a plan promises.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context
from planner.render.escape import code

# The base's write methods a data-access function of each kind goes through.
_WRITES_FOR = {
    "create": ("create", "save", "insert", "add"),
    "update": ("update", "save"),
}


def project_error(ctx: Context, status: int) -> str | None:
    """The project's own exception for a status, as a plan names it, or None.

    ``the project's `ConflictHTTPException` (409, `app/exceptions.py`)``;
    several of one status are named together.
    """
    found = ctx.targets.convention(f"http_error_{status}") if ctx.targets else ""
    entries = [e.split("|") for e in found.split(";") if e.count("|") == 2]
    if not entries:
        return None
    names = " or ".join(code(e[0]) for e in entries)
    files = ", ".join(code(f) for f in dict.fromkeys(e[1] for e in entries))
    headers = ", ".join(dict.fromkeys(h for e in entries for h in e[2].split(",") if h))
    sends = f", which sends `{headers}`" if headers else ""
    return f"the project's {names} ({status}, {files}{sends})"


def raise_status(ctx: Context, status: int, plain: str) -> str:
    """``raise <the project's class>`` for a status, else the plain wording."""
    found = project_error(ctx, status)
    return f"raise {found}" if found else plain


@dataclass(frozen=True, slots=True)
class BaseWrite:
    """A write method of the tables' base and what a unique violation answers."""

    method: str
    status: int
    raises: str
    caught: str
    owner: str
    file: str
    line: str

    @property
    def named(self) -> str:
        """``Base.save()`` (``app/models/base.py:31``)."""
        where = code(f"{self.file}:{self.line}")
        return f"{code(f'{self.owner}.{self.method}()')} ({where})"


def base_writes(ctx: Context) -> tuple[BaseWrite, ...]:
    """The write methods of the base the new table derives from."""
    found = ctx.targets.convention("base_writes") if ctx.targets else ""
    parts = [e.split(":") for e in found.split(";")]
    return tuple(
        BaseWrite(p[0], int(p[1]), p[2], p[3], p[4], p[5], p[6])
        for p in parts
        if len(p) == 7 and p[1].isdigit()
    )


def base_write(ctx: Context, operation: str) -> BaseWrite | None:
    """The base's method a data-access function of this kind would call."""
    writes = {w.method: w for w in base_writes(ctx)}
    return next(
        (writes[m] for m in _WRITES_FOR.get(operation, ()) if m in writes), None
    )


def diverted(ctx: Context, operations: tuple[str, ...]) -> dict[str, BaseWrite]:
    """The operations whose base write answers a unique violation with no 409."""
    out = {}
    for op in operations:
        write = base_write(ctx, op)
        if write is not None and write.status not in (0, 409):
            out[op] = write
    return out


def base_conflict_guidance(
    ctx: Context, functions: dict[str, str], *, what: str
) -> str | None:
    """Where the base would answer a unique violation otherwise than with 409.

    ``functions`` are the data-access functions that write, by operation
    (``create``: ``create_user``); ``what`` names the violation (``a taken
    `email```).
    """
    found = diverted(ctx, tuple(functions))
    if not found:
        return None
    named = " and ".join(code(functions[op]) for op in found)
    writes = list(dict.fromkeys(found.values()))
    first = writes[0]
    via = " and ".join(w.named for w in writes)
    conflict = project_error(ctx, 409) or "a conflict error the route answers with 409"
    if first.caught:
        return (
            f"The tables' base catches every {code(first.caught)} in {via} and "
            f"raises {code(first.raises)} {first.status}: written through it, "
            f"{what} answers {first.status}, not 409. To answer 409, write in "
            f"{named} without it (add and commit there) and catch "
            f"`IntegrityError` before the base does: roll back, then raise "
            f"{conflict}."
        )
    mapped = next((w for w in base_writes(ctx) if w.status == 409 and w.raises), None)
    like = (
        f"{code(mapped.raises)}, as its {code(f'{mapped.method}()')} does "
        f"(answered with 409)"
        if mapped
        else conflict
    )
    return (
        f"{via} lets a database error through, and no handler answers it: "
        f"{what} there would be a 500. Catch `IntegrityError` around it in "
        f"{named} and raise {like}."
    )


def unauthorized(ctx: Context, challenge: str) -> str:
    """``raise`` a 401 with its challenge, through the project's class if it has one."""
    found = project_error(ctx, 401)
    if found is None:
        return f"raise 401 with `WWW-Authenticate: {challenge}`"
    sends = "WWW-Authenticate" in found
    return f"raise {found}" + (
        "" if sends else f" with `WWW-Authenticate: {challenge}`"
    )
