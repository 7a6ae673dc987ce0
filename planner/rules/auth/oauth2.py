"""The oauth2 scheme: sign in with GitHub, Google, ...; then the app's own tokens."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder
from planner.plan import Column, Diagram, Endpoint, ErrorCase, Index, Schema, Table
from planner.rules.auth.common import (
    NOW,
    AuthPaths,
    Scheme,
    me_endpoint,
    user_public,
    users_table,
)
from planner.rules.auth.tokens import (
    plan_refresh_routes,
    plan_token_modules,
    plan_token_tests,
    refresh_endpoints,
    refresh_table,
)
from planner.rules.shared.guard import BEARER, current_user_guidance
from planner.rules.shared.tables import id_column, user_fk
from planner.spec import AuthSpec

# How Authlib reaches each provider; OIDC providers publish discovery metadata.
_PROVIDERS = {
    "github": (
        'plain OAuth2 (no ID token): `authorize_url="https://github.com/login/'
        'oauth/authorize"`, `access_token_url="https://github.com/login/oauth/'
        'access_token"`, `api_base_url="https://api.github.com/"`, scope '
        "`read:user user:email`",
        "the numeric `id` from `GET /user` (never the login, which users can "
        "rename); the email is the `primary` and `verified` entry of "
        "`GET /user/emails`",
    ),
    "google": (
        'OpenID Connect: `server_metadata_url="https://accounts.google.com/'
        '.well-known/openid-configuration"`, scope `openid email profile`',
        "the ID token's `sub` (Authlib validates the ID token and its `nonce`); "
        "trust `email` only when `email_verified` is true",
    ),
    "microsoft": (
        'OpenID Connect: `server_metadata_url="https://login.microsoftonline.com/'
        '<tenant>/v2.0/.well-known/openid-configuration"`, scope `openid email '
        "profile`",
        "the ID token's `sub` for this app; treat its `email` claim as "
        "unverified and never link accounts by it",
    ),
    "gitlab": (
        'OpenID Connect: `server_metadata_url="https://gitlab.com/.well-known/'
        'openid-configuration"` (or your instance), scope `openid email profile`',
        "the ID token's `sub`; trust `email` only when `email_verified` is true",
    ),
    "other": (
        "its discovery URL (`server_metadata_url`) when it speaks OpenID Connect, "
        "otherwise its authorize, token and user-info URLs",
        "its stable, never-reassigned user id (`sub` for OpenID Connect)",
    ),
}


_DISPLAY = {
    "github": "GitHub",
    "google": "Google",
    "microsoft": "Microsoft",
    "gitlab": "GitLab",
    "other": "the provider",
}


def _provider(spec: AuthSpec) -> str:
    return spec.provider or "other"


def _endpoints(paths: AuthPaths, spec: AuthSpec) -> list[Endpoint]:
    name = _provider(spec)
    unknown = (
        "the identity is new and self-registration is on: the account is created"
        if spec.registration
        else "the identity is linked to no account and self-registration is off"
    )
    errors = [
        ErrorCase(
            status=400,
            when="`state` is missing or differs from the one stored in the session "
            "(forged or replayed callback), or `code` is missing",
        ),
        ErrorCase(status=403, when="the linked account is disabled"),
        ErrorCase(status=502, when="the provider's token or user-info call fails"),
    ]
    if not spec.registration:
        errors.insert(1, ErrorCase(status=403, when=unknown))
    return [
        Endpoint(
            method="GET",
            path=paths.url(f"/auth/{name}/login"),
            function=f"login_{name}",
            summary=f"Start signing in with {_DISPLAY[name]}",
            success_status=302,
            success_headers=(
                "Location: <provider authorize URL with state, code_challenge "
                "and code_challenge_method=S256>",
            ),
            auth="none",
            idempotent=True,
        ),
        Endpoint(
            method="GET",
            path=paths.url(f"/auth/{name}/callback"),
            function=f"auth_{name}_callback",
            summary=f"Finish signing in with {_DISPLAY[name]} and issue the "
            "app's tokens",
            success_status=303,
            success_headers=(
                "Location: the front end's URL from settings (no token in it)",
                "Set-Cookie: access_token (HttpOnly; Secure; SameSite=Lax)",
            ),
            auth="none",
            idempotent=False,
            errors=tuple(errors),
        ),
        *refresh_endpoints(paths, spec, "cookie"),
        me_endpoint(paths, spec),
    ]


def _schemas(paths: AuthPaths, spec: AuthSpec) -> list[Schema]:
    return [user_public(paths, spec, email_required=False)]


def _tables(paths: AuthPaths, spec: AuthSpec) -> list[Table]:
    users = users_table(
        paths,
        spec,
        extra=(
            Column(
                name="email",
                type="String(320)",
                nullable=True,
                constraints=("as verified by the provider at sign-up",),
            ),
            Column(name="display_name", type="String(200)", nullable=True),
        ),
    )
    accounts = Table(
        name="oauth_accounts",
        model="OAuthAccount",
        columns=(
            id_column(paths.id_type),
            user_fk("user_id", paths.id_type),
            Column(name="provider", type="String(32)", nullable=False),
            Column(
                name="provider_user_id",
                type="String(255)",
                nullable=False,
                constraints=("the provider's stable id",),
            ),
            Column(
                name="created_at",
                type="DateTime(timezone=True)",
                nullable=False,
                constraints=NOW,
            ),
        ),
        indexes=(
            Index(
                name="uq_oauth_accounts_provider_provider_user_id",
                columns=("provider", "provider_user_id"),
                unique=True,
                reason="one link per provider identity",
            ),
            Index(
                name="ix_oauth_accounts_user_id",
                columns=("user_id",),
                reason="list or remove a user's links",
            ),
        ),
    )
    found = [users, accounts]
    if spec.refresh_tokens:
        found.append(refresh_table(paths.id_type))
    return found


def _plan_modules(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    name = _provider(spec)
    upper = name.upper()
    connect, identity = _PROVIDERS[name]
    plan.file(
        paths.settings,
        "settings",
        f"`{upper}_CLIENT_ID`, `{upper}_CLIENT_SECRET: SecretStr`, "
        "`SESSION_SECRET_KEY: SecretStr` (for the short-lived sign-in session) "
        "and `FRONTEND_URL`, the only place a finished sign-in redirects to.",
    )
    plan.file(
        paths.main,
        "application setup",
        "`app.add_middleware(SessionMiddleware, secret_key=..., https_only=True, "
        'same_site="lax", max_age=600)`: the session holds only `state`, the '
        "PKCE verifier and `nonce` during the round trip (needs `itsdangerous`).",
        "Behind a proxy, run with forwarded headers trusted (`--forwarded-allow-"
        "ips`) so `request.url_for(...)` builds the `https` callback URL the "
        "provider has registered.",
    )
    plan.file(
        paths.security,
        "provider client and tokens",
        f'One Authlib `OAuth()` client: `oauth.register(name="{name}", '
        f'client_id=..., client_secret=..., client_kwargs={{"scope": ..., '
        f'"code_challenge_method": "S256"}})`, reaching {_DISPLAY[name]} '
        f"through {connect}.",
    )
    plan_token_modules(ctx, plan, spec, paths, "cookie")
    plan.file(
        paths.auth_service,
        "sign-in and token rotation",
        f"`sign_in_with_provider(session, profile)`: identify the person by "
        f"{identity}; find the `oauth_accounts` row for (provider, that id)"
        + (
            "; when there is none, create the user and the link"
            if spec.registration
            else "; when there is none, refuse with 403 (accounts are invited)"
        )
        + ". Never link to an existing user because an email matches: linking "
        "happens only from a signed-in session.",
        "Do not store the provider's access or refresh token: it is needed only "
        "to read the profile during the callback. If a feature must call the "
        "provider later, store its refresh token encrypted (`cryptography`'s "
        "Fernet, key from settings).",
    )
    plan.file(paths.deps, "shared dependencies", *current_user_guidance(ctx, "oauth2"))
    plan.file(
        paths.deps,
        "shared dependencies",
        "Cookies are sent automatically, so cookie-authenticated writes need "
        "CSRF defences: `SameSite=Lax` stops cross-site POSTs in current "
        "browsers, FastAPI rejects JSON bodies without a JSON `Content-Type`, "
        "and any form-encoded write needs a double-submit token.",
    )
    router = paths.auth_router
    plan.file(
        router,
        "sign-in routes",
        f"`login_{name}` — `GET {paths.url(f'/auth/{name}/login')}`: "
        f"`oauth.{name}.authorize_redirect(request, request.url_for("
        f'"auth_{name}_callback"))`; Authlib stores `state` and the PKCE '
        "verifier in the session.",
        f"`auth_{name}_callback` — `GET {paths.url(f'/auth/{name}/callback')}`: "
        f"`await oauth.{name}.authorize_access_token(request)` sends the verifier "
        "and raises Authlib's `MismatchingStateError` on a bad `state`: catch it "
        "and answer 400 (uncaught, it is a 500); fetch the profile; sign in; "
        "set the app's cookies and answer 303 to `FRONTEND_URL`. A user who "
        "cancels at the provider comes back with `error=access_denied`: redirect "
        "to the front end's sign-in page with that reason instead.",
        "Never put tokens in a redirect URL (they leak through history and "
        "`Referer`), and never redirect to a URL taken from the request.",
    )
    plan_refresh_routes(plan, spec, paths, "cookie")
    plan.practice("oauth2-state-pkce")
    plan.practice("cors-explicit-origins")
    plan.practice("strict-content-type")
    if name == "other":
        plan.ask(
            "Which provider is it, and does it publish OpenID Connect discovery "
            "metadata? The plan assumes the authorization-code flow with PKCE."
        )


def _diagram(paths: AuthPaths, spec: AuthSpec) -> Diagram:
    name = _provider(spec)
    return Diagram(
        title=f"sign-in with {name}",
        mermaid="\n".join(
            [
                "sequenceDiagram",
                "    participant B as Browser",
                "    participant A as API",
                f"    participant P as {name}",
                f"    B->>A: GET {paths.url(f'/auth/{name}/login')}",
                "    A->>A: store state + PKCE verifier in the session",
                "    A-->>B: 302 to P (state, code_challenge, S256)",
                "    B->>P: sign in and consent",
                f"    P-->>B: 302 to {paths.url(f'/auth/{name}/callback')}?code&state",
                "    B->>A: GET callback (code, state)",
                "    alt state missing or different",
                "        A-->>B: 400",
                "    else state matches",
                "        A->>P: exchange code + code_verifier",
                "        P-->>A: provider token",
                "        A->>P: read the profile (stable id, verified email)",
                "        A->>A: find or create user via oauth_accounts",
                "        A-->>B: 303 to FRONTEND_URL, Set-Cookie app tokens",
                "    end",
            ]
        ),
    )


def _plan_tests(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    del ctx
    name = _provider(spec)
    cases = [
        (
            f"test_login_{name}_302",
            "→ 302 to the provider with `state`, `code_challenge`, "
            "`code_challenge_method=S256` and the registered "
            "`redirect_uri`",
        ),
        (
            f"test_auth_{name}_callback_400_bad_state",
            "a callback whose `state` differs from the session's → 400 "
            "and no user is created",
        ),
        (
            f"test_auth_{name}_callback_303",
            "with the provider exchange overridden to return a profile: "
            "303 to the front end, `Set-Cookie` HttpOnly, Secure, "
            "SameSite=Lax, and no token in `Location`",
        ),
        (
            f"test_auth_{name}_callback_same_identity",
            "a second sign-in with the same provider id → the same user, no new rows",
        ),
        (
            f"test_auth_{name}_callback_email_not_linked",
            "a new identity whose email equals an existing user's → not "
            "linked to that user",
        ),
        (
            f"test_auth_{name}_callback_502_upstream_error",
            "the token exchange fails → 502",
        ),
        (
            f"test_auth_{name}_callback_403_inactive",
            "the linked account is disabled → 403",
        ),
    ]
    if not spec.registration:
        cases.append(
            (
                f"test_auth_{name}_callback_403_registration_closed",
                "registration is off: an unlinked identity → 403",
            )
        )
    for test, checks in cases:
        plan.test(paths.tests, test, checks)
    plan_token_tests(plan, spec, paths, "cookie")


SCHEME = Scheme(
    credential=lambda spec: BEARER,
    summary="sign-in with an external provider through the authorization-code "
    "flow with `state` and PKCE, identities linked to local users, then the "
    "app's own tokens",
    endpoints=_endpoints,
    schemas=_schemas,
    tables=_tables,
    plan_modules=_plan_modules,
    diagram=_diagram,
    plan_tests=_plan_tests,
    packages=("authlib", "httpx", "itsdangerous", "pyjwt"),
)
