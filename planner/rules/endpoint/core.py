"""Rules for one path operation: contract, schemas, data access, router, tests."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder, rule
from planner.inspect.layout import FileAction, Layout
from planner.plan import Schema
from planner.render.escape import code, codes, inline
from planner.rules.endpoint.operation import (
    Operation,
    domain_statuses,
    existing_resource,
    operation_endpoint,
    path_fields,
    resolve,
    schema_fields,
    words,
)
from planner.rules.endpoint.options import plan_option_tests
from planner.rules.shared.cases import error_tests
from planner.rules.shared.dataway import data_way, layer_unread, takes_session
from planner.rules.shared.edges import lost_update_question, plan_secret_echo
from planner.rules.shared.paging import page_schema
from planner.rules.shared.testclient import (
    client_defaults,
    client_fixture,
    real_database,
    uses_real_database,
)
from planner.rules.shared.types import camel
from planner.spec import pluralize

_MEANING = {
    "read": "returns {a}",
    "list": "returns a list of {plural}",
    "update": "changes part of {a}",
    "replace": "replaces {a}",
    "delete": "deletes {a}",
    "action": "acts on {a}",
    "accepted": "queues background work and answers 202 with a status link",
}


@rule("endpoint.contract")
def plan_contract(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the API contract: status, headers and every error with its cause."""
    op = resolve(ctx)
    spec = op.spec
    served = operation_endpoint(ctx)
    plan.endpoints.append(served)
    plan.title = f"Endpoint: {spec.method} {spec.path}"
    one = f"the caller's own {words(op.noun)}" if op.own else f"one {words(op.noun)}"
    if op.effect == "create":
        # As it answers here: the project's status, `Location` where a route
        # reads the new item.
        meaning = f"creates {one}" + (" with `Location`" if op.located else "")
    else:
        meaning = _MEANING[op.effect].format(a=one, plural=words(op.table))
    desc = f" {inline(spec.description)}" if spec.description else ""
    plan.summary = (
        f"{inline(spec.summary)}. `{spec.method} {spec.path}` {meaning} "
        f"(success {op.status}); it lives in {code(op.target.router)}.{desc}"
    )
    if op.habit_status is not None:
        plan.note(
            "practice",
            f"`{served.method} {served.path}` answers {op.habit_status}, as the "
            "project's own routes do; current practice is "
            f"{201 if op.effect == 'create' else 204}. Keep the project's habit "
            "unless the team changes it everywhere.",
        )
    if not op.effect_given:
        plan.assume(
            f"No `effect` was given: `{spec.method}` on this path is planned as "
            f"{code(op.effect)} ({op.status}). Set `effect` in the spec if it "
            "creates, queues or returns something else."
        )
    if not op.stored:
        fields = (
            ""
            if op.spec.response and op.spec.response.fields
            else f" Declare `[[response.fields]]` in the spec for `{op.item_schema}`."
        )
        plan.assume(
            f"No table of the project holds a {words(op.noun)}: the handler works "
            "out its answer (settings, server state or the service it calls) and "
            f"takes no session.{fields}"
        )
    # Where nothing was read, the resource's schema module is the spec's
    # premise; in a project read, a module it lacks holds no class.
    unread = ctx.layout.source == "default"
    if op.reuses_public_schema and (unread or _defines(ctx, op)):
        plan.assume(
            f"The response reuses `{op.public_schema}` from {code(op.target.schema)}; "
            "declare `[[response.fields]]` in the spec for a dedicated schema."
        )
    elif op.reuses_public_schema:
        plan.assume(
            f"The response is `{op.public_schema}`, which planner did not find: "
            "declare `[[response.fields]]` in the spec to define it, or answer "
            "with the project's class for these rows if it has one."
        )
    params = ", ".join(f"{code(n)}: `{t}`" for n, t in path_fields(op))
    if params:
        plan.assume(f"Path parameters and their types: {params} ({_typed_by(op)}).")
    _add_schemas(op, plan)


def _defines(ctx: Context, op: Operation) -> bool:
    """Whether the resource's schema module exists and defines the public class.

    Where planner read no names of it, the module's existence is all it knows.
    """
    if not ctx.exists(op.target.schema):
        return False
    found = ctx.targets.slot("schema_defines") if ctx.targets is not None else None
    return found is None or op.public_schema in found.split()


def _typed_by(op: Operation) -> str:
    """Where the path parameters' types come from, in words."""
    given = set(dict(op.spec.path_types))
    names = [n for n, _ in path_fields(op) if n not in given]
    read = [(n, w) for n, _, w in op.declared_types if n in names]
    parts = []
    if given:
        found = [code(n) for n, _ in path_fields(op) if n in given]
        parts.append(f"{', '.join(found)} from the spec's `path_types`")
    for where in dict.fromkeys(w for _, w in read):
        found = [code(n) for n, w in read if w == where]
        whose = f"`{where}`'s" if where else "the project's"
        parts.append(
            f"{', '.join(found)} as {whose} routes declare "
            + ("it" if len(found) == 1 else "them")
        )
    if len(names) > len(read):
        lead = "the others from their names" if parts else "from the names"
        parts.append(f"{lead}: `*_id` is `int`, `*_uuid` is `UUID`")
    if names:
        parts.append("override with `path_types`")
    return "; ".join(parts)


def _subject(op: Operation) -> str:
    """What the endpoint's data access and tests are about (`project imports`)."""
    return words(pluralize(op.noun)) if op.noun else words(op.target.plural)


def _add_schemas(op: Operation, plan: PlanBuilder) -> None:
    spec = op.spec
    if op.request_schema and spec.request:
        plan.schemas.append(
            Schema(
                name=op.request_schema,
                role=f"request body of {op.function}",
                fields=schema_fields(op.noun, spec.request.fields),
                notes='`model_config = ConfigDict(extra="forbid")`',
            )
        )
    if spec.response and spec.response.fields:
        plan.schemas.append(
            Schema(
                name=op.item_schema,
                role=f"response body of {op.function}"
                + (" (one item)" if op.effect == "list" else ""),
                fields=schema_fields(op.noun, spec.response.fields),
            )
        )
    if op.paging is not None and not op.paging.bare:
        plan.schemas.append(
            page_schema(
                op.paging, name=f"{camel(op.table)}Page", item_schema=op.item_schema
            )
        )


@rule("endpoint.schemas")
def plan_schema_module(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the request and response models in the resource's schema module."""
    op = resolve(ctx)
    guidance: list[str] = []
    if op.request_schema:
        guidance.append(
            f"`{op.request_schema}` with the request fields and their constraints in "
            '`Field(...)`; `model_config = ConfigDict(extra="forbid")` so unknown '
            "keys are rejected with 422, not silently dropped."
        )
    if op.spec.response and op.spec.response.fields:
        guidance.append(
            f"`{op.item_schema}` with the response fields only: never return the "
            "table model, so internal columns cannot leak."
        )
    if op.paging is not None and not op.paging.bare:
        guidance.append(
            f"`{camel(op.table)}Page`, the page envelope below, generic over "
            f"`{op.item_schema}`."
        )
    if not guidance:
        return
    action: FileAction | None = "modify" if existing_resource(ctx, op) else None
    plan.file(
        op.target.schema, "request and response schemas", *guidance, action=action
    )
    plan.practice("no-ellipsis-required")
    if op.request_schema:
        plan.practice("mass-assignment")
        request = op.spec.request
        plan_secret_echo(
            ctx,
            plan,
            [f.name for f in request.fields] if request else [],
            schema_file=op.target.schema,
        )


@rule("endpoint.service")
def plan_service(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the data-access function behind the endpoint, free of HTTP."""
    op = resolve(ctx)
    session = "AsyncSession" if ctx.layout.session_is_async else "Session"
    raised = domain_statuses(op)
    base = camel(op.model_singular)  # `ImportNotFound`, whatever the class is named
    names = {404: f"`{base}NotFound`", 409: f"`{base}Conflict`"}
    if not op.stored:
        # The handler does the work: no data-access module to put it in.
        plan.file(
            op.target.router,
            "path operations",
            f"`{op.function}`: build the answer from what the server knows "
            "(settings, its own state, the service it calls); no row to load and "
            "no transaction. Move the work into a function of its own once it "
            "grows, so tests can call it without HTTP.",
            action="modify" if existing_resource(ctx, op) else None,
        )
        return
    inline = ctx.targets.slot("data_inline") if ctx.targets is not None else None
    if inline:
        _plan_inline(ctx, plan, op, inline)
        return
    if not takes_session(ctx):
        _plan_own_layer(ctx, plan, op)
        return
    guidance = [f"`{op.function}(session: {session}, ...)`: " + _service_work(op)]
    if raised:
        guidance.append(
            "Keep it free of HTTP: raise "
            + " and ".join(names[s] for s in raised)
            + ", which one exception handler (or the router) maps to "
            + "/".join(str(s) for s in raised)
            + "."
        )
        plan.practice("domain-exceptions")
    if op.effect != "read" and op.effect != "list":
        guidance.append(
            "It owns the transaction: it commits and the router never does (if "
            "the session dependency already commits per request, it only "
            "`flush()`es)."
        )
        plan.habit("commit-one-place")
    if op.effect in {"update", "replace"} and not op.spec.etag:
        plan.ask(lost_update_question(words(op.noun)))
    _data_file(ctx, plan, op, guidance)
    if op.effect == "update":
        plan.practice("partial-update-exclude-unset")
    if ctx.layout.session_is_async:
        plan.practice("async-session")


def _data_file(
    ctx: Context, plan: PlanBuilder, op: Operation, guidance: list[str]
) -> None:
    """Plan the data-access file with its guidance, scoped to the caller."""
    if op.spec.auth.required and op.target.acts_on_item:
        guidance.append(
            "Scope the lookup to what the caller may access (owner, tenant or role) "
            "in the same query, so a foreign row is simply not found."
        )
        plan.practice("bola-ownership")
    action: FileAction | None = "modify" if existing_resource(ctx, op) else None
    plan.file(
        op.target.service,
        f"data access for {_subject(op)}",
        *guidance,
        action=action,
    )


def _plan_own_layer(ctx: Context, plan: PlanBuilder, op: Operation) -> None:
    """Plan the data function in the project's own layer, which takes no session.

    Beside the function the neighbouring routes call, written as it is; the
    work in words any data layer reads, and what planner could not read said.
    """
    way = data_way(ctx)
    raised = domain_statuses(op)
    base = camel(op.model_singular)
    names = {404: f"`{base}NotFound`", 409: f"`{base}Conflict`"}
    guidance = [
        f"`{op.function}`"
        + (way.beside if way else ", written as the project's data access is")
        + ": "
        + _layer_work(op),
        *filter(None, [layer_unread(ctx)]),
    ]
    if raised:
        guidance.append(
            "Keep it free of HTTP: it reports "
            + " and ".join(names[s] for s in raised)
            + " as the functions beside it report theirs (a `None`, an exception), "
            "and the router answers " + "/".join(str(s) for s in raised) + "."
        )
    _data_file(ctx, plan, op, guidance)


def _layer_work(op: Operation) -> str:
    """The data work of an operation, in words any data layer reads."""
    noun = words(op.noun)
    verb = op.function.split("_", 1)[0]
    work = {
        "create": f"store the {noun} from the request fields plus those the server "
        "sets (owner, timestamps) and return it.",
        "read": f"load the {noun}; return `None` when it is missing.",
        "list": f"load the {words(op.table)} with the filters and ordering below.",
        "update": "change only the fields sent and return the row.",
        "replace": "set every field from the request (omitted optional fields "
        "reset to their defaults) and return the row.",
        "delete": f"delete the {noun}; a second DELETE finds nothing, which the "
        "router answers with 404 (the state is the same: idempotent).",
        "action": f"load the {noun}, verify its state allows {code(verb)} and "
        "change it in one step, so two concurrent requests cannot both pass the "
        "check; do side effects (emails, payments) after the write.",
        "accepted": "record the job (status `pending`) before scheduling the "
        "work, so the status link works at once; return the job.",
    }
    if op.own and op.effect in {"read", "update", "replace", "delete"}:
        return (
            f"act on the caller's own {noun}, which the current-user dependency "
            "loaded; no lookup by id. " + work[op.effect].capitalize()
        )
    return work[op.effect]


def _plan_inline(ctx: Context, plan: PlanBuilder, op: Operation, like: str) -> None:
    """Plan the data work in the handler, where the project's own routes do it.

    ``like`` is ``function file:line`` of a route of the same method that
    uses its session directly, with the table method it calls where it calls
    one (``Cluster.one_by_id``): no data-access function is added beside it.
    """
    function, where, call = [*like.split(" "), "", ""][:3]
    if call:
        # The table's own methods do the queries: the handler calls them.
        work = _layer_work(op)
        how = (
            f"with the session it takes and the table's own methods, as "
            f"`{function}` ({code(where)}) does with {code(call)}"
        )
    else:
        work = _service_work(op)
        how = f"with the session it takes, as `{function}` ({code(where)}) does"
    guidance = [
        f"`{op.function}`: {work} Do it in the handler {how}: the project's "
        f"{op.spec.method} routes call no data-access function, so none is added."
    ]
    if op.spec.auth.required and op.target.acts_on_item:
        guidance.append(
            "Scope the lookup to what the caller may access (owner, tenant or role) "
            "in the same query, so a foreign row is simply not found."
        )
        plan.practice("bola-ownership")
    plan.file(
        op.target.router,
        "path operations",
        *guidance,
        action="modify" if existing_resource(ctx, op) else None,
    )


def _overrides(ctx: Context, op: Operation, layout: Layout) -> str:
    """Which dependencies the tests replace: those the route runs.

    None where the project's API tests run on a real database and never
    override one: they take its database fixtures and sign users in.
    """
    if not op.stored and not op.spec.auth.required:
        return ""
    if uses_real_database(layout):
        users = layout.test_user_fixtures
        wanted = users and op.spec.auth.required  # a public route signs no one in
        signed = f", signing users in with {codes(users)}" if wanted else ""
        return f"; {real_database(layout)}{signed}"
    if op.stored and takes_session(ctx):
        return (
            "; override the session (and current-user) dependencies with "
            "`app.dependency_overrides`"
        )
    if op.spec.auth.required:
        return "; override the current-user dependency with `app.dependency_overrides`"
    return ""


def _service_work(op: Operation) -> str:
    noun = words(op.noun)
    verb = op.function.split("_", 1)[0]
    work = {
        "create": f"build the {noun} from `data.model_dump()` plus the fields the "
        "server sets (owner, timestamps), add, commit, refresh and return it.",
        "read": f"load the {noun} with `session.get()` or a scoped `select()`; "
        "return `None` when it is missing.",
        "list": f"`select({op.model})` with the filters and ordering below.",
        "update": "apply `data.model_dump(exclude_unset=True)` with a `setattr` "
        "loop, commit and return the row.",
        "replace": "apply every field of `data.model_dump()` (omitted optional "
        "fields reset to their defaults), commit and return the row.",
        "delete": f"delete the {noun} and commit; a second DELETE finds nothing, "
        "which the router answers with 404 (the state is the same: idempotent).",
        "action": f"load the {noun} with `select(...).with_for_update()` so two "
        f"concurrent requests cannot both pass the check, verify its state allows "
        f"{code(verb)}, change it, commit and return it; do side effects outside "
        "the database (emails, payments) after the commit or through an outbox.",
        "accepted": "insert the `Job` row (status `pending`) and commit before "
        "scheduling the work, so the status link works at once; return the job.",
    }
    if op.effect == "accepted" and op.target.acts_on_item:
        return f"check the {noun} exists (404 otherwise), then " + work["accepted"]
    if op.own and op.effect in _OWN_WORK:
        return _OWN_WORK[op.effect].format(noun=noun)
    return work[op.effect]


# What acting on the caller's own row (`/users/me`) takes: the current-user
# dependency has loaded it, so there is no id to look up and nothing to 404.
_OWN_WORK = {
    "read": "return the caller's {noun}, which the current-user dependency "
    "loaded; no lookup by id.",
    "update": "apply `data.model_dump(exclude_unset=True)` to the caller's "
    "{noun} (the current-user dependency's row) with a `setattr` loop, commit "
    "and return it.",
    "replace": "apply every field of `data.model_dump()` to the caller's {noun} "
    "(the current-user dependency's row), commit and return it.",
    "delete": "delete the caller's {noun}, the row the current-user dependency "
    "loaded (no lookup by id), and commit; its token names no row afterwards.",
}


@rule("endpoint.tests")
def plan_tests(ctx: Context, plan: PlanBuilder) -> None:
    """Plan a test for the success status and one per error cause."""
    op = resolve(ctx)
    ep = operation_endpoint(ctx)
    lay = ctx.layout
    test_file = op.target.test
    # Only a fixture the plan adds is described; its tests run under the
    # project's own async plugin, which the layout does not name.
    style = (
        "`httpx.AsyncClient(transport=ASGITransport(app=app))`, its tests async "
        "as the project's others are"
        if lay.tests_async
        else "`TestClient(app)` used as a context manager"
    )
    plan.file(
        test_file,
        f"tests for {_subject(op)}",
        client_fixture(lay, style, test_file=test_file)
        + _overrides(ctx, op, lay)
        + ".",
        "One test per status code below; assert status, body shape and headers.",
        *filter(None, [client_defaults(lay, paths=(ep.path,))]),
        # An existing resource's tests exist by the spec's premise, unless
        # planner read the project and can tell.
        action="modify"
        if existing_resource(ctx, op) and not ctx.exists(op.target.router)
        else None,
    )
    success = _SUCCESS[op.effect] if op.stored else _UNSTORED.get(op.effect)
    if op.effect == "create" and not op.located:
        success = "the row exists and the body shows it"
    if op.own and op.effect == "delete":
        success = "the caller's row is gone from the table"
    success = success or "the body carries the documented fields"
    checks = f"`{ep.method} {ep.path}` → {ep.success_status}; {success}"
    named = [h.split(":", 1)[0] for h in ep.success_headers]
    named = [h for h in named if h != "Location"]  # the check above covers it
    if named:
        checks += ", with " + ", ".join(f"`{h}`" for h in named)
    if ep.success_status == 204:
        checks += ", empty body"
    plan.test(test_file, f"test_{op.function}_{ep.success_status}", checks)
    for name, text in error_tests(ep):
        plan.test(test_file, name, text)
    plan_option_tests(ctx, plan, op)
    if not uses_real_database(lay):
        plan.practice("dependency-overrides")
    plan.practice(
        "async-client-asgi-transport" if lay.tests_async else "testclient-lifespan"
    )


@rule("endpoint.steps")
def plan_steps(ctx: Context, plan: PlanBuilder) -> None:
    """Lay out the order of work, each step leaving the suite green."""
    op = resolve(ctx)
    if plan.tables:
        plan.step(
            "Migration", "Generate, review and apply the migration; test downgrade."
        )
    if plan.has_file(op.target.schema):
        plan.step("Schemas", f"Add the models in {code(op.target.schema)}.")
    if plan.has_file(op.target.service):
        # A handler that works out its answer itself has no data access step.
        plan.step(
            "Data access",
            f"Add `{op.function}` in {code(op.target.service)}"
            + (" with its domain errors." if domain_statuses(op) else "."),
        )
    plan.step("Route", f"Add the path operation in {code(op.target.router)}.")
    plan.step("Tests", f"Write the tests in {code(op.target.test)}: every status.")
    if ctx.layout.generated_client:
        plan.step(
            "API client",
            f"Regenerate the client in {code(ctx.layout.generated_client)}.",
        )
    plan.step("Check", "Run the linters, type checker and the whole test suite.")


# An endpoint no table holds: what its tests check instead of a row.
_UNSTORED = {
    "read": "the body carries the documented fields",
    "action": "the body shows the outcome",
}
_SUCCESS = {
    "create": "the row exists and a GET on `Location` returns it",
    "read": "the body matches the stored row",
    "list": "the rows come back in the documented order",
    "update": "only the sent fields changed",
    "replace": "every field now equals the body sent",
    "delete": "a following GET answers 404",
    "action": "the state change is stored and the body shows it",
    "accepted": "a job row exists and `Location` is its status URL",
}
