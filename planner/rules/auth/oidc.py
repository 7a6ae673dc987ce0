"""The oidc scheme: verify an identity provider's tokens; no local passwords."""

from __future__ import annotations

import dataclasses

from planner.engine.builder import Context, PlanBuilder
from planner.plan import Column, Diagram, Endpoint, Index, Schema, Table
from planner.render.escape import code
from planner.rules.auth.common import (
    AuthPaths,
    Scheme,
    me_endpoint,
    user_public,
    users_table,
)
from planner.rules.shared.guard import BEARER, current_user_guidance
from planner.spec import AuthSpec


def _endpoints(paths: AuthPaths, spec: AuthSpec) -> list[Endpoint]:
    return [me_endpoint(paths, spec)]


def _schemas(paths: AuthPaths, spec: AuthSpec) -> list[Schema]:
    return [user_public(paths, spec, email_required=False, stores_role=False)]


def _tables(paths: AuthPaths, spec: AuthSpec) -> list[Table]:
    users = users_table(
        paths,
        spec,
        stores_role=False,
        extra=(
            Column(
                name="issuer",
                type="String(255)",
                nullable=False,
                constraints=("the token's iss",),
            ),
            Column(
                name="subject",
                type="String(255)",
                nullable=False,
                constraints=("the token's sub: the identity",),
            ),
            Column(
                name="email",
                type="String(320)",
                nullable=True,
                constraints=("informational; never an identity key",),
            ),
        ),
    )
    index = Index(
        name="uq_users_issuer_subject",
        columns=("issuer", "subject"),
        unique=True,
        reason="one local user per identity; makes first-sight provisioning race-safe",
    )
    return [dataclasses.replace(users, indexes=(index,))]


def _plan_modules(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    issuer = code(spec.issuer) if spec.issuer else "the provider's issuer URL"
    audience = code(spec.audience) if spec.audience else "this API's identifier"
    plan.file(
        paths.settings,
        "settings",
        f"`OIDC_ISSUER` ({issuer}), `OIDC_AUDIENCE` ({audience}), "
        '`OIDC_ALGORITHMS = ["RS256"]` (what the provider signs with; never '
        "taken from the token header) and `JWKS_CACHE_SECONDS = 300`.",
    )
    plan.file(
        paths.main,
        "application setup",
        "In the `lifespan`, fetch `{issuer}/.well-known/openid-configuration` "
        "once (httpx, with a timeout), check that its `issuer` equals the "
        "setting, and build one `PyJWKClient(jwks_uri, cache_keys=True, "
        "lifespan=settings.JWKS_CACHE_SECONDS)` kept on `app.state`.",
    )
    plan.file(
        paths.security,
        "token verification",
        "`verify_token(token)`: `key = jwks_client.get_signing_key_from_jwt(token)`"
        " then `jwt.decode(token, key.key, algorithms=settings.OIDC_ALGORITHMS, "
        "audience=settings.OIDC_AUDIENCE, issuer=settings.OIDC_ISSUER, "
        'options={"require": ["exp", "iat", "iss", "aud", "sub"]}, '
        "leeway=30)`; `PyJWKClientError` and `InvalidTokenError` both mean 401.",
        "`PyJWKClient` fetches with blocking `urllib` on a cache miss (an unknown "
        "`kid` after key rotation triggers one): call it from a plain `def` "
        "dependency or through `run_in_threadpool`, never inside `async def`.",
        "Accept access tokens issued for this API (`aud` is the API), never the "
        "ID token a front end received for itself (`aud` is its client id).",
    )
    plan.file(paths.deps, "shared dependencies", *current_user_guidance(ctx, "oidc"))
    plan.file(
        paths.user_service,
        "user data access",
        "`get_or_create_user(session, claims)`: select by (`iss`, `sub`); insert "
        "on first sight, and on `IntegrityError` (a concurrent first request) "
        "select again. Refresh `email` from the claims, but never look users up "
        "by it.",
    )
    roles = (
        f"map the provider's role or group claim to {', '.join(spec.roles)}"
        if spec.roles
        else "read scopes from `scope` (space-separated) or `scp`"
    )
    plan.file(
        paths.deps,
        "shared dependencies",
        f"Authorisation comes from the token: {roles}; the claim's name differs "
        "between providers, so keep the mapping in one function.",
    )
    plan.file(
        paths.main,
        "application setup",
        "For Swagger UI sign-in, declare `OAuth2AuthorizationCodeBearer(...)` "
        "with the provider's endpoints and pass `swagger_ui_init_oauth="
        '{"clientId": ..., "usePkceWithAuthorizationCodeGrant": True}`; it only '
        "documents the flow, verification stays in `verify_token`.",
    )
    plan.practice("oidc-verify-jwks")
    plan.practice("async-def-blocking")
    plan.practice("settings-pydantic-settings")
    if not spec.issuer:
        plan.ask("Which issuer URL (the provider's `iss`) should tokens come from?")
    if not spec.audience:
        plan.ask(
            "What `aud` value does the provider put in access tokens for this API?"
        )
    if spec.roles:
        plan.ask(
            "Which claim carries roles (`roles`, `groups`, `realm_access.roles`, "
            "...) and how do its values map to the roles of this plan?"
        )


def _diagram(paths: AuthPaths, spec: AuthSpec) -> Diagram:
    del spec
    return Diagram(
        title="OIDC token flow",
        mermaid="\n".join(
            [
                "sequenceDiagram",
                "    participant U as User (browser app)",
                "    participant I as Identity provider",
                "    participant A as API",
                "    U->>I: authorization code + PKCE sign-in",
                "    I-->>U: access token (aud = this API)",
                f"    U->>A: GET {paths.url('/users/me')} (Authorization: Bearer)",
                "    A->>A: kid in cached JWKS?",
                "    opt unknown kid (key rotation)",
                "        A->>I: GET jwks_uri",
                "    end",
                "    A->>A: verify signature, iss, aud, exp",
                "    alt invalid",
                "        A-->>U: 401 WWW-Authenticate: Bearer",
                "    else valid",
                "        A->>A: get or create user by (iss, sub)",
                f"        A-->>U: 200 {paths.user_read}",
                "    end",
            ]
        ),
    )


def _plan_tests(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    del ctx
    cases = [
        (
            "test_valid_token_200",
            "a token signed with the test RSA key (served through an "
            "overridden key-resolver dependency) → 200",
        ),
        (
            "test_first_sight_provisions_once",
            "two first requests for one `sub` → one user row",
        ),
        (
            "test_expired_token_401",
            "`exp` in the past beyond the leeway → 401 with `WWW-Authenticate: Bearer`",
        ),
        (
            "test_wrong_audience_401",
            "a token for another audience (such as an ID token) → 401",
        ),
        ("test_wrong_issuer_401", "a token from another issuer → 401"),
        (
            "test_algorithm_confusion_401",
            "an HS256 token signed with the public key, and an `alg: none` token → 401",
        ),
        (
            "test_unknown_kid_401",
            "a token whose `kid` is in no JWKS → 401, after one refetch",
        ),
    ]
    if spec.roles:
        cases.append(
            (
                "test_missing_role_403",
                "a valid token without the needed role claim → 403",
            )
        )
    for name, checks in cases:
        plan.test(paths.tests, name, checks)


SCHEME = Scheme(
    credential=lambda spec: BEARER,
    summary="sign-in at an external OpenID Connect provider; the API verifies "
    "its tokens against the provider's cached JWKS and keeps no passwords",
    endpoints=_endpoints,
    schemas=_schemas,
    tables=_tables,
    plan_modules=_plan_modules,
    diagram=_diagram,
    plan_tests=_plan_tests,
    packages=("pyjwt[crypto]", "httpx"),
)
