"""Endpoint options: Idempotency-Key replay, ETag preconditions, 202 jobs."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder, rule
from planner.plan import Column, Endpoint, ErrorCase, Index, Schema, SchemaField, Table
from planner.render.escape import code
from planner.rules.endpoint.operation import Operation, etag_applies, resolve
from planner.rules.shared.cases import error_tests
from planner.rules.shared.guard import auth_errors, auth_label
from planner.rules.shared.route import route_target
from planner.rules.shared.tables import ID_COLUMN, alter_table, create_table, user_fk

_NOW = ("server default now()",)


@rule("endpoint.options")
def plan_options(ctx: Context, plan: PlanBuilder) -> None:
    """Plan what the chosen options need: key store, version column, job table."""
    op = resolve(ctx)
    if op.spec.idempotency_key:
        _plan_idempotency(ctx, plan, op)
    if op.spec.etag:
        _plan_etag(ctx, plan, op)
    if op.effect == "accepted":
        _plan_job(ctx, plan, op)


def _lay_path(ctx: Context, pattern: str, singular: str, plural: str) -> str:
    return ctx.layout.path(pattern, singular=singular, plural=plural)


def _plan_idempotency(ctx: Context, plan: PlanBuilder, op: Operation) -> None:
    lay = ctx.layout
    scope = "the caller's user id" if op.spec.auth.required else "the client's id"
    create_table(
        ctx,
        plan,
        Table(
            name="idempotency_keys",
            model="IdempotencyKey",
            columns=(
                ID_COLUMN,
                Column(name="scope", type="String(64)", nullable=False),
                Column(name="key", type="String(255)", nullable=False),
                Column(
                    name="fingerprint",
                    type="String(64)",
                    nullable=False,
                    constraints=("SHA-256 hex of method, path and canonical body",),
                ),
                Column(
                    name="state",
                    type="String(16)",
                    nullable=False,
                    constraints=("in_progress or completed",),
                ),
                Column(name="response_status", type="Integer", nullable=True),
                Column(name="response_body", type="JSON", nullable=True),
                Column(name="response_headers", type="JSON", nullable=True),
                Column(
                    name="created_at",
                    type="DateTime(timezone=True)",
                    nullable=False,
                    constraints=_NOW,
                ),
                Column(
                    name="expires_at", type="DateTime(timezone=True)", nullable=False
                ),
            ),
            indexes=(
                Index(
                    name="uq_idempotency_keys_scope_key",
                    columns=("scope", "key"),
                    unique=True,
                    reason="one record per caller and key: the insert is the claim",
                ),
                Index(
                    name="ix_idempotency_keys_expires_at",
                    columns=("expires_at",),
                    reason="the purge job deletes expired keys",
                ),
            ),
        ),
        model_file=_lay_path(
            ctx, lay.model_module, "idempotency_key", "idempotency_keys"
        ),
        guidance=(
            "`IdempotencyKey` with the columns below and a named unique constraint "
            f"on (`scope`, `key`); `scope` is {scope}, so one caller can never "
            "replay another's response.",
        ),
    )
    service = _lay_path(ctx, lay.service_module, "idempotency", "idempotency")
    plan.file(
        service,
        "Idempotency-Key store",
        "`claim(session, scope, key, fingerprint)`: insert an `in_progress` row "
        "and commit at once; on `IntegrityError` load the existing row: a "
        "different fingerprint → 422, still `in_progress` → 409, `completed` → "
        "return it for replay.",
        "`complete(session, record, status, body, headers)`: store the response "
        "(status, JSON body, `Location`) in the same transaction as the "
        "operation's own write; on an unexpected error delete the claim so the "
        "client may retry, but store 4xx answers so they replay too.",
        "The fingerprint is SHA-256 over the method, path and "
        '`json.dumps(payload.model_dump(mode="json"), sort_keys=True, '
        'separators=(",", ":"))`.',
        "Keys expire after 24 hours (`expires_at`); a periodic job deletes "
        "expired rows, and an expired key counts as new.",
    )
    plan.file(
        op.target.router,
        "path operations",
        f"{code(op.function)}: read `Idempotency-Key` (1 to 255 visible ASCII "
        "characters) and answer 400 yourself when it is missing or malformed: "
        "the draft asks for 400, while FastAPI's own header validation would "
        "say 422. Claim the key before any work; on replay return the stored "
        "status, body and `Location` unchanged.",
    )
    plan.practice("idempotency-key-draft")


def _plan_version_column(ctx: Context, plan: PlanBuilder, op: Operation) -> None:
    """Plan the `version` column an ETag is computed from, on the existing table."""
    lay = ctx.layout
    alter_table(
        ctx,
        plan,
        table=op.table,
        model=op.model,
        model_file=_lay_path(ctx, lay.model_module, op.model_singular, op.table),
        columns=(
            Column(
                name="version",
                type="Integer",
                nullable=False,
                constraints=("server default 1", "mapper version_id_col"),
            ),
        ),
        change="add `version` (NOT NULL, server default 1 so existing rows get it)",
    )
    plan.file(
        _lay_path(ctx, lay.model_module, op.model_singular, op.table),
        f"the `{op.model}` table model",
        '`__mapper_args__ = {"version_id_col": version}`: SQLAlchemy then adds '
        "`WHERE version = :old` to every UPDATE and raises `StaleDataError` when "
        "another write got there first.",
        action="modify",
    )


def _plan_etag(ctx: Context, plan: PlanBuilder, op: Operation) -> None:
    if not etag_applies(op):
        plan.assume(
            "`etag` has no effect here: a create, a queued job or a write to a "
            "collection has no prior representation to compare with."
        )
        return
    lay = ctx.layout
    if not op.table_found:
        plan.ask(
            f"No `{op.table}` table was found in the project: which table holds "
            "these rows? Give it a `version` column (NOT NULL, server default 1) "
            "for the ETag, or derive the ETag from a hash of the response body."
        )
    else:
        _plan_version_column(ctx, plan, op)
    router = op.target.router

    if op.writes:
        required = (
            "answer 428 when it is missing"
            if op.spec.require_if_match
            else "without it the write goes ahead (last write wins)"
        )
        plan.file(
            router,
            "path operations",
            f"{code(op.function)}: compare `If-Match` (a list of ETags, or `*`) "
            f"with the row's current ETag before writing: a mismatch → 412; "
            f"{required}. Map `StaleDataError` on commit to 412 as well, and send "
            "the new `ETag` with the response.",
        )
    else:
        tag = (
            'a weak `W/"..."` hash of the page\'s (id, version) pairs and the paging '
            "parameters"
            if op.effect == "list"
            else 'the row\'s version as a strong `"<version>"`'
        )
        plan.file(
            router,
            "path operations",
            f"{code(op.function)}: send `ETag` ({tag}); when `If-None-Match` "
            "matches, answer 304 with the `ETag` and no body. The query still "
            "runs: a 304 saves bandwidth and client work, not database time.",
        )
    plan.file(
        lay.main_module,
        "application setup",
        "If browsers call the API from another origin, list `ETag` (and "
        "`Location`, `Link`) in `CORSMiddleware(expose_headers=[...])`, or "
        "scripts cannot read them.",
    )
    plan.practice("etag-if-match")


def _plan_job(ctx: Context, plan: PlanBuilder, op: Operation) -> None:
    lay = ctx.layout
    spec = op.spec
    path = spec.status_path or "/jobs/{job_id}"
    target = route_target(ctx, path)
    owner = spec.auth.required
    columns = [
        Column(
            name="id",
            type="Uuid",
            nullable=False,
            constraints=("primary key", "uuid4, unguessable"),
        ),
        Column(name="kind", type="String(64)", nullable=False),
        Column(
            name="status",
            type="Enum(JobState, native_enum=False, length=9)",
            nullable=False,
            constraints=("pending, running, succeeded or failed",),
        ),
        Column(name="payload", type="JSON", nullable=False),
        Column(name="result", type="JSON", nullable=True),
        Column(
            name="error",
            type="Text",
            nullable=True,
            constraints=("a message for the client, never a traceback",),
        ),
    ]
    if owner:
        columns.append(user_fk("owner_id"))
    columns += [
        Column(
            name="created_at",
            type="DateTime(timezone=True)",
            nullable=False,
            constraints=_NOW,
        ),
        Column(
            name="updated_at",
            type="DateTime(timezone=True)",
            nullable=False,
            constraints=(*_NOW, "onupdate now()"),
        ),
    ]
    create_table(
        ctx,
        plan,
        Table(
            name="jobs",
            model="Job",
            columns=tuple(columns),
            indexes=(
                Index(
                    name="ix_jobs_status_created_at",
                    columns=("status", "created_at"),
                    reason="workers pick the oldest pending jobs",
                ),
            ),
        ),
        model_file=_lay_path(ctx, lay.model_module, "job", "jobs"),
        guidance=(
            "`Job` with a `JobState` `StrEnum` (pending, running, succeeded, "
            "failed); ids are UUID4 so status URLs cannot be guessed.",
        ),
    )
    plan.schemas.append(
        Schema(
            name="JobAccepted",
            role=f"response body of {op.function} (202)",
            fields=(
                SchemaField(name="job_id", type="UUID", required=True),
                SchemaField(
                    name="status", type="JobState", required=True, constraints="pending"
                ),
                SchemaField(
                    name="status_url",
                    type="str",
                    required=True,
                    constraints="same URL as `Location`",
                ),
            ),
        )
    )
    plan.schemas.append(
        Schema(
            name="JobStatus",
            role="response body of the status endpoint",
            fields=(
                SchemaField(name="job_id", type="UUID", required=True),
                SchemaField(name="status", type="JobState", required=True),
                SchemaField(
                    name="result",
                    type="dict[str, Any] | None",
                    required=True,
                    constraints="set when succeeded",
                ),
                SchemaField(
                    name="error",
                    type="str | None",
                    required=True,
                    constraints="set when failed",
                ),
                SchemaField(name="created_at", type="datetime", required=True),
                SchemaField(name="updated_at", type="datetime", required=True),
            ),
        )
    )
    status_ep = _status_endpoint(op, path)
    plan.endpoints.append(status_ep)
    plan.file(
        _lay_path(ctx, lay.schema_module, "job", "jobs"),
        "job schemas",
        "`JobAccepted` and `JobStatus` as below; reuse the model's `JobState`.",
    )
    plan.file(
        op.target.service,
        f"data access for {op.target.plural.replace('_', ' ')}",
        f"`run_{op.function}(job_id)`: the work itself. Open a fresh session (never "
        "the request's), mark the job `running`, do the work, then store "
        "`result` and `succeeded`, or a client-safe `error` and `failed`; log the "
        "traceback server-side.",
    )
    plan.file(
        op.target.router,
        "path operations",
        f"{code(op.function)}: after the job row is committed, hand "
        f"`run_{op.function}(job.id)` to the scheduler and answer 202 with "
        f'`JobAccepted` and `Location` set to `request.url_for("{status_ep.function}"'
        ", job_id=...)`.",
    )
    plan.file(
        lay.deps_module,
        "shared dependencies",
        "`get_job_scheduler`: a small dependency that runs work with "
        "`BackgroundTasks.add_task` (in-process, lost on restart) or enqueues it "
        "on a worker queue (Celery, arq, RQ) when it must survive a restart; "
        "tests override it to run the work inline.",
    )
    plan.file(
        target.router,
        "path operations",
        f"{code(status_ep.function)} — `GET {path}` → 200 with `JobStatus`; load "
        "the job"
        + (" scoped to the caller (another caller's job is 404)" if owner else "")
        + "; clients poll it until `succeeded` or `failed`.",
    )
    if not ctx.exists(target.router):
        plan.file(
            lay.router_registry,
            "router registration",
            f"Include the `{target.plural}` router next to the existing ones.",
        )
    plan.practice("background-task-session")
    plan.file(
        target.test,
        "tests for jobs",
        "Create jobs in each state directly in the database and read them back "
        "through the status endpoint.",
    )


def _status_endpoint(op: Operation, path: str) -> Endpoint:
    owner = op.spec.auth.required
    return Endpoint(
        method="GET",
        path=path,
        function="read_job",
        summary="Read the status of a queued job",
        response_schema="JobStatus",
        success_status=200,
        auth=auth_label(op.spec.auth, op.credential),
        idempotent=True,
        errors=(
            *auth_errors(op.spec.auth, op.credential),
            ErrorCase(
                status=404,
                when="no job has that id"
                + (", or it belongs to another caller" if owner else ""),
            ),
            ErrorCase(status=422, when="`job_id` is not a UUID"),
        ),
    )


def plan_option_tests(ctx: Context, plan: PlanBuilder, op: Operation) -> None:
    """Plan the tests the chosen options need, after the endpoint's own."""
    spec = op.spec
    tests = op.target.test
    if spec.idempotency_key:
        plan.test(
            tests,
            f"test_{op.function}_idempotent_replay",
            "the same key and body twice → the same status and body, and the work "
            "happens once (one row, one side effect)",
        )
        plan.test(
            tests,
            f"test_{op.function}_idempotency_key_per_caller",
            "the same key from another caller is an independent request, never a "
            "replay",
        )

    if spec.etag and etag_applies(op):
        if op.writes:
            plan.test(
                tests,
                f"test_{op.function}_current_if_match",
                "`If-Match` with the current ETag → success and a new `ETag`",
            )
            plan.test(
                tests,
                f"test_{op.function}_concurrent_writes",
                "two writes sent with the same ETag: exactly one succeeds, the "
                "other gets 412",
            )
        else:
            plan.test(
                tests,
                f"test_{op.function}_304_not_modified",
                "`If-None-Match` with the ETag just received → 304, same `ETag`, "
                "empty body; after a change → 200 with a new ETag",
            )
    if op.effect == "accepted":
        path = spec.status_path or "/jobs/{job_id}"
        status_ep = _status_endpoint(op, path)
        job_tests = route_target(ctx, path).test
        plan.test(
            tests,
            f"test_{op.function}_job_lifecycle",
            "run the work inline (override the scheduler dependency): the status "
            "URL goes pending → succeeded with a result",
        )
        plan.test(
            tests,
            f"test_{op.function}_job_failure",
            "the work raises: status `failed` with a client-safe `error`, no "
            "traceback in the body",
        )
        plan.test(
            job_tests,
            f"test_{status_ep.function}_200",
            f"`GET {path}` → 200 with `JobStatus`",
        )
        for name, checks in error_tests(status_ep):
            plan.test(job_tests, name, checks)
