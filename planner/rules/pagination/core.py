"""Rules for the pagination kind: page an existing list endpoint.

Everything about the paging itself comes from paging.py, the module CRUD lists
and paginated endpoints use too; these rules only locate the endpoint and
frame the change.
"""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder, rule
from planner.plan import Endpoint
from planner.render.escape import code
from planner.rules.pagination.target import ListTarget, list_target
from planner.rules.shared.cases import error_tests
from planner.rules.shared.edges import plan_edges
from planner.rules.shared.paging import (
    page_errors,
    page_headers,
    page_schema,
    plan_paging,
    plan_sort_index,
    query_params,
)
from planner.rules.shared.testclient import (
    client_defaults,
    client_fixture,
    real_database,
)


def list_endpoint(t: ListTarget) -> Endpoint:
    """Return the paged contract of the target (its other errors are unchanged)."""
    return Endpoint(
        method=t.method,
        path=t.served,
        function=t.function,
        summary=f"List {t.table.replace('_', ' ')}",
        response_schema=t.response,
        success_status=200,
        success_headers=page_headers(t.paging),
        # An RPC-style POST list takes the paging fields in its JSON body.
        query=query_params(t.paging) if t.method == "GET" else (),
        request_schema=None if t.method == "GET" or t.body_params else t.body or None,
        auth="unchanged",
        idempotent=True,
        errors=tuple(page_errors(t.paging)),
    )


@rule("pagination.contract")
def plan_contract(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the paged contract of the list endpoint and its page envelope."""
    t = list_target(ctx)
    p = t.paging
    plan.title = f"Pagination: {t.spec.target} ({p.style})"
    links = {
        "link-header": "a `Link` header",
        "none": "the client's next request (a bare list)",
    }.get(p.links, "the page envelope")
    total = "with an optional total" if p.include_total else "without a total"
    plan.summary = (
        f"Page `{t.spec.target}` with {p.style} pagination: at most {p.max_size} "
        f"rows per page (default {p.default_size}), ordered by {p.order_text()}, "
        f"{total}, next page in {links}. Authentication and the endpoint's other "
        "errors stay as they are."
    )
    plan.endpoints.append(list_endpoint(t))
    if t.method != t.spec.method:
        plan.assume(
            f"The project serves {code(t.served)} by `{t.method}`, not "
            f"`{t.spec.method}`: the plan pages the route it has."
        )
    if not p.bare:
        plan.schemas.append(
            page_schema(p, name=t.page_name, item_schema=t.item_schema or "...")
        )
    if not t.listed:
        _unlisted(ctx, plan, t)
        return
    read = ctx.targets.slot("response_class") if ctx.targets is not None else None
    schema = (
        f"their current schema (assumed {t.items})"
        if read is None
        else f"their current schema ({t.items})"
        if read
        else "the route's current item schema (planner could not read its name)"
    )
    if t.table_read:
        plan.assume(f"The items keep {schema} and live in the `{t.table}` table.")
    else:
        reads = f" ({code(t.data_function)} reads them)" if t.data_function else ""
        plan.assume(
            f"The items keep {schema}; planner found no table class for them"
            f"{reads}: `{t.table}` and its key `{t.paging.key}` below stand for "
            "the real table's name and key (check them where the data access "
            "queries it)."
        )
    if not ctx.exists(t.route.router) and ctx.layout.source != "default":
        plan.assume(
            f"{code(t.route.router)} was not found: apply the router changes "
            f"where `{t.spec.target}` is defined."
        )


def _unlisted(ctx: Context, plan: PlanBuilder, t: ListTarget) -> None:
    """Say at the top that the list to page is not one the project serves."""
    unread = ctx.targets is not None and any(
        u.startswith("could not parse") for u in ctx.targets.unknowns
    )
    closest = ", ".join(code(c) for c in t.closest)
    plan.risk(
        f"planner found no `{t.method} {t.served}` among the routes the project "
        "serves"
        + (
            " (some files could not be read: it may be in one of them)"
            if unread
            else ""
        )
        + (f"; the closest lists it serves are {closest}" if closest else "")
        + ". Check the spec's `target` before following this plan: it adds the "
        "list where a new resource's modules go, then pages it."
    )
    plan.ask(
        f"Is `{t.spec.target}` a list still to be written, or another one the "
        "project serves under a different path"
        + (f" ({closest})" if closest else "")
        + "? If another, set it as the spec's `target` and plan again."
    )


@rule("pagination.router")
def plan_router(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the query parameters, data access and links through paging.py."""
    t = list_target(ctx)
    route = t.route
    if t.wrapper and not t.paging.bare:
        plan.file(
            route.schema,
            "request and response schemas",
            f"`{t.wrapper}`, the list's own envelope, keeps "
            f"`{t.paging.items_field}` ({t.items}) and gains the other fields "
            "below: it is the page.",
            action="modify",
        )
    elif not t.paging.bare and not t.paging.envelope:
        plan.file(
            route.schema,
            "request and response schemas",
            f"`{t.page_name}`, the envelope below, around "
            + ("the existing " if t.listed and t.item_schema else "")
            + f"{t.items}.",
            action="modify",
        )
    if t.method == "POST" and not t.body_params:
        plan.file(
            route.schema,
            "request and response schemas",
            (
                f"{code(t.body)}, the list's JSON body,"
                if t.body
                else "The list's JSON body"
            )
            + " gains the paging fields with their bounds: "
            f"{', '.join(query_params(t.paging))}.",
            action="modify",
        )
    plan.file(
        route.service,
        "data access",
        (
            f"`{t.function}` calls `{t.data_function}` here: its query"
            if t.data_function
            else f"`{t.function}(session, ...)`"
        )
        + " takes the paging values and returns one "
        + (
            "page."
            if t.paging.links == "none"
            else "page plus what the next link needs."
        ),
        action="modify",
    )
    if t.data_inherited:
        holder, _, method = t.data_function.rpartition(".")
        plan.file(
            route.service,
            "data access",
            f"`{method}` is not written for this list: `{holder}` inherits it "
            "from the base class here, which other resources' data access may "
            "share. Take the paging values as optional parameters of it (the "
            "count beside it), so this list pages and the others keep answering "
            "as they do.",
        )
    plan.file(
        route.router,
        "path operations",
        f"`{t.function}` "
        + ("keeps returning" if t.paging.bare or t.wrapper else "now returns")
        + f" {t.response_text}"
        + (", one page of it" if t.wrapper else "")
        + "; keep its auth and filters."
        if t.listed
        else f"Add `{t.function}` for `{t.method} {t.served}`, answering "
        f"{t.response_text} and guarded as the project's other lists are.",
        action="modify",
    )
    if not t.listed and not ctx.exists(route.router):
        module = route.router.rsplit("/", 1)[-1].removesuffix(".py")
        plan.file(
            ctx.layout.router_registry,
            "router registration",
            f"Import the new `{module}` router and add `include_router(...)` "
            "next to the existing ones.",
        )
    for path in t.paged_by:
        plan.file(
            path,
            "paging parameters",
            f"`{t.function}` takes its paging through the dependency here: add "
            f"what the plan needs ({', '.join(query_params(t.paging))}) to it, "
            "with its bounds, so every list using it gains them and the route "
            "declares no second set.",
            action="modify",
        )
    for path in t.documented_by:
        plan.file(
            path,
            "paging parameters' documentation",
            f"`{t.function}` documents the query parameters its dependency reads "
            "with a function here (its `openapi_extra=`): FastAPI cannot see "
            f"them, so document the new ones ({', '.join(query_params(t.paging))})"
            " here too, as it documents the others.",
            action="modify",
        )
    plan_paging(
        ctx,
        plan,
        t.paging,
        service_file=route.service,
        router_file=route.router,
        test_file=route.test,
        function=t.function,
        paged_by=t.paged_by,
        in_body=t.method != "GET" and not t.body_params,
    )
    if t.method != "GET" and not t.body_params:
        plan.file(
            route.router,
            "path operations",
            f"The list is a {t.method}: it reads the paging fields "
            f"({', '.join(query_params(t.paging))}) from {t.body_text}, as the "
            "project's other POST lists do, and declares no query parameters.",
        )
    elif t.method == "GET":
        plan.practice("query-param-models")


@rule("pagination.data")
def plan_data(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the composite index that serves the ordering and the seek."""
    t = list_target(ctx)
    plan_sort_index(ctx, plan, t.paging, table=t.table, model=t.model, found=t.stored)


@rule("pagination.compatibility")
def plan_compatibility(ctx: Context, plan: PlanBuilder) -> None:
    """Say what the change means for existing clients."""
    t = list_target(ctx)
    if not t.listed:
        return  # a new list: no client relies on it yet
    if t.paging.links == "none" and t.spec.links is None:
        plan.note(
            "practice",
            f"`{t.spec.target}` stays a bare list, as the project answers it "
            "today: clients ask for the next page themselves. Current practice "
            "advertises it (a page envelope or a `Link` header); set `links` in "
            "the spec to change it.",
            key="bare-list-kept",
        )
    if t.wrapper and not t.paging.bare:
        plan.note(
            "compatibility",
            f"`{t.wrapper}` keeps `{t.paging.items_field}`, so clients keep "
            "reading it; but it now holds one page: clients that expect every "
            "item must ask for the next pages.",
            key="envelope-breaks-clients",
        )
    elif not t.paging.bare:
        plan.note(
            "compatibility",
            f"If `{t.spec.target}` returns a bare JSON list today, wrapping it in "
            f"`{t.response}` breaks existing clients: ship the envelope under a "
            "new API version, or serve both shapes through a deprecation period.",
            key="envelope-breaks-clients",
        )
    if t.paging.helper:
        return  # the project's helper keeps the cap it has
    plan.note(
        "compatibility",
        f"Requests with `{t.paging.size_param}` above {t.paging.max_size} now get "
        "422 instead of a large page: tell client owners before release.",
        key="cap-breaks-clients",
    )


@rule("pagination.edges")
def plan_pagination_edges(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the proxy and CORS settings the page links rely on."""
    plan_edges(ctx, plan, route_file=list_target(ctx).route.router)


@rule("pagination.tests")
def plan_tests(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the contract tests next to the boundary tests of paging.py."""
    t = list_target(ctx)
    ep = list_endpoint(t)
    test_file = t.route.test
    # The spec says the list exists; where planner found it, it can tell
    # whether its tests do too.
    found = ctx.exists(t.route.router)
    lay = ctx.layout
    # The project's own client, where planner read one; a pagination adds no
    # fixture of its own.
    client = (
        [
            client_fixture(lay, test_file=test_file)
            + "".join(f"; {real}" for real in [real_database(lay)] if real)
            + "."
        ]
        if lay.test_client_fixture or lay.test_own_clients
        else []
    )
    plan.file(
        test_file,
        f"tests for {t.table.replace('_', ' ')}",
        *client,
        "Seed rows with explicit, partly equal sort values so ordering and ties "
        "are deterministic; assert bodies, headers and the number of queries.",
        *filter(None, [client_defaults(lay, paths=(t.served,))]),
        action=None if found else "modify",
    )
    plan.test(
        test_file,
        f"test_{t.function}_200",
        f"`{t.method} {t.served}` → 200 with "
        + t.response_text
        + f" in {t.paging.order_text()} order",
    )
    for name, checks in error_tests(ep):
        plan.test(test_file, name, checks)
    plan.practice("crud-test-matrix")


@rule("pagination.steps")
def plan_steps(ctx: Context, plan: PlanBuilder) -> None:
    """Lay out the order of work, each step leaving the suite green."""
    t = list_target(ctx)
    route = t.route
    if plan.migration:  # an index to add (pagination.data ran first)
        plan.step(
            "Index", "Add the index migration and apply it before the new query ships."
        )
    if t.wrapper and not t.paging.bare:
        plan.step("Schemas", f"Extend `{t.wrapper}` in {code(route.schema)}.")
    elif not t.paging.bare and not t.paging.envelope:
        plan.step("Schemas", f"Add `{t.page_name}` in {code(route.schema)}.")
    plan.step("Data access", f"Page the query in {code(route.service)}.")
    links = "" if t.paging.links == "none" else " and links"
    plan.step("Route", f"Add the parameters{links} in {code(route.router)}.")
    verb = "Write" if plan.creates(route.test) else "Extend"
    plan.step("Tests", f"{verb} {code(route.test)} with the boundary tests.")
    if ctx.layout.generated_client:
        plan.step(
            "API client",
            f"Regenerate the client in {code(ctx.layout.generated_client)}.",
        )
    plan.step("Check", "Run the linters, type checker and the whole test suite.")
