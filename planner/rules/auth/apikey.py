"""The api-key scheme: keys in a header, stored as keyed hashes, rotated."""

from __future__ import annotations

import dataclasses

from planner.engine.builder import Context, PlanBuilder
from planner.plan import (
    Column,
    Diagram,
    Endpoint,
    ErrorCase,
    Index,
    Schema,
    SchemaField,
    Table,
)
from planner.render.escape import code
from planner.rules.auth.common import (
    NOW,
    AuthPaths,
    Scheme,
    admin_only,
    create_status,
    role_column,
)
from planner.rules.shared.guard import (
    api_key_credential,
    auth_errors,
    auth_label,
    current_user_guidance,
)
from planner.rules.shared.tables import id_column
from planner.rules.shared.types import id_annotation
from planner.spec import AuthSpec


def _managed_over_http(spec: AuthSpec) -> bool:
    """Keys are managed over HTTP only when a role can be reserved for it."""
    return bool(spec.roles)


def _endpoints(paths: AuthPaths, spec: AuthSpec) -> list[Endpoint]:
    if not _managed_over_http(spec):
        return []
    req = admin_only(spec)
    cred = api_key_credential(spec.api_key_header)
    guard = auth_errors(req, cred)
    label = auth_label(req, cred)
    base = paths.url("/api-keys")
    return [
        Endpoint(
            method="POST",
            path=base,
            function="create_api_key",
            summary="Issue a new API key (its secret is shown once)",
            request_schema="ApiKeyCreate",
            response_schema="ApiKeyCreated",
            success_status=201,
            success_headers=(f"Location: {base}/{{key_id}}",),
            auth=label,
            idempotent=False,
            errors=(
                *guard,
                ErrorCase(
                    status=422,
                    when="the body fails `ApiKeyCreate` validation (missing name, "
                    "unknown role, expiry out of range)",
                ),
            ),
        ),
        Endpoint(
            method="GET",
            path=base,
            function="list_api_keys",
            summary="List keys: metadata only, never secrets or hashes",
            response_schema="list[ApiKeyPublic]",
            success_status=200,
            auth=label,
            idempotent=True,
            errors=tuple(guard),
        ),
        Endpoint(
            method="DELETE",
            path=f"{base}/{{key_id}}",
            function="revoke_api_key",
            summary="Revoke a key at once",
            success_status=204,
            auth=label,
            idempotent=True,
            errors=(
                *guard,
                ErrorCase(status=404, when="no key has that id"),
                ErrorCase(status=422, when="`key_id` is not an integer"),
            ),
        ),
    ]


def _schemas(paths: AuthPaths, spec: AuthSpec) -> list[Schema]:
    if not _managed_over_http(spec):
        return []
    role = (
        (
            SchemaField(
                name="role",
                type="KeyRole",
                required=False,
                constraints="one of "
                + ", ".join(spec.roles)
                + f"; default {spec.roles[-1]}",
            ),
        )  # one row of a table
        if spec.roles
        else ()
    )
    meta = (
        SchemaField(name="id", type=id_annotation(paths.id_type), required=True),
        SchemaField(name="name", type="str", required=True),
        SchemaField(
            name="prefix",
            type="str",
            required=True,
            constraints="the public lookup part",
        ),
        SchemaField(name="expires_at", type="datetime | None", required=True),
    )
    return [
        Schema(
            name="ApiKeyCreate",
            role="request body of create_api_key",
            fields=(
                SchemaField(
                    name="name",
                    type="str",
                    required=True,
                    constraints="max_length=100; who or what uses it",
                ),
                SchemaField(
                    name="expires_in_days",
                    type="int | None",
                    required=False,
                    constraints="ge=1, le=365",
                ),
                *role,
            ),
            notes='`extra="forbid"`',
        ),
        Schema(
            name="ApiKeyCreated",
            role="response body of create_api_key",
            fields=(
                *meta,
                SchemaField(
                    name="key",
                    type="str",
                    required=True,
                    constraints="the full key; shown this once only",
                ),
            ),  # one row of a table
        ),
        Schema(
            name="ApiKeyPublic",
            role="response body of list_api_keys",
            fields=(
                *meta,
                SchemaField(name="last_used_at", type="datetime | None", required=True),
            ),  # one row of a table
        ),
    ]


def _tables(paths: AuthPaths, spec: AuthSpec) -> list[Table]:
    dt = "DateTime(timezone=True)"
    return [
        Table(
            name="api_keys",
            model="ApiKey",
            columns=(
                id_column(paths.id_type),
                Column(name="name", type="String(100)", nullable=False),
                Column(
                    name="prefix",
                    type="String(16)",
                    nullable=False,
                    constraints=("unique", "random, not secret"),
                ),
                Column(
                    name="key_hash",
                    type="String(64)",
                    nullable=False,
                    constraints=("SHA-256 hex of the whole key",),
                ),
                *role_column(spec, "KeyRole"),
                Column(name="created_at", type=dt, nullable=False, constraints=NOW),
                Column(name="expires_at", type=dt, nullable=True),
                Column(name="last_used_at", type=dt, nullable=True),
                Column(name="revoked_at", type=dt, nullable=True),
            ),
            indexes=(
                Index(
                    name="uq_api_keys_prefix",
                    columns=("prefix",),
                    unique=True,
                    reason="find the key by its public prefix, then compare hashes",
                ),
            ),
        )
    ]


def named_key_table(table: Table, singular: str) -> Table:
    """The key table under the name the project gives its new key.

    ``admin_api_key`` gives ``admin_api_keys`` and ``AdminApiKey``; the
    columns and what the index is for stay as they are.
    """
    plural = singular + "s"
    model = "".join(w.capitalize() for w in singular.split("_"))
    indexes = tuple(
        dataclasses.replace(ix, name=ix.name.replace(table.name, plural, 1))
        for ix in table.indexes
    )
    return dataclasses.replace(table, name=plural, model=model, indexes=indexes)


def _words(name: str) -> set[str]:
    return {"hash" if w == "hashed" else w for w in name.lower().split("_") if w}


def _lacking(columns: tuple[Column, ...], existing: set[str]) -> list[Column]:
    """The scheme's columns the table has under no name.

    A column is there when one of the table's names holds its words:
    ``hashed_api_key`` holds ``key_hash``.
    """
    have = [_words(c) for c in existing]
    return [c for c in columns if not any(_words(c.name) <= h for h in have)]


def extend_key_table(ctx: Context, plan: PlanBuilder, table: Table) -> None:
    """The project's own key table gains what the scheme needs, nothing more."""
    slot = ctx.targets.slot if ctx.targets is not None else None
    name = (slot and slot("key_table")) or table.model
    model_file = (slot and slot("key_model")) or ""
    existing = set(((slot and slot("key_columns")) or "").split())
    lacking = _lacking(table.columns, existing)
    if not lacking:
        plan.file(
            model_file,
            f"the `{name}` table model",
            f"`{name}` has every column the scheme needs under its own names: "
            "keep them, and add no migration.",
        )
        return
    names = ", ".join(f"`{c.name}` ({c.type})" for c in lacking)
    plan.file(
        model_file,
        f"the `{name}` table model",
        f"`{name}` exists already: keep its columns and names, and add only "
        f"what the scheme needs that it lacks: {names}.",
        "Existing keys have none of the new values: make the new columns "
        "nullable, or backfill them in the migration.",
    )
    migration = slot("migration") if slot else None
    if migration:
        plan.file(
            migration,
            f"migration: add the new `{name}` columns",
            "`alembic revision --autogenerate`; check that it only adds the "
            f"columns above to `{name}`'s table and that `downgrade()` drops them.",
        )


def _plan_modules(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    header = spec.api_key_header
    slot = ctx.targets.slot if ctx.targets is not None else None
    own = slot("key_module") if slot else None
    if own:
        plan.file(
            own,
            "key generation and checks",
            "The project's key helpers: reuse their generation and hashing for "
            "the keys of this plan rather than adding a second scheme.",
            "Compare stored and computed hashes with `secrets.compare_digest()`, "
            "never `==`; parse the header in one function that every kind of "
            "key shares.",
        )
    else:
        plan.file(
            paths.security,
            "key generation and checks",
            '`new_api_key()`: `f"{PRODUCT}_{prefix}_{secret}"` with `prefix = '
            "secrets.token_hex(6)` and `secret = secrets.token_urlsafe(32)`; a "
            "fixed product tag lets secret scanners recognise leaked keys. The "
            'secret may contain `_`, so parse with `key.split("_", 2)`.',
            "`hash_api_key(key)`: SHA-256, hex. A fast hash is enough for 256 "
            "random bits, which no one can guess to check against a leaked "
            "digest, and it keeps each request cheap; Argon2 is for passwords.",
            "`verify(stored_hash, key)`: `secrets.compare_digest()` on the two hex "
            "strings, never `==`.",
        )
    plan.file(
        paths.auth_service,
        "key lookup and rotation",
        "`authenticate_key(session, key)`: split off the prefix, load the row by "
        "it, compare hashes; reject revoked or expired keys; update "
        "`last_used_at` at most once a minute to avoid a write per request.",
        "Rotation: issue a new key, let the client deploy it while both work, "
        "then revoke the old one; expiries (`expires_at`) force rotation.",
    )
    plan.file(paths.deps, "shared dependencies", *current_user_guidance(ctx, "api-key"))
    plan.file(
        paths.deps,
        "shared dependencies",
        f'`api_key_header = APIKeyHeader(name="{header}", auto_error=False)`, so '
        "a missing key gets your own 401 with `WWW-Authenticate: APIKey`; never "
        "accept keys in query strings, which end up in logs.",
    )
    if _managed_over_http(spec):
        lay = ctx.layout
        plan.file(
            lay.path(lay.route_module, singular="api_key", plural="api_keys"),
            "key management routes",
            '`APIRouter(prefix="/api-keys", dependencies=[Depends(require_role('
            f'"{spec.roles[0]}"))])`: create ({create_status(ctx)}, the secret in '
            "the body once), "
            "list (metadata only) and revoke (204, idempotent).",
        )
    command = (
        "`create-api-key NAME`"
        + (f" `--role {spec.roles[0]}`" if spec.roles else "")
        + ": issues a key and prints it once, for the first key and for "
        "deployments without an admin key."
    )
    cli = ctx.targets.slot("cli") if ctx.targets is not None else None
    if cli is None and ctx.targets is None:
        cli = f"{ctx.layout.package}/cli.py"
    if cli:
        plan.file(cli, "management command", command)
    else:
        plan.ask(
            "The project has no command-line module: how is the first key "
            f"issued? A management command would be {command}"
        )
    plan.note(
        "security",
        f"Keep the {code(header)} header out of access logs and error reports "
        "wherever the project records request headers.",
        key="redact-api-key",
    )
    plan.practice("api-key-compare-digest")
    plan.practice("secrets-not-in-code")
    if not _managed_over_http(spec):
        plan.assume(
            "No roles are declared, so no key may manage others: keys are issued "
            "and revoked with the management command only."
        )


def _diagram(paths: AuthPaths, spec: AuthSpec) -> Diagram:
    header = spec.api_key_header
    return Diagram(
        title="API key check",
        mermaid="\n".join(
            [
                "sequenceDiagram",
                "    participant C as Client",
                "    participant A as API",
                "    participant D as Database",
                f"    C->>A: request with {header}: product_prefix_secret",
                "    A->>D: SELECT api_key WHERE prefix = ?",
                "    A->>A: compare_digest(sha256(key), key_hash)",
                "    alt missing, unknown, revoked or expired",
                "        A-->>C: 401 WWW-Authenticate: APIKey",
                "    else valid",
                "        A->>D: touch last_used_at (at most once a minute)",
                "        A-->>C: 200",
                "    end",
            ]
        ),
    )


def _plan_tests(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    header = spec.api_key_header
    status = create_status(ctx)
    cases = [
        (
            "test_valid_key_200",
            f"a protected route with a fresh key in `{header}` → 200",
        ),
        ("test_missing_key_401", "no header → 401 with `WWW-Authenticate: APIKey`"),
        (
            "test_wrong_secret_401",
            "a known prefix with a wrong secret → 401, same body as an unknown prefix",
        ),
        ("test_revoked_key_401", "a revoked key → 401 at once"),
        ("test_expired_key_401", "a key past `expires_at` → 401"),
        ("test_key_in_query_ignored", "the key as a query parameter → 401"),
        (
            "test_key_stored_hashed",
            "the table holds the SHA-256 hex digest, never the key",
        ),
        (
            "test_rotation_overlap",
            "old and new keys both work until the old one is revoked",
        ),
    ]
    if _managed_over_http(spec):
        cases += [
            (
                f"test_create_api_key_{status}",
                f"→ {status} with the full key once"
                + (" and `Location`" if status == 201 else "")
                + "; listing afterwards never shows it",
            ),
            (
                "test_create_api_key_403_wrong_role",
                f"a key without role {spec.roles[0]} → 403",
            ),
        ]
    for name, checks in cases:
        plan.test(paths.tests, name, checks)


SCHEME = Scheme(
    credential=lambda spec: api_key_credential(spec.api_key_header),
    summary="API keys sent in a header, stored as SHA-256 hashes, compared in "
    "constant time, and rotated without downtime",
    endpoints=_endpoints,
    schemas=_schemas,
    tables=_tables,
    plan_modules=_plan_modules,
    diagram=_diagram,
    plan_tests=_plan_tests,
    packages=(),
)
