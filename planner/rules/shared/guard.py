"""Shared auth-guard rules: how any endpoint requires a signed-in caller.

CRUD resources, single endpoints and the auth kind all call these functions,
so a protected route answers the same 401/403 cases wherever it is planned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.engine.builder import Context, PlanBuilder
from planner.plan import ErrorCase
from planner.render.escape import code
from planner.rules.shared.params import ANNOTATED_SINCE, annotated, param
from planner.spec import AuthRequirement


@dataclass(frozen=True, slots=True)
class Credential:
    """What a caller presents, and the challenge its 401 carries."""

    label: str
    noun: str
    rejected: str
    challenge: str
    inactive: str | None


BEARER = Credential(
    label="bearer token",
    noun="token",
    rejected="no bearer token, or it is malformed, expired or badly signed",
    challenge="Bearer",
    inactive="the token is valid but the account is inactive",
)


def api_key_credential(header: str) -> Credential:
    """Return the credential of an API key sent in `header`."""
    return Credential(
        label=f"API key in {code(header)}",
        noun="key",
        rejected=f"no {code(header)} header, or the key is unknown, revoked or expired",
        challenge="APIKey",
        inactive=None,  # a key is its own principal: revoking it is the 401 above
    )


def guard_credential(ctx: Context) -> Credential:
    """Return the credential a protected route of this project checks.

    A project's own current-user dependency answers for inactive accounts as
    it was written to (400, 401, 403, or not at all): the plan cannot know
    which, so it promises no status for them (`apply_guard` asks instead).
    """
    if ctx.layout.current_user_dep or existing_role_check(ctx) is not None:
        return replace(BEARER, inactive=None)
    return BEARER


def auth_label(req: AuthRequirement, credential: Credential = BEARER) -> str:
    """Return a short description of what a caller must present."""
    if not req.required:
        return "none"
    parts = [credential.label]
    if req.scopes:
        parts.append("scopes " + ", ".join(req.scopes))
    if req.roles:
        parts.append("role " + " or ".join(req.roles))
    return "; ".join(parts)


def for_method(req: AuthRequirement, method: str) -> AuthRequirement:
    """Return the requirement one operation enforces: read scopes for reads.

    A scope named `<x>:read` guards only GET, `<x>:write` only the methods that
    change state; any other scope guards every operation.
    """
    if not req.scopes:
        return req
    reading = method in {"GET", "HEAD"}
    kept = tuple(
        s
        for s in req.scopes
        if not s.endswith((":read", ":write")) or s.endswith(":read") == reading
    )
    return req.model_copy(update={"scopes": kept})


def auth_errors(
    req: AuthRequirement, credential: Credential = BEARER
) -> list[ErrorCase]:
    """Return the 401 and 403 cases an authenticated operation answers."""
    if not req.required:
        return []
    cases = [
        ErrorCase(
            status=401,
            when=credential.rejected,
            headers=(f"WWW-Authenticate: {credential.challenge}",),
        )
    ]
    if credential.inactive:
        cases.append(ErrorCase(status=403, when=credential.inactive))
    if req.scopes:
        scopes = " ".join(req.scopes)
        # RFC 6750 §3.1 defines the insufficient_scope challenge for bearer tokens.
        header = (
            (f'WWW-Authenticate: Bearer error="insufficient_scope", scope="{scopes}"',)
            if credential.challenge == "Bearer"
            else ()
        )
        cases.append(
            ErrorCase(
                status=403,
                when=f"the {credential.noun} lacks scope {code(scopes)}",
                headers=header,
            )
        )
    if req.roles:
        roles = " or ".join(req.roles)
        cases.append(ErrorCase(status=403, when=f"the caller's role is not {roles}"))
    return cases


def current_user_guidance(
    ctx: Context, scheme: str = "password-jwt"
) -> tuple[str, ...]:
    """Return how `get_current_user` works for an auth scheme.

    Routes share it as an `Annotated` alias where the project's FastAPI reads
    one (0.95.0 and later), else each takes it as a parameter's default.
    """
    reads = {
        "password-jwt": "read the bearer token with `OAuth2PasswordBearer`, decode "
        "it with PyJWT and explicit `algorithms`, load the user named by `sub` "
        "(a string: PyJWT 2.10 rejects a numeric `sub`, so encode `str(user.id)`)",
        "oauth2": "read the app's own access token (the `Authorization: Bearer` "
        "header, or the HttpOnly cookie set after sign-in), decode it with PyJWT "
        "and explicit `algorithms`, load the user named by `sub`",
        "oidc": "read the bearer token with `HTTPBearer(auto_error=False)`, verify "
        "it against the issuer's JWKS (signature, `iss`, `aud`, `exp`), and load "
        "or provision the user keyed by (`iss`, `sub`)",
        "api-key": "read the key with `APIKeyHeader(auto_error=False)`, look it up "
        "by its prefix, compare hashes with `secrets.compare_digest`, and return "
        "the key's row: the key is the calling client",
    }
    if scheme == "api-key":
        return (
            f"Add `get_api_client`: {reads[scheme]}; raise 401 with "
            "`WWW-Authenticate: APIKey` when any step fails.",
            _share(ctx, "CurrentClient", "ApiKey", "get_api_client", "client"),
        )
    return (
        f"Add `get_current_user`: {reads[scheme]}; raise 401 with "
        "`WWW-Authenticate: Bearer` when any step fails, and 403 when the "
        "account is inactive.",
        _share(ctx, "CurrentUser", "User", "get_current_user", "user"),
    )


def _share(ctx: Context, alias: str, type_: str, dependency: str, name: str) -> str:
    """How routes take the dependency: an `Annotated` alias where it is read."""
    if annotated(ctx):
        return (
            f"Export `{alias} = Annotated[{type_}, Depends({dependency})]` for "
            "routes to use."
        )
    declared = param(ctx, name, type_, "Depends", args=dependency)
    return (
        f"Routes take `{declared}`: this FastAPI does not read `Annotated` "
        f"dependencies ({ANNOTATED_SINCE} and later do), so export no alias."
    )


def existing_role_check(ctx: Context) -> tuple[str, str] | None:
    """The project's own role-check dependency and its module, if routes use one.

    Read from the routes (``require_admin``, ``get_current_active_superuser``,
    ``PermissionDependency``...), as the project model measured it.
    """
    if ctx.targets is None:
        return None
    found = dict(ctx.targets.conventions).get("role_check_dependency", "")
    if not found:
        return None
    name, _, module = found.partition(" (")
    return name, module.rstrip(")")


def _module_file(ctx: Context, module: str) -> str:
    """The project file of a dotted module, else the layout's deps module."""
    tail = module.replace(".", "/")
    for path in sorted(ctx.layout.existing):
        if path in (f"{tail}.py", f"{tail}/__init__.py") or path.endswith(
            (f"/{tail}.py", f"/{tail}/__init__.py")
        ):
            return path
    return ctx.layout.deps_module


def plan_role_check(
    ctx: Context, plan: PlanBuilder, roles: tuple[str, ...], *, beside: str = ""
) -> None:
    """Plan the role check of role-restricted routes: the project's own, else new.

    A project whose routes already admit callers by role through a dependency
    gets that dependency reused; only a project without one gets a
    `require_role` factory, in ``beside`` (the module of the current-user
    dependency it builds on) or else the layout's dependencies module.
    """
    names = ", ".join(code(r) for r in roles)
    found = existing_role_check(ctx)
    if found is not None:
        name, module = found
        plan.file(
            _module_file(ctx, module),
            "shared dependencies",
            f"Restrict the routes to {names} with the project's own "
            f"{code(name)} (from {code(module)}), as its other admin routes "
            "do; extend it to these roles if it checks another one, rather than "
            "adding a second role-check dependency.",
        )
        plan.ask(
            f"Does {code(name)} admit exactly the roles {names}? If it checks "
            "another role, extend it (or add a sibling beside it) instead of "
            "writing a new factory."
        )
        plan.practice("admin-route-dependencies")
        return
    plan.file(
        beside or ctx.layout.deps_module,
        "shared dependencies",
        f"Add a `require_role(*roles)` dependency factory (roles: {names}) that "
        "answers 403 for a caller without the role; attach it with "
        "`dependencies=[Depends(require_role(...))]`, on the `APIRouter` when "
        "every route of it needs the role.",
    )
    plan.practice("admin-route-dependencies")


def plan_scope_check(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the `SecurityScopes` check for scope-restricted routes."""
    dep = ctx.layout.current_user_dep or "get_current_user"
    if dep[:1].isupper():  # an `Annotated` alias: Security() takes the function
        dep = "get_current_user"
    plan.file(
        ctx.layout.deps_module,
        "shared dependencies",
        f"Check scopes with `Security({dep}, scopes=[...])` (the dependency "
        "function itself, not an `Annotated` alias) and a "
        "`SecurityScopes` parameter; answer 403 with `WWW-Authenticate: Bearer "
        'error="insufficient_scope", scope="..."` when one is missing.',
    )
    plan.practice("security-scopes")


def _reuse_role_check(
    ctx: Context, plan: PlanBuilder, found: tuple[str, str], *, router_file: str
) -> None:
    """Guard the routes as the project's do, through its own checking dependency.

    The routes run it, so the project signs callers in; what is unknown is
    how a handler reads the caller, which the dependency does not return.
    """
    name, module = found
    plan.file(
        router_file,
        "path operations",
        f"Require a signed-in caller as the project's routes do, with "
        f"{code(name)} (from {code(module)}) in the decorator's "
        "`dependencies=[...]`, admitting any signed-in caller; do not write a "
        "second guard.",
    )
    plan.ask(
        f"The routes admit callers through {code(name)} (from {code(module)}), "
        "and planner found no dependency that returns the signed-in user: how "
        "does a handler read the caller (a dependency, or `request.user` set by "
        f"a middleware)? Use that; add a `get_current_user` beside {code(name)} "
        f"in {code(ctx.layout.deps_module)} only if there is none."
    )


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
        plan.ask(
            f"Does {code(user_dep)} refuse inactive accounts, and with which "
            "status? The new routes answer as the existing dependency does: test "
            "that status rather than adding a second check."
        )
    elif (found := existing_role_check(ctx)) is not None:
        _reuse_role_check(ctx, plan, found, router_file=router_file)
    else:
        plan.file(
            layout.deps_module, "shared dependencies", *current_user_guidance(ctx)
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
        plan_scope_check(ctx, plan)
    if req.roles:
        plan_role_check(ctx, plan, req.roles)
    plan.habit("401-www-authenticate")
    plan.habit("annotated-dependencies")
