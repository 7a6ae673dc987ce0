"""The endpoint's path operation: decorator, parameters, OpenAPI and guards."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder, rule
from planner.render.escape import code, inline
from planner.rules.endpoint.operation import (
    Operation,
    build_errors,
    domain_statuses,
    etag_applies,
    existing_resource,
    operation_endpoint,
    path_fields,
    resolve,
    success_headers,
    words,
)
from planner.rules.shared.dataway import takes_session
from planner.rules.shared.edges import plan_edges
from planner.rules.shared.guard import apply_guard, guard_param
from planner.rules.shared.paging import plan_paging, plan_sort_index
from planner.rules.shared.params import (
    data_holder,
    depends,
    param,
    response_declaration,
    session_param,
)
from planner.rules.shared.prefix import router_line, where_prefix_lives
from planner.rules.shared.route import served_path
from planner.rules.shared.throttle import plan_rate_limit
from planner.rules.shared.types import python_type

_STATUS_NAMES = {
    200: "HTTP_200_OK",
    201: "HTTP_201_CREATED",
    202: "HTTP_202_ACCEPTED",
    204: "HTTP_204_NO_CONTENT",
}


@rule("endpoint.edges")
def plan_endpoint_edges(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the proxy, CORS and OpenAPI settings the route relies on."""
    plan_edges(ctx, plan, route_file=resolve(ctx).target.router)


@rule("endpoint.router")
def plan_router(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the path operation: decorator, parameters, OpenAPI and the guard."""
    op = resolve(ctx)
    spec = op.spec
    router = op.target.router
    existing = existing_resource(ctx, op)
    ep = operation_endpoint(ctx)
    method = spec.method.lower()
    route, where, shown = _route_in_module(ctx, op, existing=existing)
    documented = sorted({e.status for e in ep.errors if e.status != 422})
    signature = _signature(ctx, op)
    owner = router_name(ctx, router, shown[: len(shown) - len(route)])
    guidance = [
        f'`@{owner}.{method}("{route}", status_code=status.'
        f"{_STATUS_NAMES[op.status]})` on `{op.function}`; {where} "
        f"{code(shown)}"
        + (
            ' (an empty path, not `"/"`, avoids a trailing-slash redirect).'
            if not route
            else "."
        ),
        (f"Parameters: {signature}; declare" if signature else "Declare")
        + " what it answers with "
        + response_declaration(ctx, op.response_schema)
        + ".",
        f"OpenAPI: `summary=` “{inline(spec.summary)}”"
        + (", `description=` from the spec's description" if spec.description else "")
        + (f", `tags=` {code(repr(list(spec.tags)))}" if spec.tags else "")
        + (
            ", `responses={...}` documenting "
            + ", ".join(str(s) for s in documented)
            + " with their causes (FastAPI documents 422 itself)"
            if documented
            else ""
        )
        + ".",
    ]
    guidance.extend(_status_guidance(ctx, op))
    if not existing:
        module = router.rsplit("/", 1)[-1].removesuffix(".py")
        slug = module.replace("_", "-") if _modelled(ctx) else op.target.slug
        line = (
            router_line(ctx, slug)
            if _modelled(ctx)
            else f'`router = APIRouter(prefix="/{slug}", tags=["{slug}"])`'
        )
        guidance.insert(0, f"{line} if the module is new.")
    plan.file(
        router, "path operations", *guidance, action="modify" if existing else None
    )
    apply_guard(ctx, plan, spec.auth, router_file=router)
    if op.paging is not None:
        plan_paging(
            ctx,
            plan,
            op.paging,
            service_file=op.target.service,
            router_file=router,
            test_file=op.target.test,
            function=op.function,
        )
        plan_sort_index(
            ctx,
            plan,
            op.paging,
            table=op.table,
            model=op.model,
            found=op.table_found,
        )
    elif op.effect == "list":
        plan.note(
            "performance",
            "The list is not paginated: it returns every row. Cap it (`limit` with "
            "`le=`) or set `paginated` in the spec before the table grows.",
            key="unpaged-list",
        )
    if spec.rate_limit:
        plan_rate_limit(
            ctx,
            plan,
            limit=spec.rate_limit,
            functions=(op.function,),
            router_file=router,
            key="the caller's id" if spec.auth.required else "client IP",
        )
    if not existing:
        plan.file(
            ctx.layout.router_registry,
            "router registration",
            f"Include the `{router.rsplit('/', 1)[-1].removesuffix('.py')}` router "
            "next to the existing ones; "
            + (
                where_prefix_lives(ctx)
                if _modelled(ctx)
                else "prefix and tags live on the `APIRouter` itself"
            )
            + ".",
        )
    _router_notes(op, plan)
    if op.effect == "action" and op.target.acts_on_item:
        plan.ask(
            f"When the {words(op.noun)} is already in the state "
            f"{code(op.function)} leads to, answer 409 or 200 with the current "
            "representation? A 200 no-op makes client retries safe."
        )


def _route_in_module(
    ctx: Context, op: Operation, *, existing: bool
) -> tuple[str, str, str]:
    """The decorator's path, what prefix completes it, and the path it makes.

    A module planner read serves below the prefix it was found at; a new one
    takes the resource's own (`prefix="/orders"`).
    """
    if existing and ctx.targets is not None:
        served = served_path(ctx, op.spec.path)
        # Decorator paths are written below the router the module's routes
        # sit on, not below the resource's own segment.
        prefix = _mount(ctx, op.target.router, served)
        if prefix is None:
            prefix = ctx.targets.served_prefix.rstrip("/")
        if served.startswith(prefix + "/") or served == prefix:
            unread = [
                name
                for file, mount, name, read in _routers(ctx)
                if file == op.target.router and mount == prefix and not read
            ]
            if unread:
                where = (
                    f"below the prefix `{unread[0]}` is given (no constant planner "
                    "could read), the path is"
                )
                return served[len(prefix) :], where, served
            if not prefix:
                return served, "with no prefix on the router, the path is", served
            where = f"served below `{prefix}`, it is"
            return served[len(prefix) :], where, served
    mounted = ctx.targets.slot("router_served") if ctx.targets is not None else None
    served = served_path(ctx, op.spec.path)
    if mounted and served.startswith(mounted):
        own = ctx.targets.slot("router_prefix") if ctx.targets is not None else None
        return (
            served[len(mounted) :],
            f'the router\'s `prefix="{own}"` makes it',
            served,
        )
    route = op.target.relative_path  # "" for the collection: no trailing slash
    where = f'the router\'s `prefix="/{op.target.slug}"` makes it'
    return route, where, op.spec.path


def router_name(ctx: Context, module: str, mount: str) -> str:
    """The router object of ``module`` served at ``mount`` (``router`` if unread).

    A module with one router has its routes on it, whatever it is called.
    """
    mine = [(prefix, name) for file, prefix, name, _ in _routers(ctx) if file == module]
    names = {name for _, name in mine}
    if len(names) == 1:
        return names.pop()
    at = sorted(name for prefix, name in mine if prefix == mount.rstrip("/"))
    return at[0] if at else "router"


def _routers(ctx: Context) -> list[tuple[str, str, str, bool]]:
    """(file, served prefix, router name, prefix read) of the changed modules."""
    found = ctx.targets.slot("router_names") if ctx.targets is not None else None
    out = []
    for entry in (found or "").split(";"):
        parts = entry.split("|")
        if len(parts) in (3, 4):
            out.append((parts[0], parts[1], parts[2], len(parts) == 3))
    return out


def _mount(ctx: Context, router: str, served: str) -> str | None:
    """The longest prefix a router of the module is served at that holds the path."""
    ex = ctx.targets.exemplar if ctx.targets is not None else None
    mounts = {
        r.mount.rstrip("/")
        for r in (ex.routes if ex is not None else ())
        if r.file == router and r.served
    }
    fits = [m for m in mounts if served == m or served.startswith(m + "/")]
    return max(fits, key=len) if fits else None


def _modelled(ctx: Context) -> bool:
    """Whether a new module follows an exemplar's router, prefix and all."""
    return ctx.targets is not None and bool(ctx.targets.slot("router_served"))


def _signature(ctx: Context, op: Operation) -> str:
    spec = op.spec
    parts = [f"`{param(ctx, n, t, 'Path')}`" for n, t in path_fields(op)]
    for item in spec.query.fields if spec.query else ():
        optional = "" if item.required else " | None"
        query = param(
            ctx,
            item.name,
            f"{python_type(item.name, item)}{optional}",
            "Query",
            default=None if item.required else "None",
        )
        parts.append(f"`{query}`")
    if op.request_schema:
        parts.append(f"`payload: {op.request_schema}`")
    parts.extend(_header_params(ctx, op))
    if op.stored and (takes_session(ctx) or data_holder(ctx) is not None):
        # What the neighbours take: a session, or the object they reach
        # data through (`rpc: RPC = Depends(get_rpc)`); none where they
        # take neither (a Django adapter opens its own).
        parts.append(f"`{session_param(ctx)}`")
    if spec.auth.required:
        parts.append(f"`{guard_param(ctx)}`")
    if spec.rate_limit or op.paging is not None or op.effect in {"create", "accepted"}:
        parts.append("`request: Request`")
    if success_headers(op):
        parts.append("`response: Response` (to set the headers)")
    if op.effect == "accepted":
        scheduler = depends(ctx, "scheduler", "JobScheduler", "get_job_scheduler")
        parts.append(f"`{scheduler}`")
    return ", ".join(parts)


def _header_params(ctx: Context, op: Operation) -> list[str]:
    """The request headers the route reads: idempotency key, ETag preconditions."""
    spec = op.spec
    names: list[str] = []
    if spec.idempotency_key:
        names.append("idempotency_key")
    if spec.etag and op.writes and etag_applies(op):
        names.append("if_match")
    if spec.etag and not op.writes:
        names.append("if_none_match")
    return [
        f"`{param(ctx, name, 'str | None', 'Header', default='None')}`"
        for name in names
    ]


def _status_guidance(ctx: Context, op: Operation) -> list[str]:
    found: list[str] = []
    if op.effect == "create" and op.read_route:
        found.append(
            f'Set `Location` to `request.url_for("{op.read_route}", ...)`, the '
            "project's route that reads one, and return the new representation."
        )
    elif op.effect == "create" and op.located:
        found.append(
            f'Set `Location` to `request.url_for("read_{op.noun}", '
            f"{op.created_param}=...)` (or the item path built by hand if there is "
            "no read route) and return the new representation."
        )
    elif op.effect == "create":
        found.append(
            f"Return the new representation; no route of the project reads one "
            f"{op.noun.replace('_', ' ')}, so there is no URL for a `Location` "
            "header (add it with a read route)."
        )
    if op.status == 204:
        found.append("204: return nothing; FastAPI sends no body.")
    raised = domain_statuses(op)
    inline = ctx.targets.slot("data_inline") if ctx.targets is not None else None
    if raised and inline:
        # No service: the handler meets each case itself.
        found.append(
            "Answer "
            + " and ".join(str(s) for s in raised)
            + " with `HTTPException` where the handler meets the case (or one "
            "registered exception handler)."
        )
    elif raised:
        found.append(
            "Map the service's domain errors to "
            + " and ".join(str(s) for s in raised)
            + " with `HTTPException` (or one registered exception handler)."
        )
    if op.request_schema:
        found.append(
            "FastAPI answers malformed JSON with 422 (`json_invalid`), not 400; "
            "do not add a handler for it."
        )
    return found


def _router_notes(op: Operation, plan: PlanBuilder) -> None:
    plan.practice("return-type-response-model")
    plan.practice("http-method-semantics")
    if op.status in {201, 202}:
        plan.practice("status-201-location")
    if op.status == 204:
        plan.practice("status-204-none-annotation")
    if any(e.status == 422 for e in build_errors(op)):
        plan.practice("http-422-name")
    if op.spec.errors:
        plan.practice("problem-details-rfc9457")
