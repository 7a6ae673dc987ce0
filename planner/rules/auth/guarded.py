"""Routes guarded today accept the new credential too: per module, or in the guard.

The targets (``planner/inspect/model/authguard.py``) decide which: the modules
that name the project's guard when they are few, else the guard itself. This
module writes what each of those files gets, and says which way was taken.
"""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder
from planner.inspect.model.authguard import MAX_GUARDED_MODULES
from planner.plan import Endpoint, ErrorCase
from planner.render.escape import code
from planner.rules.auth.common import AuthPaths
from planner.rules.shared.guard import Credential, route_guard

# The dependency that accepts the old credential or the new one.
_EITHER = "get_caller"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def plan_guarded(
    ctx: Context, plan: PlanBuilder, paths: AuthPaths, credential: Credential
) -> None:
    """Guidance for the guard or the modules that name it, and the assumption."""
    targets = ctx.targets
    slot = targets.slot if targets is not None else None
    guard = slot("guard_name") if slot else None
    if targets is None or slot is None or not guard:
        return
    mode = slot("guard_mode")
    routers = int(slot("guard_routers") or "0")
    routes = int(slot("guard_routes") or "0")
    used = (
        f"The project guards {_count(routes, 'route')} in "
        f"{_count(routers, 'router module')} with {code(slot('guard') or guard)}"
    )
    new = credential.label
    if mode == "dependency":
        path = slot("guard_file") or paths.deps
        plan.file(
            path,
            "the guard every route runs",
            f"Make {code(guard)} accept the {new} too: try the credential it "
            "reads today first, then the new one, and return the same kind of "
            "caller from both; answer 401 only when neither is there.",
            "Routes that must stay limited to the old credential get a "
            "dependency of their own that does not accept the new one.",
        )
        plan.assume(
            f"{used}: more than {MAX_GUARDED_MODULES}, so the guard itself accepts the "
            f"{new} and every route keeps its dependency."
        )
        return
    either = _EITHER
    home = slot("either_deps")
    plan.file(
        home or paths.deps,
        "the dependency that accepts either credential"
        if home
        else "shared dependencies",
        f"Add {code(either)}: the caller {code(guard)} finds when its "
        f"credential is sent, else the one the {new} names; 401 when neither "
        f"is sent. Keep {code(guard)} for routes that stay limited to the old "
        "credential.",
    )
    plan.endpoints.extend(_changed_endpoints(ctx, guard, credential))
    test = slot("either_test")
    if home and test:
        plan.file(
            test,
            f"tests of {code(either)}",
            f"Call {code(either)} as a route would: the old credential alone, "
            f"the {credential.noun} alone, both, and neither.",
        )
        plan.test(
            test,
            f"test_{either}_accepts_either",
            f"the credential {code(guard)} reads → its caller; a valid "
            f"{credential.noun} alone → the {credential.noun}'s caller; neither → "
            "401",
        )
    for target in targets.files:
        if target.role == "guarded":
            plan.file(
                target.path,
                f"routes that require {code(guard)}",
                f"Accept the {new} where {code(guard)} was required: depend on "
                f"{code(either)} in its place (in `dependencies=[...]` and in "
                "parameters alike).",
            )
        elif target.role == "guarded-test":
            plan.file(
                target.path,
                "tests of guarded routes",
                f"Beside each case signed in the old way, one with the "
                f"{credential.noun} alone; the cases without credentials "
                "still answer 401.",
            )
            plan.test(
                target.path,
                f"test_{credential.noun}_accepted",
                f"each route that required {code(guard)} → 200 with a valid "
                f"{credential.noun} and no other credential; 401 with neither",
            )
    plan.assume(
        f"{used}: at most {MAX_GUARDED_MODULES}, so each of them switches to "
        f"{code(either)} and accepts the {new} where {code(guard)} was "
        "required."
    )


def changed_routes(ctx: Context) -> frozenset[tuple[str, str]]:
    """The method and path of each existing route whose guard the plan changes."""
    found = ctx.targets.endpoints if ctx.targets is not None else ()
    return frozenset((e.method, e.path) for e in found if e.operation == "guarded")


def _changed_endpoints(
    ctx: Context, guard: str, credential: Credential
) -> list[Endpoint]:
    """The routes that required the guard: their contract is what changes.

    Each keeps its method, path and success status; what it accepts widens,
    and a call with neither credential answers 401; a caller the old guard
    identifies and refuses (403) is refused as before.
    """
    found = ctx.targets.endpoints if ctx.targets is not None else ()
    rejected = ErrorCase(
        status=401,
        when=f"neither the credential {code(guard)} reads nor a valid "
        f"{credential.noun} is sent",
        headers=(f"WWW-Authenticate: {credential.challenge}",),
    )
    errors = [rejected]
    old = route_guard(ctx)
    if old is not None and old.name == guard and "403" in old.refuses:
        # What the old guard refuses a caller it identified, it still does.
        errors.append(
            ErrorCase(
                status=403,
                when=f"{code(guard)} identifies the caller and refuses them, "
                "as it does today",
            )
        )
    return [
        Endpoint(
            method=e.method,
            path=e.path,
            function=e.function,
            summary=f"Existing route, changed: accepts the {credential.label} "
            f"where it required {code(guard)}",
            success_status=e.status_code,
            auth=f"{code(guard)} or the {credential.label}",
            idempotent=e.method in {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"},
            errors=tuple(errors),
        )
        for e in found
        if e.operation == "guarded"
    ]
