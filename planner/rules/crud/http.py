"""Rules for a CRUD resource's HTTP side: contract, service, router, tests."""

from __future__ import annotations

import re

from planner.engine.builder import Context, PlanBuilder, rule
from planner.plan import Endpoint
from planner.render.escape import code, codes, inline
from planner.rules.crud.access import (
    functions_guidance,
    in_handlers,
    instance_guidance,
)
from planner.rules.crud.conflicts import conflict_guidance, endpoint_guidance
from planner.rules.crud.contract import (
    collection_path,
    project_habits,
    resource_endpoints,
)
from planner.rules.crud.data import (
    crud_spec,
    existing_table,
    missing_columns,
    resource_id_type,
    resource_paths,
    without_orm,
)
from planner.rules.crud.holder import (
    holder_commit,
    holder_param,
)
from planner.rules.crud.owner import owner_name
from planner.rules.crud.refs import ref_table
from planner.rules.crud.schemas import schema_names
from planner.rules.crud.tablename import resource_table
from planner.rules.crud.testsetup import test_database
from planner.rules.shared.cases import grouped_error_tests, signed_in_users
from planner.rules.shared.edges import lost_update_question, plan_edges
from planner.rules.shared.guard import (
    apply_guard,
)
from planner.rules.shared.handlers import unique_handler
from planner.rules.shared.paging import (
    page_schema,
    paging_advice,
    paging_from,
    plan_paging,
)
from planner.rules.shared.params import (
    dependency_alias,
    param,
    response_declaration,
    session_param,
)
from planner.rules.shared.prefix import registration, router_line
from planner.rules.shared.pydantic import idioms
from planner.rules.shared.testclient import (
    client_defaults,
    client_fixture,
    uses_real_database,
)
from planner.rules.shared.types import camel, id_annotation
from planner.spec import AuthRequirement, CrudResourceSpec


@rule("crud.contract")
def plan_contract(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the API contract: every endpoint, status and header."""
    spec = crud_spec(ctx)
    res = spec.resource
    plan.endpoints.extend(resource_endpoints(ctx))
    for habit in project_habits(ctx):
        plan.note("practice", habit)
    title = res.plural_name.replace("_", " ")
    plan.title = f"CRUD resource: {title}"
    ops = ", ".join(res.operations)
    owner = " owned by the signed-in user" if res.owned_by_user else ""
    desc = f" {inline(res.description)}" if res.description else ""
    parts = (
        "table, migration, schemas"
        if existing_table(ctx) is None
        else "schemas (the table exists)"
    )
    plan.summary = (
        f"Add the `{camel(res.name)}` resource{owner} with {ops} endpoints under "
        f"{code(collection_path(ctx, spec))}: {parts}, data access, "
        f"router and tests.{desc}"
    )
    paging = paging_from(spec.pagination, ctx=ctx)
    # A bare list (a `Link` header carries the next page) has no envelope.
    if paging and not paging.bare and "list" in res.operations:
        plan.schemas.append(
            page_schema(
                paging,
                name=f"{camel(res.plural_name)}Page",
                item_schema=schema_names(ctx)[0],
            )
        )


@rule("crud.service")
def plan_service(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the data-access functions, including the 409 mapping."""
    spec = crud_spec(ctx)
    res = spec.resource
    paths = resource_paths(ctx)
    lay = ctx.layout
    model = camel(res.name)
    orm = not without_orm(ctx)
    instance = instance_guidance(ctx)
    guidance = [instance] if instance else functions_guidance(ctx, spec, model)
    if res.owned_by_user:
        key = owner_name(ctx)
        owner = f"`{model}.{key} == {key}`" if orm else "the owner id"
        guidance.append(
            f"Every read, update and delete filters by {owner} in the same "
            "query, so another user's row is simply not found (no separate "
            "permission check to forget)."
        )
        guidance.append(
            (
                f"Create with `{model}(**data.{idioms(ctx).dump}(), {key}={key})`"
                if orm
                else "Insert the owner id with the row"
            )
            + ": the owner comes from the token, never from the body."
        )
        plan.habit("bola-ownership")
    if "update" in res.operations and not instance:
        if res.update_method == "patch":
            guidance.append(
                f"Update applies `data.{idioms(ctx).dump}(exclude_unset=True)`"
                + (" with a `setattr` loop" if orm else " to the row")
                + " so omitted fields keep their values and an explicit "
                "`null` clears an optional one."
            )
            plan.habit("partial-update-exclude-unset")
        else:
            guidance.append(
                f"PUT replaces the whole row: apply `data.{idioms(ctx).dump}()` (all "
                "fields), "
                "so omitted optional fields reset to their defaults."
            )
    guidance.extend(conflict_guidance(ctx, spec, model))
    if any(f.unique for f in res.fields) or any(f.type == "ref" for f in res.fields):
        plan.practice("integrity-error-409")
    refs = [f for f in res.fields if f.type == "ref"]
    if refs:
        names = ", ".join(code(f.column_name) for f in refs)
        guidance.append(
            f"Before insert/update, load the rows {names} point to (scoped to the "
            "owner where they are owned) and raise a validation error the router "
            "answers with 422 when one is missing; a foreign-key violation on "
            "commit maps to the same 422."
        )
    orm_async = lay.session_is_async and orm
    if in_handlers(ctx):
        guidance.append(
            "Each handler that writes commits once, after its last change; "
            "a handler that only reads never commits."
        )
    elif not instance:  # the base's writes commit as it does
        guidance.append(
            holder_commit(ctx) or _commit_guidance(is_async=orm_async, orm=orm)
        )
        plan.habit("commit-one-place")
    if orm_async:
        plan.habit("async-session")
        plan.practice("async-lazy-load")
    if "update" in res.operations and not res.owned_by_user:
        # Owned rows have one writer; shared rows can be edited by two at once.
        plan.ask(lost_update_question(res.name.replace("_", " ")))
    plan.file(paths["service"], f"data access for {res.plural_name}", *guidance)


def _commit_guidance(*, is_async: bool, orm: bool = True) -> str:
    if not orm:
        return "The functions that write own the transaction: the router never commits."
    text = (
        "The functions that write own the transaction: they call `commit()` and "
        "the router never does (if the session dependency already commits per "
        "request, they only `flush()`)"
    )
    if is_async:
        return text + (
            "; `expire_on_commit=False`, refresh after commit instead of touching "
            "expired attributes, and no lazy loads."
        )
    return text + "."


@rule("crud.router")
def plan_router(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the router module and its registration."""
    spec = crud_spec(ctx)
    res = spec.resource
    paths = resource_paths(ctx)
    lay = ctx.layout
    router = paths["router"]
    slug = res.plural_name.replace("_", "-")
    endpoints = resource_endpoints(ctx)
    raised = sorted({e.status for ep in endpoints for e in ep.errors} & {404, 409})
    documented = ", ".join(f"{s}: ..." for s in raised)
    guidance = [
        f"{router_line(ctx, slug)}; one function per operation, each with "
        + response_declaration(ctx, schema_names(ctx)[0])
        + (
            f"; document `responses={{{documented}}}` on the decorators so the "
            "OpenAPI schema shows them."
            if raised
            else "."
        ),
        _data_param(ctx)
        + "path ids as "
        + code(param(ctx, _item_param(endpoints, res.name), _id_type(ctx), "Path"))
        + "; `def` or `async def` to match the "
        + ("data access" if holder_param(ctx) else "session")
        + " (never block inside `async def`).",
    ]
    handled = unique_handler(ctx)
    guidance.extend(endpoint_guidance(ctx, ep, handled) for ep in endpoints)
    plan.file(router, "path operations", *guidance)
    apply_guard(ctx, plan, _all_scopes(spec), router_file=router)
    paging = paging_from(spec.pagination, ctx=ctx)
    if paging and "list" in res.operations:
        plan_paging(
            ctx,
            plan,
            paging,
            service_file=paths["service"],
            router_file=router,
            test_file=paths["test"],
            function=f"list_{res.plural_name}",
        )
    elif "list" in res.operations:
        plan.note(
            "performance",
            "The list endpoint is not paginated: it returns every row. "
            f"{paging_advice(ctx)} before the table grows.",
            key="unpaged-list",
        )
    if router not in lay.existing:  # a router module there is included already
        _register(ctx, router, plan)
    plan.habit("return-type-response-model")
    plan.habit("status-204-none-annotation")
    plan.habit("status-201-location")
    plan.practice("http-422-name")


def _register(ctx: Context, router: str, plan: PlanBuilder) -> None:
    lay = ctx.layout
    module = router.rsplit("/", 1)[-1].removesuffix(".py")
    plan.file(
        lay.router_registry,
        "router registration",
        registration(
            ctx,
            module,
            lay.router_registry,
            lay.api_prefix,
            (crud_spec(ctx).resource.name, crud_spec(ctx).resource.plural_name),
        ),
    )


def _all_scopes(spec: CrudResourceSpec) -> AuthRequirement:
    """Return the requirement with every scope any operation checks."""
    extra = [s for op in spec.auth.operation_scopes.values() for s in op]
    scopes = tuple(dict.fromkeys((*spec.auth.scopes, *extra)))
    if scopes == spec.auth.scopes:
        return spec.auth
    return spec.auth.model_copy(update={"scopes": scopes})


def _routes_take_no_session(ctx: Context) -> bool:
    """Whether the project's database is reached without a session dependency.

    It has an ORM, its own data access without SQLAlchemy, or the exemplar a
    data access module, yet none of the
    routes planner read takes a session: their data access opens its own
    connection (or uses a scoped session), so a new dependency would be the
    only one of its kind.
    """
    targets = ctx.targets
    if targets is None or targets.exemplar is None:
        return False
    data_access = (
        without_orm(ctx)
        or ctx.layout.orm_found
        or any(f.role == "service" for f in targets.exemplar.files)
    )
    return (
        data_access
        and not ctx.layout.session_dep_exists
        and not targets.convention("session_dependency")
    )


def _data_param(ctx: Context) -> str:
    """How the routes reach their data: a wrapper, no session, or a session."""
    held = holder_param(ctx)
    if held is not None:
        return held + "; "
    if _routes_take_no_session(ctx):
        return (
            "Call the data access functions without a session, as the project's "
            "routes do (they open their own connection), "
        )
    return f"Take the session as {_session_param(ctx)}, "


def _session_param(ctx: Context) -> str:
    """The project's session dependency as a parameter: an alias, or wrapped."""
    declared = session_param(ctx)
    alias = declared.removeprefix("session: ")
    if alias.isidentifier():
        return f"{code(alias)} (an `Annotated` alias)"
    return code(declared)


def _id_type(ctx: Context) -> str:
    return id_annotation(resource_id_type(ctx))


def _item_param(endpoints: tuple[Endpoint, ...], singular: str) -> str:
    """The path parameter that names one item (`label_id`), as the contract has it."""
    found = [re.findall(r"\{([A-Za-z_]\w*)", ep.path) for ep in endpoints]
    longest = max(found, key=len, default=[])
    return longest[-1] if longest else f"{singular}_id"


def _asserted_headers(ctx: Context) -> str:
    """The headers the resource's contract promises, as its tests assert them."""
    found = sorted(
        {
            h.split(":", 1)[0]
            for ep in resource_endpoints(ctx)
            for h in (
                *ep.success_headers,
                *(h for e in ep.errors for h in e.headers),
            )
        }
    )
    return f" ({', '.join(f'`{h}`' for h in found)})" if found else ""


def _sets_location(ep: Endpoint) -> bool:
    """Whether the contract gives the endpoint a `Location` header (creates do)."""
    return any(h.startswith("Location:") for h in ep.success_headers)


@rule("crud.dependencies")
def plan_dependencies(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the session dependency when the project has none to reuse."""
    lay = ctx.layout
    if (
        lay.session_dep_exists
        or _routes_take_no_session(ctx)
        or holder_param(ctx) is not None
    ):
        return
    kind = "async " if lay.session_is_async else ""
    plan.file(
        lay.deps_module,
        "shared dependencies",
        f"Reuse the {kind}session dependency if it exists; otherwise add a `yield` "
        f"dependency over the sessionmaker in {code(lay.db_module)} and "
        + dependency_alias(
            ctx, lay.session_dep, "...Session", "get_session", name="session"
        )
        + ".",
    )
    plan.habit("session-per-request")


@rule("crud.edges")
def plan_crud_edges(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the proxy, CORS and OpenAPI settings the resource's routes rely on."""
    plan_edges(ctx, plan, route_file=resource_paths(ctx)["router"])


@rule("crud.tests")
def plan_tests(ctx: Context, plan: PlanBuilder) -> None:
    """Plan a test per endpoint and per status code of the contract."""
    spec = crud_spec(ctx)
    res = spec.resource
    paths = resource_paths(ctx)
    test_file = paths["test"]
    lay = ctx.layout
    style = (
        "`httpx.AsyncClient(transport=ASGITransport(app=app))` under "
        "`@pytest.mark.anyio`"
        if lay.tests_async
        else "`TestClient(app)` used as a context manager"
    )
    endpoints = resource_endpoints(ctx)
    plan.file(
        test_file,
        f"tests for {res.plural_name}",
        client_fixture(lay, style, test_file=test_file) + test_database(ctx),
        "One test per endpoint and status code below; assert status, body shape "
        f"and headers{_asserted_headers(ctx)}.",
        *filter(None, [client_defaults(lay, paths=tuple(e.path for e in endpoints))]),
    )
    users = signed_in_users(lay, owned=res.owned_by_user)
    if spec.auth.required and users:
        # The project's tests already sign users in: no new fixtures.
        plan.file(test_file, f"tests for {res.plural_name}", users)
    elif spec.auth.required and res.owned_by_user:
        plan.file(
            lay.conftest,
            "test fixtures",
            "Fixtures for two users and their auth headers, so ownership tests can "
            "act as the other user.",
        )
    elif spec.auth.required and not lay.current_user_dep:
        plan.file(
            lay.conftest,
            "test fixtures",
            "A fixture for a signed-in user and its auth headers.",
        )
    paged = paging_from(spec.pagination, ctx=ctx) is not None
    for ep in endpoints:
        if paged and ep.function == f"list_{res.plural_name}":
            continue  # the paging tests below assert its 200s
        plan.test(
            test_file,
            f"test_{ep.function}_{ep.success_status}",
            f"`{ep.method} {ep.path}` → {ep.success_status}"
            + (", `Location` points at the new row" if _sets_location(ep) else "")
            + (", empty body" if ep.success_status == 204 else ""),
        )
    if res.owned_by_user:
        _plan_cross_owner_test(plan, test_file, set(res.operations))
    for name, checks in grouped_error_tests(endpoints):
        if not name.endswith("_422_bad_paging"):  # the paging tests cover it
            plan.test(test_file, name, checks)
    if not uses_real_database(lay):  # the project's fixtures isolate its tests
        plan.habit("dependency-overrides")
        plan.habit("db-isolation")
    plan.practice(
        "async-client-asgi-transport" if lay.tests_async else "testclient-lifespan"
    )


def _plan_cross_owner_test(plan: PlanBuilder, test_file: str, ops: set[str]) -> None:
    """Plan the test that one owner never reaches another's rows."""
    by_id = [op for op in ("read", "update", "delete") if op in ops]
    checks = []
    if by_id:
        checks.append(
            "a second user's token on the first user's row → 404 on "
            + ", ".join(by_id)
            + ", the row unchanged"
        )
    if "list" in ops:
        checks.append("the list shows only the caller's rows")
    if checks:
        plan.test(test_file, "test_other_owner", "; ".join(checks))


@rule("crud.steps")
def plan_steps(ctx: Context, plan: PlanBuilder) -> None:
    """Lay out the order of work, each step leaving the suite green."""
    spec = crud_spec(ctx)
    res = spec.resource
    paths = resource_paths(ctx)
    lay = ctx.layout
    model = camel(res.name)
    # A key to the resource's own table points at the table this plan makes.
    refs = sorted(
        {ref_table(ctx, f) for f in res.fields if f.type == "ref"}
        - {resource_table(ctx)}
    )
    if refs:
        plan.assume(f"The referenced tables exist already: {codes(refs)}.")
    found = existing_table(ctx)
    missing = missing_columns(ctx, found) if found is not None else ()
    if found is None and without_orm(ctx) and not ctx.exists(paths["model"]):
        pass  # no model class to add: the migration creates the table
    elif found is None:
        plan.step("Model", f"Add `{model}` in {code(paths['model'])} and register it.")
    elif missing:
        where = code(found[0])
        plan.step("Model", f"Add {codes(missing)} to `{model}` in {where}.")
    own = [
        t.path
        for t in (ctx.targets.files if ctx.targets else ())
        if t.role == "migration" and plan.has_file(t.path)
    ]
    if lay.migrations != "none" and (found is None or missing):
        plan.step(
            "Migration", "Generate, review and apply the migration; test downgrade."
        )
    elif own and (found is None or missing):
        # The project's own migration system: its next file, as its others.
        plan.step(
            "Migration",
            f"Add {', '.join(code(p) for p in own)} as the project's others are "
            "written, and apply it as the project does.",
        )
    plan.step("Schemas", f"Add the schemas in {code(paths['schema'])}.")
    plan.step("Data access", f"Add the functions in {code(paths['service'])}.")
    router = paths["router"]
    plan.step(
        "Router",
        f"Add the routes to {code(router)}: the app serves it already, so nothing "
        "new is registered."
        if router in lay.existing
        else f"Add {code(router)} and register it in {code(lay.router_registry)}.",
    )
    plan.step("Tests", f"Write {code(paths['test'])}: every endpoint, every status.")
    if lay.generated_client:
        plan.step(
            "API client",
            f"Regenerate the client in {code(lay.generated_client)} from the new "
            "OpenAPI schema; never edit generated files by hand.",
        )
    plan.step("Check", "Run the linters, type checker and the whole test suite.")
