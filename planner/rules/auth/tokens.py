"""The app's own tokens: PyJWT access tokens and rotating refresh tokens.

Password sign-in and external-provider sign-in both end by issuing these, so
both plans call the same functions.
"""

from __future__ import annotations

import re
from typing import Literal

from planner.engine.builder import Context, PlanBuilder
from planner.plan import Column, Endpoint, ErrorCase, Index, Schema, SchemaField, Table
from planner.rules.auth.common import NOW, AuthPaths
from planner.rules.shared.guard import BEARER
from planner.rules.shared.tables import id_column, user_fk
from planner.spec import AuthSpec

Transport = Literal["body", "cookie"]
REFRESH_REJECTED = ErrorCase(
    status=401,
    when="the refresh token is unknown, expired or revoked; presenting one that "
    "was already rotated also revokes every token of its family (reuse "
    "detection)",
    headers=(f"WWW-Authenticate: {BEARER.challenge}",),
)


def token_schema(spec: AuthSpec, transport: Transport) -> Schema:
    """Return the `Token` response of sign-in and refresh."""
    fields = [
        SchemaField(name="access_token", type="str", required=True),
        SchemaField(
            name="token_type",
            type='Literal["bearer"]',
            required=True,
            constraints="bearer",
        ),
        SchemaField(
            name="expires_in",
            type="int",
            required=True,
            constraints=f"seconds; {spec.access_token_minutes * 60}",
        ),
    ]
    if spec.refresh_tokens and transport == "body":
        fields.append(SchemaField(name="refresh_token", type="str", required=True))
    return Schema(
        name="Token",
        role="response body of sign-in and refresh",
        fields=tuple(fields),
        notes="the OAuth2 token response shape, which Swagger UI understands",
    )


def refresh_table(id_type: str = "int") -> Table:
    """Return the `refresh_tokens` table: hashes, families and revocation."""
    dt = "DateTime(timezone=True)"
    return Table(
        name="refresh_tokens",
        model="RefreshToken",
        columns=(
            id_column(id_type),
            user_fk("user_id", id_type),
            Column(
                name="family_id",
                type="Uuid",
                nullable=False,
                constraints=("shared by every rotation of one sign-in",),
            ),
            Column(
                name="token_hash",
                type="String(64)",
                nullable=False,
                constraints=("SHA-256 hex; the token itself is never stored",),
            ),
            Column(name="expires_at", type=dt, nullable=False),
            Column(name="revoked_at", type=dt, nullable=True),
            Column(
                name="replaced_by_id",
                type="Uuid" if id_type == "uuid" else "Integer",
                nullable=True,
                constraints=("FK → refresh_tokens.id",),
            ),
            Column(name="created_at", type=dt, nullable=False, constraints=NOW),
        ),
        indexes=(
            Index(
                name="uq_refresh_tokens_token_hash",
                columns=("token_hash",),
                unique=True,
                reason="look a presented token up by its hash",
            ),
            Index(
                name="ix_refresh_tokens_family_id",
                columns=("family_id",),
                reason="revoke a whole family on reuse or sign-out",
            ),
            Index(
                name="ix_refresh_tokens_user_id",
                columns=("user_id",),
                reason="revoke every session of a user (password change)",
            ),
        ),
    )


def refresh_endpoints(
    paths: AuthPaths, spec: AuthSpec, transport: Transport
) -> list[Endpoint]:
    """Return `POST /auth/refresh` and `POST /auth/logout` when refresh is on."""
    if not spec.refresh_tokens:
        return []
    body = transport == "body"
    invalid = (
        [ErrorCase(status=422, when="the body has no `refresh_token` string")]
        if body
        else []
    )
    return [
        Endpoint(
            method="POST",
            path=paths.url("/auth/refresh"),
            function="refresh_tokens",
            summary="Exchange a refresh token for a new token pair",
            request_schema="RefreshRequest" if body else None,
            # With cookies the tokens never appear in a body scripts can read.
            response_schema="Token" if body else None,
            success_status=200 if body else 204,
            success_headers=()
            if body
            else ("Set-Cookie: access_token and refresh_token, rotated",),
            auth="refresh token",
            idempotent=False,
            errors=(REFRESH_REJECTED, *invalid),
        ),
        Endpoint(
            method="POST",
            path=paths.url("/auth/logout"),
            function="logout",
            summary="Revoke the refresh token's whole family",
            request_schema="RefreshRequest" if body else None,
            success_status=204,
            success_headers=() if body else ("Set-Cookie: both cookies cleared",),
            auth="refresh token",
            idempotent=True,
            errors=tuple(invalid),
        ),
    ]


# The settings a token scheme needs, and the names a project may already
# give them (`JWT_SECRET_KEY`, `ALGORITHM`, `JWT_EXPIRE_MINUTES`).
_SETTINGS = (
    ("secret", "SECRET_KEY", r"(?:JWT_|TOKEN_|AUTH_)?SECRET(?:_KEY)?|JWT_SECRET\w*"),
    ("algorithm", "JWT_ALGORITHM", r"(?:JWT_)?ALGORITHM"),
    ("access", "ACCESS_TOKEN_EXPIRE_MINUTES", r"(?:ACCESS_TOKEN|JWT)_EXPIRE\w*"),
    ("refresh", "REFRESH_TOKEN_EXPIRE_DAYS", r"REFRESH_TOKEN_EXPIRE\w*"),
)


def setting_names(paths: AuthPaths) -> dict[str, tuple[str, bool]]:
    """Each token setting's name, and whether the project declares it already."""
    out: dict[str, tuple[str, bool]] = {}
    for key, name, pattern in _SETTINGS:
        rx = re.compile(pattern, re.IGNORECASE)
        found = next((f for f in paths.settings_fields if rx.fullmatch(f)), None)
        out[key] = (found, True) if found else (name, False)
    return out


def _settings_line(spec: AuthSpec, paths: AuthPaths) -> str:
    """What the settings module gains: the token settings it does not have."""
    names = setting_names(paths)
    minutes = spec.access_token_minutes
    wanted = [
        (
            "secret",
            "`{}: SecretStr` with no default (generate it with `openssl rand -hex 32`)",
        ),
        ("algorithm", '`{} = "HS256"`'),
        ("access", f"`{{}} = {minutes}`"),
    ]
    if spec.refresh_tokens:
        wanted.append(("refresh", f"`{{}} = {spec.refresh_token_days}`"))
    new = [form.format(names[k][0]) for k, form in wanted if not names[k][1]]
    kept = [f"`{names[k][0]}`" for k, _ in wanted if names[k][1]]
    parts = []
    if kept:
        parts.append(
            "Reuse the project's " + ", ".join(kept) + " rather than adding twins"
        )
    if new:
        parts.append(("add " if kept else "") + ", ".join(new))
    secret = names["secret"][0]
    text = "; ".join(parts)
    return (
        f"{text[:1].upper()}{text[1:]}; refuse to start outside development while "
        f"`{secret}` is a placeholder or has a default in code."
    )


def plan_token_modules(
    ctx: Context,
    plan: PlanBuilder,
    spec: AuthSpec,
    paths: AuthPaths,
    transport: Transport,
) -> None:
    """Plan settings, signing, rotation and the refresh routes."""
    minutes = spec.access_token_minutes
    plan.file(paths.settings, "settings", _settings_line(spec, paths))
    access = setting_names(paths)["access"][0]
    plan.file(
        paths.security,
        "password hashing and tokens",
        '`create_access_token(subject: str)`: `jwt.encode({"sub": str(user.id), '
        f'"exp": now + timedelta(minutes=settings.{access}), '
        '"iat": now}, key, algorithm="HS256")`; `sub` is the user id as a '
        "string, never the email (emails change).",
        "`decode_access_token(token)`: `jwt.decode(token, key, "
        'algorithms=["HS256"], options={"require": ["exp", "sub"]})`; any '
        "`jwt.InvalidTokenError` (expiry, signature, missing claim, `alg: none`) "
        "means 401.",
    )
    plan.practice("jwt-pyjwt")
    plan.practice("secrets-not-in-code")
    plan.practice("settings-pydantic-settings")
    if not spec.refresh_tokens:
        plan.note(
            "security",
            f"Access tokens live {minutes} minutes and cannot be revoked before "
            "they expire: without refresh tokens the user signs in again after "
            "that. Keep the lifetime short, and load the user on every request "
            "so a disabled account is refused at once.",
            key="no-refresh-tokens",
        )
        return
    stateless = ctx.targets is not None and ctx.targets.slot("stateless_refresh")
    if stateless:
        _plan_stateless_refresh(plan, spec, paths)
        return
    plan.file(
        paths.security,
        "password hashing and tokens",
        "`new_refresh_token()`: `secrets.token_urlsafe(32)`; store only its "
        "SHA-256 hex digest (a fast hash is enough for 256 random bits, and it "
        "allows the lookup).",
    )
    plan.file(
        paths.auth_service,
        "sign-in and token rotation",
        "`issue_tokens(session, user)`: an access token plus a refresh-token row "
        "in a new family; return the plain refresh token once.",
        "`rotate(session, presented)`: load the row by hash `FOR UPDATE`. "
        "Unknown or expired → 401. Already revoked or replaced → reuse: revoke "
        "the whole family and answer 401 (a stolen token was used). Otherwise "
        "mark it replaced by a new row of the same family and return a new pair.",
        "`revoke_family(session, presented)` for sign-out, and "
        "`revoke_all(session, user_id)` when the password changes or the account "
        "is disabled; purge expired rows periodically.",
    )
    plan.practice("refresh-token-practice")


def _plan_stateless_refresh(
    plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    """Refresh tokens as JWTs from the project's own token helper: no table."""
    plan.file(
        paths.security,
        "password hashing and tokens",
        "Refresh tokens are JWTs from the existing helper, with "
        f'`"type": "refresh"` and `exp` {spec.refresh_token_days} days ahead; '
        'an access token carries `"type": "access"`, and each decoder refuses '
        "the other type.",
    )
    plan.file(
        paths.auth_service,
        "sign-in and token rotation",
        "`issue_tokens(user)`: an access and a refresh token for `str(user.id)`.",
        "`refresh(presented)`: decode it as a refresh token (any "
        "`jwt.InvalidTokenError` → 401), load the user (gone or disabled → "
        "401) and issue a new pair.",
    )
    plan.note(
        "security",
        "Refresh tokens are stateless JWTs signed like the project's access "
        "tokens: they cannot be revoked one by one before they expire. Store "
        "them (a `refresh_tokens` table with rotation) if sign-out or a stolen "
        "token must end a session at once.",
        key="stateless-refresh",
    )


def plan_refresh_routes(
    plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths, transport: Transport
) -> None:
    """Plan the refresh and sign-out routes (after the sign-in routes)."""
    if not spec.refresh_tokens:
        return
    where = "the JSON body" if transport == "body" else "an HttpOnly cookie"
    cookie = (
        ""
        if transport == "body"
        else " Read and set it as the `refresh_token` cookie (`HttpOnly; Secure; "
        "SameSite=Strict; Path=/auth`) so only these routes ever receive it."
    )
    plan.file(
        paths.token_router or paths.auth_router,
        "token routes" if paths.token_router else "sign-in routes",
        f"`refresh_tokens` — `POST {paths.url('/auth/refresh')}` → "
        + ("200 with a new pair" if transport == "body" else "204 with new cookies")
        + f"; the refresh token arrives in {where}.{cookie}",
        f"`logout` — `POST {paths.url('/auth/logout')}` → 204 whether or not the "
        "token was valid, so the endpoint reveals nothing.",
    )


def plan_token_tests(
    plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths, transport: Transport
) -> None:
    """Plan the token tests both sign-in schemes share."""
    tests = paths.tests
    cases = [
        (
            "test_access_token_claims",
            "decoded with the test key: `sub` is the user "
            "id as a string, and `exp` minus `iat` is the configured lifetime",
        ),
        (
            "test_expired_token_401",
            "a token whose `exp` has passed → 401 with `WWW-Authenticate: Bearer`",
        ),
        (
            "test_tampered_token_401",
            "a token signed with another key, or re-encoded with `alg: none` → 401",
        ),
        (
            "test_deleted_user_token_401",
            "a valid token whose user no longer exists → 401",
        ),
    ]
    if spec.refresh_tokens:
        cases += [
            (
                "test_refresh_rotates",
                "refresh → "
                + (
                    "200 with a new pair"
                    if transport == "body"
                    else "204 and new cookies"
                )
                + "; the old refresh token no longer works",
            ),
            (
                "test_refresh_reuse_revokes_family",
                "present a rotated token again "
                "→ 401, and the newest token of that family is revoked too",
            ),
            (
                "test_refresh_expired_401",
                f"a refresh token older than {spec.refresh_token_days} days → 401",
            ),
            (
                "test_logout_revokes",
                "logout → 204; refreshing with that family "
                "afterwards → 401; logout again → 204",
            ),
            (
                "test_refresh_token_stored_hashed",
                "the database holds a 64-character hex digest, never the token",
            ),
        ]
    for name, checks in cases:
        plan.test(tests, name, checks)
