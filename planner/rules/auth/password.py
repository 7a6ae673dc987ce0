"""The password-jwt scheme: OAuth2 password flow, Argon2 hashes, PyJWT tokens."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder
from planner.plan import (
    Column,
    Diagram,
    Endpoint,
    ErrorCase,
    Schema,
    SchemaField,
    Table,
)
from planner.render.escape import code
from planner.rules.auth.common import (
    AuthPaths,
    Scheme,
    create_status,
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
    token_schema,
)
from planner.rules.shared.guard import BEARER, current_user_guidance
from planner.rules.shared.params import param
from planner.rules.shared.raises import (
    base_conflict_guidance,
    project_error,
    raise_status,
    unauthorized,
)
from planner.rules.shared.throttle import plan_rate_limit, rate_limit_error
from planner.spec import AuthSpec

_WRONG_CREDENTIALS = ErrorCase(
    status=401,
    when="the email is unknown or the password is wrong: one message and the "
    "same timing for both (a dummy hash is verified for unknown emails)",
    headers=("WWW-Authenticate: Bearer",),
)


def _endpoints(paths: AuthPaths, spec: AuthSpec) -> list[Endpoint]:
    limit = rate_limit_error(spec.login_rate_limit, per="client IP and email")
    found: list[Endpoint] = []
    if spec.registration:
        found.append(
            Endpoint(
                method="POST",
                path=paths.register,
                function=paths.signup_function,
                summary="Create an account with an email and a password",
                request_schema=paths.user_create,
                response_schema=paths.user_read,
                success_status=201,
                auth="none",
                idempotent=False,
                errors=(
                    ErrorCase(status=409, when="an account already uses that email"),
                    ErrorCase(
                        status=422,
                        when=f"the body fails `{paths.user_create}` validation "
                        "(invalid email, password shorter than 8 or longer than 128 "
                        "characters, unknown key such as `role`)",
                    ),
                    limit,
                ),
            )
        )
    found.append(
        Endpoint(
            method="POST",
            path=paths.login,
            function="login",
            summary="Sign in with the OAuth2 password flow"
            if paths.login_form
            else "Sign in with an email and a password",
            request_schema="OAuth2PasswordRequestForm (form fields)"
            if paths.login_form
            else "LoginRequest",
            response_schema="Token",
            success_status=200,
            auth="none",
            idempotent=False,
            errors=(
                _WRONG_CREDENTIALS,
                ErrorCase(
                    status=403,
                    when="the password is right but the account is disabled",
                ),
                ErrorCase(
                    status=422,
                    when="`username` or `password` form field is missing"
                    if paths.login_form
                    else "the body has no `email` or `password` string",
                ),
                limit,
            ),
        )
    )
    found += refresh_endpoints(paths, spec, "body")
    found.append(me_endpoint(paths, spec))
    return found


_LOGIN_REQUEST = Schema(
    name="LoginRequest",
    role="request body of sign-in",
    fields=(
        SchemaField(name="email", type="EmailStr", required=True),
        SchemaField(name="password", type="SecretStr", required=True),
    ),
)


def _schemas(paths: AuthPaths, spec: AuthSpec) -> list[Schema]:
    found = [token_schema(spec, "body")]
    if not paths.login_form:
        found.append(_LOGIN_REQUEST)
    if spec.registration:
        found.append(
            Schema(
                name=paths.user_create,
                role="request body of register",
                fields=(
                    SchemaField(
                        name="email",
                        type="EmailStr",
                        required=True,
                        constraints="stored lower-cased",
                    ),
                    SchemaField(
                        name="password",
                        type="SecretStr",
                        required=True,
                        constraints="min_length=8, max_length=128",
                    ),
                ),
                notes='`extra="forbid"`: no `role`, `is_active` or hash from clients',
            )
        )
    if spec.refresh_tokens:
        found.append(
            Schema(
                name="RefreshRequest",
                role="request body of refresh and logout",
                fields=(SchemaField(name="refresh_token", type="str", required=True),),
            )
        )
    found.append(user_public(paths, spec))
    return found


def _tables(paths: AuthPaths, spec: AuthSpec) -> list[Table]:
    users = users_table(
        paths,
        spec,
        extra=(
            Column(
                name="email",
                type="String(320)",
                nullable=False,
                constraints=("unique", "stored lower-cased"),
            ),
            Column(
                name="hashed_password",
                type="String(255)",
                nullable=False,
                constraints=("Argon2id, from pwdlib",),
            ),
        ),
    )
    return [users, refresh_table(paths.id_type)] if spec.refresh_tokens else [users]


def _plan_modules(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    plan.file(
        paths.settings,
        "settings",
        f'`LOGIN_RATE_LIMIT = "{spec.login_rate_limit}"`, so operators can tune it.',
    )
    plain = plain_passwords(ctx)
    plan.file(
        paths.security,
        "password hashing and tokens",
        *(_plain_hashing() if plain else _hashing()),
        "`DUMMY_HASH = password_hash.hash(<random string>)`, computed once at "
        "import, for verifying against when the email is unknown.",
    )
    if plain:
        _plan_plain_rows(plan, paths)
    plan.file(
        paths.user_service,
        "user data access",
        "`get_user_by_email(session, email)` on the lower-cased email; "
        "`create_user(session, data)` hashes the password and leaves `role`"
        + (f" at {code(spec.roles[-1])}" if spec.roles else "")
        + " and `is_active` to the server; map the unique-email `IntegrityError` "
        + _conflict_error(ctx),
        *_base_conflict(ctx),
    )
    plan_token_modules(ctx, plan, spec, paths, "body")
    plan.file(
        paths.auth_service,
        "sign-in and token rotation",
        "`authenticate(session, email, password)`: look the user up; when there "
        "is none, still call `verify_password(password, DUMMY_HASH)` and return "
        "`None`, so unknown emails and wrong passwords take the same time; when "
        "`verify_and_update()` returns a new hash, store it.",
    )
    plan.file(
        paths.deps, "shared dependencies", *current_user_guidance(ctx, "password-jwt")
    )
    plan.file(paths.deps, "shared dependencies", *_bearer_guidance(paths, spec))
    _plan_routes(ctx, plan, spec, paths)
    plan_refresh_routes(plan, spec, paths, "body")
    plan.practice("password-hash-pwdlib")
    if not plain:
        plan.practice("rehash-bcrypt")
    plan.practice("timing-dummy-hash")
    plan.practice("fastapi-users-maintenance")
    if spec.registration:
        plan.practice("mass-assignment")
        plan.ask(
            "Registration answers 409 for a taken email, which tells anyone that "
            "the address has an account. If that matters, answer 202 for every "
            "request and email the owner instead."
        )


_FROM_DATABASE = (
    "Load the user from the database on every request (not from token "
    "claims), so disabling an account or changing a role takes effect at once."
)


def plain_passwords(ctx: Context) -> bool:
    """Whether the users table keeps passwords as given, with no hashing found."""
    return bool(ctx.targets and ctx.targets.slot("passwords_plain"))


PLAIN_TEST = (
    "a user stored with a plaintext password signs in once, and the stored "
    "value becomes an Argon2 hash; a second sign-in verifies the hash"
)


def _hashing() -> tuple[str, ...]:
    return (
        "`password_hash = PasswordHash((Argon2Hasher(), BcryptHasher()))` "
        "(`pwdlib[argon2,bcrypt]`): Argon2id for new hashes, bcrypt kept only to "
        "verify old ones (`PasswordHash.recommended()` holds Argon2 alone and "
        "cannot read them); `hash_password()` and `verify_password()` built on "
        "`verify_and_update()`, which also returns a new Argon2 hash when the "
        "stored one is bcrypt or uses old parameters.",
    )


def _plain_hashing() -> tuple[str, ...]:
    return (
        "`password_hash = PasswordHash.recommended()` (`pwdlib[argon2]`), "
        "Argon2id; `hash_password()` and `verify_password()` on it. The "
        "project stores passwords as given today, so no stored value is a hash "
        "any hasher can read.",
        "`verify_password()` on a stored value that is no Argon2 hash (it does "
        "not start with `$argon2`) compares it with `secrets.compare_digest` "
        "once and returns the new hash to store; remove that branch once no "
        "plaintext row is left.",
    )


def _plan_plain_rows(plan: PlanBuilder, paths: AuthPaths) -> None:
    """Where a project keeps passwords as given: hash them from now on."""
    plan.file(
        paths.user_service,
        "user data access",
        "This module stores passwords as given today: store `hash_password(...)` "
        "wherever a user is created or its password changes, and never compare "
        "a password with `==` again.",
    )
    plan.risk(
        "No code of the project hashes passwords (no passlib, pwdlib, bcrypt, "
        "Argon2 or KDF, no `hash_password`): the users table holds them as "
        "typed. Anyone who reads the database or a backup reads every password."
    )
    plan.ask(
        "The stored passwords are plaintext: hash each at its user's next "
        "sign-in (as planned), or hash them all now in a data migration and "
        "drop the plaintext branch at once? Either way, rotate any backup "
        "that holds them."
    )


def _bearer_guidance(paths: AuthPaths, spec: AuthSpec) -> tuple[str, str]:
    """How the dependency reads the bearer token sign-in hands out."""
    if not paths.login_form:
        return (
            "Read the token with `HTTPBearer(auto_error=False)`, as a project "
            "that reads its own tokens does: sign-in takes JSON, so there is no "
            "password form for `OAuth2PasswordBearer` to point Swagger UI at; "
            "answer 401 with `WWW-Authenticate: Bearer` when it is missing.",
            _FROM_DATABASE,
        )
    return (
        "`oauth2_scheme = "
        f"OAuth2PasswordBearer(tokenUrl={paths.login[1:]!r}"
        + (
            f", refreshUrl={paths.url('/auth/refresh')[1:]!r}"
            if spec.refresh_tokens
            else ""
        )
        + ")`: the URLs are relative, so Swagger UI's Authorize button works under "
        "any mount point; `refreshUrl` only documents the route in OpenAPI (Swagger "
        "UI does not use it to refresh tokens).",
        _FROM_DATABASE,
    )


def _plan_routes(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    router = paths.auth_router
    if spec.registration and paths.signup_path is not None:
        plan.file(
            router,
            "sign-in routes",
            f"`{paths.signup_function}` — `POST {paths.register}` creates accounts "
            "for anyone already: make it the sign-up rather than adding a second "
            f"route: take `{paths.user_create}`, store only the password's hash, "
            f"answer {create_status(ctx)} with `{paths.user_read}` and 409 for a "
            "taken email.",
        )
    elif spec.registration:
        plan.file(
            router,
            "sign-in routes",
            f"`register` — `POST {paths.register}` → {create_status(ctx)} with "
            f"`{paths.user_read}` (no `Location`: accounts have no public URL; "
            "the body identifies it); 409 for a taken email.",
        )
    takes = (
        f"`{param(ctx, 'form_data', 'OAuth2PasswordRequestForm', 'Depends')}`"
        " (form fields, which needs `python-multipart`; `username` carries the "
        "email)"
        if paths.login_form
        else "`LoginRequest` (a JSON `email` and `password`)"
    )
    plan.file(
        router,
        "sign-in routes",
        f"`login` — `POST {paths.login}` takes {takes} → 200 with "
        f"`Token`; {unauthorized(ctx, 'Bearer').removeprefix('raise ')} and one "
        "message for any wrong credential, "
        f"{raise_status(ctx, 403, '403').removeprefix('raise ')} for a disabled "
        "account.",
    )
    plan_rate_limit(
        ctx,
        plan,
        limit=spec.login_rate_limit,
        functions=("login", paths.signup_function) if spec.registration else ("login",),
        router_file=router,
        key="the client IP (slowapi's `key_func` sees only the request; limit "
        "attempts per email inside `login`, or at the gateway, so guessing one "
        "account's password from many addresses is slowed too)",
        practice="login-rate-limit",
    )


def _diagram(paths: AuthPaths, spec: AuthSpec) -> Diagram:
    lines = [
        "sequenceDiagram",
        "    participant C as Client",
        "    participant A as API",
        "    participant D as Database",
        f"    C->>A: POST {paths.login} "
        + ("(username, password)" if paths.login_form else "(email, password)"),
        "    A->>A: rate limit by IP and email (429 when exceeded)",
        "    A->>D: SELECT user by email",
        "    A->>A: verify Argon2 hash (dummy hash if no user)",
        "    alt wrong email or password",
        "        A-->>C: 401 WWW-Authenticate: Bearer",
        "    else valid",
    ]
    if spec.refresh_tokens:
        lines.append("        A->>D: INSERT refresh token hash (new family)")
    lines += [
        "        A-->>C: 200 access_token"
        + (" + refresh_token" if spec.refresh_tokens else ""),
        "    end",
        f"    C->>A: GET {paths.url('/users/me')} (Authorization: Bearer)",
        "    A->>A: jwt.decode(algorithms=[HS256]), load user by sub",
        f"    A-->>C: 200 {paths.user_read}",
    ]
    if spec.refresh_tokens:
        lines += [
            f"    C->>A: POST {paths.url('/auth/refresh')} (refresh_token)",
            "    A->>D: SELECT ... FOR UPDATE by hash",
            "    alt rotated before (reuse)",
            "        A->>D: revoke the whole family",
            "        A-->>C: 401",
            "    else current",
            "        A->>D: mark replaced, INSERT successor",
            "        A-->>C: 200 new pair",
            "    end",
        ]
    return Diagram(title="password sign-in and token flow", mermaid="\n".join(lines))


def _plan_tests(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    tests = paths.tests
    cases: list[tuple[str, str]] = []
    if spec.registration:
        status = create_status(ctx)
        cases += [
            (
                f"test_register_{status}",
                f"→ {status} with `{paths.user_read}`; no password or hash in "
                "the body; the stored hash starts with `$argon2id$`",
            ),
            (
                "test_register_409_conflict",
                "the same email again, in other letter case → 409",
            ),
            (
                "test_register_422_invalid_body",
                "a body with `role` or `is_active` → "
                "422; the account cannot choose its own privileges",
            ),
        ]
    cases += [
        (
            "test_login_200",
            ("form-encoded" if paths.login_form else "JSON")
            + " credentials → 200 with `token_type` "
            "`bearer` and a decodable access token",
        ),
        (
            "test_login_401_unauthenticated",
            "a wrong password → 401 with `WWW-Authenticate: Bearer`",
        ),
        (
            "test_login_401_unknown_email",
            "→ 401 with exactly the same body as a "
            "wrong password, and the password hasher is still called once",
        ),
        ("test_login_403_inactive", "right password, disabled account → 403"),
        (
            "test_login_429_rate_limited",
            f"more than {spec.login_rate_limit} attempts → 429 with `Retry-After`",
        ),
        (
            ("test_login_hashes_stored_plaintext", PLAIN_TEST)
            if plain_passwords(ctx)
            else (
                "test_login_rehashes_old_hash",
                "a user stored with a bcrypt hash signs "
                "in and the stored hash becomes Argon2",
            )
        ),
    ]
    for name, checks in cases:
        plan.test(tests, name, checks)
    plan_token_tests(plan, spec, paths, "body")


SCHEME = Scheme(
    credential=lambda spec: BEARER,
    summary="email and password sign-in through the OAuth2 password flow, "
    "Argon2 password hashes (pwdlib) and PyJWT access tokens",
    endpoints=_endpoints,
    schemas=_schemas,
    tables=_tables,
    plan_modules=_plan_modules,
    diagram=_diagram,
    plan_tests=_plan_tests,
    packages=("pwdlib[argon2,bcrypt]", "pyjwt", "python-multipart", "email-validator"),
)


def _base_conflict(ctx: Context) -> tuple[str, ...]:
    """Where the tables' base would answer a taken email otherwise than 409."""
    found = base_conflict_guidance(ctx, {"create": "create_user"}, what="a taken email")
    return (found,) if found else ()


def _conflict_error(ctx: Context) -> str:
    found = project_error(ctx, 409)
    if found is None:
        return "to a conflict error (a pre-check alone is racy)."
    return f"to {found}; a pre-check alone is racy."
