"""What a CRUD resource's data access and routes do about a unique violation.

A project answers it in one of three ways a plan follows: an app-wide
handler (the error propagates to it), the route (a domain error it maps to
409, with the project's own conflict class where it has one), or the
tables' base, whose ``save()`` may answer before either does.
"""

from __future__ import annotations

from planner.engine.builder import Context
from planner.plan import Endpoint
from planner.render.escape import code
from planner.rules.crud.access import in_handlers
from planner.rules.shared.handlers import AppHandler, propagates, unique_handler
from planner.rules.shared.raises import (
    base_conflict_guidance,
    diverted,
    project_error,
    raise_status,
)
from planner.spec import CrudResourceSpec


def conflict_guidance(ctx: Context, spec: CrudResourceSpec, model: str) -> list[str]:
    """The data-access guidance on unique and foreign-key violations."""
    res = spec.resource
    uniques = [f.name for f in res.fields if f.unique]
    handled = unique_handler(ctx)
    out: list[str] = []
    if handled is not None and uniques:
        out.append(propagates(handled))
    elif uniques or any(f.type == "ref" for f in res.fields):
        found = project_error(ctx, 409)
        answers = f"answers by raising {found}" if found else "turns into 409"
        if in_handlers(ctx):
            # The handler commits: it answers the violation itself.
            out.append(
                "Wrap the commit in `try/except IntegrityError`: roll back and "
                + (f"raise {found}" if found else "answer 409")
                + " (unique violation, SQLSTATE 23505); a pre-check query alone "
                "is racy."
            )
        else:
            out.append(
                "Wrap the commit in `try/except IntegrityError`: roll back and "
                f"raise a `{model}ConflictError` (unique violation, SQLSTATE "
                f"23505) the router {answers}; a pre-check query alone is racy."
            )
    writes: dict[str, str] = {
        op: f"{op}_{res.name}" for op in ("create", "update") if op in res.operations
    }
    base = base_conflict_guidance(
        ctx, writes, what="a taken " + " or ".join(code(n) for n in uniques)
    )
    if uniques and base:
        out.append(base)
    return out


def endpoint_guidance(ctx: Context, ep: Endpoint, handled: AppHandler | None) -> str:
    """A route's line: its method, path, status and what it raises."""
    text = f"{code(ep.function)} — `{ep.method} {ep.path}` → {ep.success_status}"
    if ep.success_status == 201:
        text += "; `status_code=status.HTTP_201_CREATED`"
    if any(h.startswith("Location:") for h in ep.success_headers):
        text += ", " if ep.success_status == 201 else "; "
        text += "set the `Location` header through a `Response` parameter"
    if ep.success_status == 204:
        text += "; `status_code=204`, annotate `-> None`, return nothing"
    raises = sorted({e.status for e in ep.errors if e.status in {404, 409}})
    if handled is not None and 409 in raises:
        raises.remove(409)
        text += f"; a unique violation reaches {code(handled.handler)} (409)"
        op = "create" if ep.method == "POST" else "update"
        if op in diverted(ctx, (op,)):
            text += " once the data access raises it (see there)"
    own = [raise_status(ctx, s, "") for s in raises]
    plain = [str(s) for s, found in zip(raises, own, strict=True) if not found]
    if plain:
        text += "; raise `HTTPException` " + "/".join(plain)
    return text + "".join(f"; {found}" for found in own if found) + "."
