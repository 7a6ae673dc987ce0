"""Shared auth-guard rules: how any endpoint requires a signed-in caller."""

from __future__ import annotations

from planner._markdown import code
from planner.blueprint import Context, PlanBuilder
from planner.plan import ErrorCase
from planner.spec import AuthRequirement

BEARER = "WWW-Authenticate: Bearer"


def auth_label(req: AuthRequirement) -> str:
    """Return a short description of what a caller must present."""
    if not req.required:
        return "none"
    parts = ["bearer token"]
    if req.scopes:
        parts.append("scopes " + ", ".join(req.scopes))
    if req.roles:
        parts.append("role " + " or ".join(req.roles))
    return "; ".join(parts)


def auth_errors(req: AuthRequirement) -> list[ErrorCase]:
    """Return the 401 and 403 cases an authenticated operation answers."""
    if not req.required:
        return []
    cases = [
        ErrorCase(
            status=401,
            when="no bearer token, or it is malformed, expired or badly signed",
            headers=(BEARER,),
        )
    ]
    if req.scopes:
        scopes = " ".join(req.scopes)
        cases.append(
            ErrorCase(
                status=403,
                when=f"the token lacks scope {code(scopes)}",
                headers=(f'WWW-Authenticate: Bearer scope="{scopes}"',),
            )
        )
    if req.roles:
        roles = ", ".join(req.roles)
        cases.append(ErrorCase(status=403, when=f"the user's role is not {roles}"))
    if not req.scopes and not req.roles:
        cases.append(
            ErrorCase(status=403, when="the token is valid but the account is inactive")
        )
    return cases


def apply_guard(
    ctx: Context, plan: PlanBuilder, req: AuthRequirement, *, router_file: str
) -> None:
    """Plan the dependency that enforces `req` and the notes that go with it."""
    if not req.required:
        plan.note(
            "security",
            "The endpoints are public: make sure that is intended, add rate limits "
            "(API4) and never return data that belongs to a user.",
            key="public-endpoints",
        )
        return
    layout = ctx.layout
    user_dep = layout.current_user_dep
    if user_dep:
        plan.file(
            router_file,
            "path operations",
            f"Require a signed-in caller with the project's existing "
            f"{code(user_dep)} dependency (from {code(layout.deps_module)}); do not "
            "write a second one.",
        )
    else:
        plan.file(
            layout.deps_module,
            "shared dependencies",
            "Add `get_current_user`: read the bearer token with "
            "`OAuth2PasswordBearer`, decode it with PyJWT and explicit "
            "`algorithms`, load the user, and raise 401 with "
            "`WWW-Authenticate: Bearer` when any step fails.",
            "Export `CurrentUser = Annotated[User, Depends(get_current_user)]` "
            "for routes to use.",
        )
        plan.ask(
            "No current-user dependency was found: does the project already sign "
            "users in? If not, plan it first with `planner new auth`."
        )
        plan.file(
            router_file,
            "path operations",
            "Require a signed-in caller with `CurrentUser` from "
            f"{code(layout.deps_module)}.",
        )
    if req.scopes:
        plan.file(
            layout.deps_module,
            "shared dependencies",
            "Check scopes with `Security(get_current_user, scopes=[...])` and a "
            "`SecurityScopes` parameter; answer 403 with "
            "`WWW-Authenticate: Bearer scope=\"...\"` when one is missing.",
        )
        plan.practice("security-scopes")
    if req.roles:
        roles = ", ".join(code(r) for r in req.roles)
        plan.file(
            layout.deps_module,
            "shared dependencies",
            f"Add a `require_role(*roles)` dependency factory (roles: {roles}) that "
            "answers 403 for a signed-in user without the role; attach it with "
            "`dependencies=[Depends(require_role(...))]`.",
        )
    plan.practice("401-www-authenticate")
    plan.practice("annotated-dependencies")
