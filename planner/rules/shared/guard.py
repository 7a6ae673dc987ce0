"""Shared auth-guard rules: how any endpoint requires a signed-in caller.

CRUD resources, single endpoints and the auth kind all call these functions,
so a protected route answers the same 401/403 cases wherever it is planned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.engine.builder import Context, PlanBuilder
from planner.engine.knowledge import at_least
from planner.plan import ErrorCase
from planner.render.escape import code
from planner.rules.shared.params import (
    ANNOTATED_SINCE,
    annotated,
    depends,
    fastapi_at_least,
    param,
)
from planner.rules.shared.raises import raise_status, unauthorized
from planner.rules.shared.rolecheck import (
    existing_role_check,
    names_roles,
    plan_scope_check,
    reuse_role_check,
)
from planner.rules.shared.rolecheck import plan_role_check as plan_role_check
from planner.spec import AuthRequirement


@dataclass(frozen=True, slots=True)
class Credential:
    """What a caller presents, and the challenge its 401 carries."""

    label: str
    noun: str
    rejected: str
    challenge: str
    inactive: str | None
    # The status a missing or rejected credential is answered with.
    status: int = 401
    # The request parameters the guard declares, which every route takes
    # (``query:workspace_id:UUID4:required``, see `guard_params`).
    params: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True)
class RouteGuard:
    """The project's guard a new route runs, as the project model read it."""

    name: str
    module: str
    kind: str
    file: str
    reads: tuple[str, ...]
    challenge: str
    refuses: tuple[str, ...]
    automatic: bool
    returns: str
    written: str
    # An OAuth2 bearer class answers a missing token with 401 first.
    oauth2: bool = False
    # What its own code raises first without a credential (0: not known).
    missing: int = 0
    params: tuple[str, ...] = ()


def route_guard(ctx: Context) -> RouteGuard | None:
    """The guard the routes the new ones are modelled on run, if any."""
    if ctx.targets is None or not ctx.targets.convention("guard"):
        return None
    found = ctx.targets.convention
    name, _, module = found("guard").partition(" (")
    return RouteGuard(
        name=name,
        module=module.rstrip(")"),
        kind=found("guard_kind"),
        file=found("guard_file"),
        reads=tuple(r for r in found("guard_reads").split("|") if r),
        challenge=found("guard_challenge"),
        refuses=tuple(s for s in found("guard_refuses").split(",") if s),
        automatic=found("guard_automatic") == "yes",
        returns=found("guard_returns"),
        written=found("guard_written"),
        oauth2=found("guard_oauth2") == "yes",
        missing=int(found("guard_missing") or 0),
        params=tuple(p for p in found("guard_params").split("|") if p),
    )


# FastAPI's security classes answer a missing credential with 401 from here.
_SECURITY_401_SINCE = "0.122.0"


def _carrier_label(read: str) -> str:
    """``header:X-API-KEY`` -> "`X-API-KEY` header"."""
    kind, _, name = read.partition(":")
    if kind == "bearer":
        return "bearer token"
    if kind == "basic":
        return "HTTP Basic credentials"
    if kind == "cookie":
        return f"session cookie {code(name)}" if name else "session cookie"
    where = {"header": "header", "query": "query parameter"}[kind]
    return f"{code(name)} {where}" if name else f"{kind} key"


def _refusal_status(ctx: Context, guard: RouteGuard) -> int:
    """The status the guard refuses a caller without a credential with.

    The status its own code raises on the way a caller without a credential
    takes, where that way is known; else any it raises (401 first); else
    FastAPI's security class answers, 403 before FastAPI 0.122.0; else 401.
    """
    if guard.missing:
        return guard.missing
    if "401" in guard.refuses:
        return 401
    if "403" in guard.refuses:
        return 403
    if guard.automatic and not fastapi_at_least(ctx, _SECURITY_401_SINCE):
        return 403
    return 401


def _missing_is_401(ctx: Context, guard: RouteGuard) -> bool:
    """Whether FastAPI's own security class answers a missing credential with 401."""
    if "401" in guard.refuses or guard.missing == 401:
        return False
    return guard.oauth2 or (
        guard.automatic and fastapi_at_least(ctx, _SECURITY_401_SINCE)
    )


def _version_caveat(ctx: Context, guard: RouteGuard) -> str:
    """Where FastAPI's version is not known, which status a missing token gets."""
    installed = dict(ctx.layout.versions).get("fastapi")
    if guard.oauth2 or at_least(installed, _SECURITY_401_SINCE) is not None:
        return ""
    return f" (from FastAPI {_SECURITY_401_SINCE}; 403 before it)"


def _project_credential(ctx: Context, guard: RouteGuard) -> Credential:
    """The credential the project's own guard reads, and how it refuses it."""
    status = _refusal_status(ctx, guard)
    name = code(guard.name)
    # Scopes ride on tokens; a key or a session lacks them as itself.
    kinds = {r.partition(":")[0] for r in guard.reads}
    noun = "key" if kinds and kinds <= {"header", "query"} else "token"
    noun = "session" if kinds == {"cookie"} else noun
    if guard.reads == ("bearer",):
        label, rejected, noun = BEARER.label, BEARER.rejected, BEARER.noun
    elif guard.reads:
        label = " or ".join(_carrier_label(r) for r in guard.reads)
        rejected = f"no {label}, or {name} does not accept it"
    elif guard.written.startswith("@"):
        # It reads no credential itself: the app's authentication middleware
        # sets `request.user` before any route runs.
        label = "the credential the app's authentication middleware accepts"
        rejected = "the caller is not authenticated"
    else:
        label = f"the credential {name} reads"
        rejected = f"{name} finds no valid credential"
    challenge = guard.challenge
    if not challenge and guard.reads == ("bearer",):
        challenge = "Bearer"  # RFC 6750 §3; FastAPI's bearer classes write it
    also = "403" in guard.refuses and status == 401
    if _missing_is_401(ctx, guard) and status == 403:
        # FastAPI's security class answers a missing token before the
        # project's code runs; the 403 is the project's for a bad token.
        return Credential(
            label=label,
            noun=noun,
            rejected=f"no {label}{_version_caveat(ctx, guard)}",
            challenge=challenge,
            inactive=f"the {noun} is malformed, expired or badly signed: "
            f"{name} refuses it with 403",
            status=401,
        )
    return Credential(
        label=label,
        noun=noun,
        rejected=rejected,
        challenge=challenge if status == 401 else "",
        inactive=f"the caller is identified but {name} refuses them" if also else None,
        status=status,
    )


def guard_params(params: tuple[str, ...]) -> tuple[tuple[str, str, str, bool], ...]:
    """``(name, where, type, required)`` of each parameter the guard declares.

    ``where`` is ``query``, ``path``, or ``path or query`` for a plain
    parameter, which FastAPI reads from the path where it has ``{name}``.
    """
    found = []
    for item in params:
        source, name, typed, required = [*item.split(":", 3), "", "", ""][:4]
        where = "path or query" if source == "plain" else source
        found.append((name, where, typed, required == "required"))
    return tuple(found)


def params_text(params: tuple[str, ...]) -> str:
    """The guard's parameters, as a contract lists them ("" when none)."""
    parts = []
    for name, where, typed, required in guard_params(params):
        need = "required" if required else "optional"
        of = f" ({code(typed)})" if typed else ""
        parts.append(f"the {need} {code(name)} {where} parameter{of}")
    return ", ".join(parts)


def guard_credential(ctx: Context) -> Credential:
    """Return the credential a protected route of this project checks.

    The project's own guard decides what a caller presents (a session
    cookie, an API key header, a bearer token) and how it refuses one, as
    far as its code shows; a project guard planner could not follow is named
    rather than assumed to read a bearer token. Only a project without a
    guard gets the bearer token the plan adds.
    """
    guard = route_guard(ctx)
    if guard is not None:
        found = _project_credential(ctx, guard)
        return replace(found, params=guard.params) if guard.params else found
    own = ctx.layout.current_user_dep or (existing_role_check(ctx) or ("",))[0]
    if own:
        return _project_credential(
            ctx, RouteGuard(own, "", "", "", (), "", (), False, "", "")
        )
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
    if credential.params:
        parts.append(params_text(credential.params))
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
    challenge = credential.challenge
    cases = [
        ErrorCase(
            status=credential.status,
            when=credential.rejected,
            headers=(f"WWW-Authenticate: {challenge}",) if challenge else (),
        )
    ]
    if credential.inactive:
        cases.append(ErrorCase(status=403, when=credential.inactive))
    for name, where, typed, required in guard_params(credential.params):
        # FastAPI validates the guard's parameters as the route's own; a plain
        # one is the path's own where the path has it, and is not listed.
        bad = [
            *(["missing"] if required else []),
            *([f"not a valid {code(typed)}"] if typed not in ("", "str") else []),
        ]
        if where != "path or query" and bad:
            cases.append(
                ErrorCase(
                    status=422,
                    when=f"the {where} parameter {code(name)} the guard reads "
                    f"is {' or '.join(bad)}",
                )
            )
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
            f"Add `get_api_client`: {reads[scheme]}; "
            f"{unauthorized(ctx, 'APIKey')} when any step fails.",
            _share(ctx, "CurrentClient", "ApiKey", "get_api_client", "client"),
        )
    return (
        f"Add `get_current_user`: {reads[scheme]}; {unauthorized(ctx, 'Bearer')} "
        f"when any step fails, and {raise_status(ctx, 403, '403')} when the "
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


def guard_param(ctx: Context) -> str:
    """The parameter a new route takes the caller through, as the project writes it.

    The exemplar's own parameter where its routes take the guard as one
    (``role: WorkspaceUserRole``, ``user: UserModel = Depends(Authenticated())``);
    else the guard with the type it returns; else the `CurrentUser` the
    plan's guard adds (before FastAPI 0.95, the function it wraps).
    """
    guard = route_guard(ctx)
    if guard is not None and guard.written.startswith("@"):
        # A decorator guard gives no value: the handler reads `request.user`.
        return "request: Request"
    if guard is not None and guard.written and not _applied(guard.written):
        return guard.written
    if guard is not None and guard.returns:
        return param(ctx, "user", guard.returns, "Depends", args=guard.name)
    user = ctx.layout.current_user_dep or "CurrentUser"
    if user[:1].isupper() and not ctx.layout.current_user_dep:
        user = user if annotated(ctx) else "get_current_user"
    return depends(ctx, "user", "User", user)


def _applied(written: str) -> bool:
    """Whether routes apply a guard, not take it as a parameter.

    In ``dependencies=[...]`` or as a decorator (``@requires([...])``).
    """
    return written.startswith(("Depends(", "Security(", "@"))


def _reuse_guard(
    ctx: Context, plan: PlanBuilder, guard: RouteGuard, *, router_file: str
) -> None:
    """Guard the routes as the routes they are modelled on are guarded.

    With no ``router_file``, only the questions: the routes' role check says
    how they are guarded.
    """
    where = f" (from {code(guard.module)})" + (
        f", defined in {code(guard.file)}," if guard.file else ""
    )
    if guard.written.startswith("@"):
        how = (
            f"decorate each route with {code(guard.written)} below its route "
            "decorator, as they do, and read the caller from `request.user`"
        )
    elif guard.written and not _applied(guard.written):
        how = f"take {code(guard.written)} as they do"
    elif guard.written:
        how = f"put {code(guard.written)} in the decorator's `dependencies=[...]`"
    else:
        how = (
            "put it in the router's or the decorator's `dependencies=[...]` as they do"
        )
    takes = (
        f" It declares {params_text(guard.params)}, which FastAPI "
        "reads from every route it runs on (422 when invalid): the new routes "
        "take it too, as their tests must send it."
        if guard.params
        else ""
    )
    if router_file:
        plan.file(
            router_file,
            "path operations",
            f"Require a signed-in caller with the project's existing "
            f"{code(guard.name)}{where} as the routes they follow do: {how}; do "
            f"not write a second guard.{takes}",
        )
    if guard.written.startswith("@"):
        plan.ask(
            "Which credential does the app's authentication middleware (its "
            "`AuthenticationBackend`) accept, and does it refuse inactive "
            "accounts? The tests sign callers in that way."
        )
        return
    if guard.kind == "current-user":
        plan.ask(
            f"Does {code(guard.name)} refuse inactive accounts, and with which "
            "status? The new routes answer as the existing dependency does: test "
            "that status rather than adding a second check."
        )
    else:
        plan.ask(
            f"The routes admit callers through {code(guard.name)}, which is not "
            "named for a user: does it identify the caller the handlers act for "
            "(an owner of what they create)? If not, add a `get_current_user` "
            f"beside it rather than a second way to sign in."
        )
    if not guard.reads:
        plan.ask(
            f"Planner could not follow what {code(guard.name)} reads from a "
            "request: which credential does a caller present (cookie, header, "
            "token), and which status refuses one? Write the 401/403 tests to match."
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
    guard = route_guard(ctx)
    if guard is not None:
        # A role check called with the roles is written below, with the spec's.
        by_role = bool(req.roles) and guard.kind == "role-check"
        _reuse_guard(ctx, plan, guard, router_file="" if by_role else router_file)
    elif user_dep:
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
    role_check = existing_role_check(ctx)
    if req.scopes and role_check and names_roles(role_check[0], req.scopes):
        # The project admits these callers by a check named for the scope
        # (`get_current_super_admin` for `superadmin`): no scope machinery.
        reuse_role_check(plan, role_check, req.scopes, router_file=router_file)
    elif req.scopes:
        plan_scope_check(ctx, plan)
    if req.roles:
        plan_role_check(ctx, plan, req.roles, router_file=router_file)
    if guard is None or guard.automatic:
        # The version caveat is about FastAPI's own classes: a guard that
        # reads none of them answers as its code says in every version.
        plan.habit("401-www-authenticate")
    plan.habit("annotated-dependencies")
