"""Shared pagination rules: the one source of truth for every paged list.

CRUD list operations, paginated endpoints and the pagination kind all call
these functions, so the same settings give the same contract and guidance.
"""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder
from planner.plan import ErrorCase, Index, Schema, SchemaField
from planner.render.escape import code
from planner.rules.shared.pagehabit import page_habit
from planner.rules.shared.pagemodel import Paging, paging_from
from planner.rules.shared.pagetests import plan_habit_notes, plan_page_tests
from planner.rules.shared.params import QUERY_MODELS_SINCE, fastapi_at_least, param
from planner.rules.shared.route import singularize
from planner.rules.shared.tables import alter_table

__all__ = [
    "Paging",
    "page_errors",
    "page_headers",
    "page_response",
    "page_schema",
    "paging_advice",
    "paging_from",
    "plan_paging",
    "plan_sort_index",
    "query_params",
    "sort_index",
]


def paging_advice(ctx: Context) -> str:
    """How to page a list the spec leaves unpaged: as the project's others are.

    ``Cap it (`limit` with `le=`)`` without a project's habit to follow.
    """
    habit = page_habit(ctx, "offset")
    if habit is None:
        return "Cap it (`limit` with `le=`)"
    names = ", ".join(f"`{n}`" for n in habit.names.split("+"))
    envelope = page_habit(ctx, habit.style)
    shape = envelope.envelope if envelope is not None else ""
    answer = (
        " as bare lists" if shape == "list" else f" with `{shape}`" if shape else ""
    )
    return f"Page it as the project's other lists are ({habit.style}: {names}{answer})"


def query_params(p: Paging) -> tuple[str, ...]:
    """Return the query parameters of a paged list, with bounds."""
    size = f"{p.size_param}: 1..{p.max_size}, default {p.default_size}"
    if p.helper:
        size = f"{p.size_param}: default and maximum as `{p.helper}` sets them"
    start = p.start_param
    if p.style == "offset":
        params = [size, f"{start}: >= 0, default 0"]
    elif p.style == "page":
        params = [size, f"{start}: >= 1, default 1"]
    elif p.by_item:
        params = [
            size,
            f"{start}: the id of the last item of the previous page, optional",
        ]
    else:
        params = [size, f"{start}: opaque string from the previous page, optional"]
    if p.total_optional:
        params.append("include_total: bool, default true; false skips the count query")
    return tuple(params)


def page_errors(p: Paging) -> list[ErrorCase]:
    """Return the error cases pagination adds to a list operation, by status."""
    cases: list[ErrorCase] = []
    if p.by_item:
        cases.append(
            ErrorCase(
                status=400, when=f"{code(p.start_param)} names no item of this list"
            )
        )
    elif p.style == "cursor":
        cases.append(
            ErrorCase(
                status=400,
                when="the cursor is tampered with or stale: it does not decode, "
                "or was issued for another sort order or cursor version",
            )
        )
    bounds = (
        f"is outside the bounds `{p.helper}` sets"
        if p.helper
        else f"is below 1 or above {p.max_size}"
    )
    cases.append(
        ErrorCase(
            status=422,
            when=f"{code(p.size_param)} {bounds}, or a paging parameter is not an "
            "integer",
        )
    )
    return cases


def page_headers(p: Paging) -> tuple[str, ...]:
    """Return the success headers of a paged list (RFC 8288 links, if chosen).

    A bare list carries its total, when asked for, in a header.
    """
    headers: list[str] = []
    if p.links == "link-header":
        headers.append(
            'Link: <next page URL>; rel="next" (only when another page exists)'
        )
    if p.bare and p.include_total:
        headers.append("X-Total-Count: <rows in all pages> (when include_total)")
    return tuple(headers)


def page_response(p: Paging, *, name: str, item_schema: str) -> str:
    """What a paged list answers: the project's page class, its own, or a list."""
    if p.bare:
        return f"list[{item_schema}]"
    return f"{p.envelope}[{item_schema}]" if p.envelope else name


def sort_index(p: Paging, table: str) -> Index:
    """Return the composite index that serves the ordering (and keyset seeks)."""
    columns = p.columns
    reason = f"serves ORDER BY {p.order_text()}"
    if p.style == "cursor":
        reason += " and the keyset seek"
    if p.mixed:
        reason += "; declare each column's direction to match, e.g. `.desc()`"
    return Index(name=f"ix_{table}_{'_'.join(columns)}", columns=columns, reason=reason)


def envelope_fields(p: Paging, item_schema: str) -> tuple[tuple[str, str], ...]:
    """Return the fields of the page envelope as (name, type)."""
    if p.envelope and p.habit is not None:
        first, *rest = p.habit.fields
        declared = f"as `{p.envelope}` declares it"
        return ((first, f"list[{item_schema}]"), *((f, declared) for f in rest))
    fields: list[tuple[str, str]] = [(p.items_field, f"list[{item_schema}]")]
    if p.include_total:
        fields.append(("count", "int | None (null when include_total=false)"))
    if p.style == "cursor" and p.links == "envelope":
        fields.append(("next_cursor", "str | None"))
    elif p.style != "cursor" and p.links == "envelope":
        fields.append(("next", "str | None (URL of the next page)"))
    return tuple(fields)


def page_schema(p: Paging, *, name: str, item_schema: str) -> Schema:
    """Return the response schema of a paged list.

    A list answering with the project's own page class names it
    (`OffsetPaginatedResults[TagPublic]`): no class is added.
    """
    envelope = p.envelope
    return Schema(
        name=f"{envelope}[{item_schema}]" if envelope else name,
        role="response body of list"
        + (f" (the project's `{envelope}`, unchanged)" if envelope else ""),
        fields=tuple(
            SchemaField(name=n, type=t, required=True)
            for n, t in envelope_fields(p, item_schema)
        ),
        notes=f"items in {p.order_text()} order",
    )


def plan_paging(
    ctx: Context,
    plan: PlanBuilder,
    p: Paging,
    *,
    service_file: str,
    router_file: str,
    test_file: str,
    function: str,
    paged_by: tuple[str, ...] = (),
    in_body: bool = False,
) -> None:
    """Add the query, response and test guidance every paged list shares.

    ``paged_by`` are the project files whose dependency gives the route its
    paging parameters already: the bounds go there, not on the route.
    ``in_body``: the list reads them from its JSON body (a POST list), which
    the caller plans; the route declares no query parameters.
    """
    dependency = p.habit.dependency if p.habit is not None else ""
    if in_body:
        pass
    elif dependency and not paged_by:
        applied = dependency.removeprefix("dependencies=[").removesuffix("]")
        how = (
            f"list {code(applied)} in its decorator's `dependencies=[...]`"
            if applied != dependency
            else f"take {code(dependency)}"
        )
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: {how} as the project's other lists do: it reads "
            "the paging values and enforces their bounds.",
        )
    elif paged_by:
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: keep taking the paging values from the "
            f"project's dependency ({', '.join(code(f) for f in paged_by)}); "
            "enforce the bounds there.",
        )
    else:
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: declare {_param_declarations(ctx, p)} so the "
            "bounds are enforced and documented"
            + (
                "; group the paging parameters in a Pydantic model read with "
                "`Annotated[Params, Query()]` if several lists share them."
                if fastapi_at_least(ctx, QUERY_MODELS_SINCE)
                and not (p.habit is not None and p.habit.in_body)
                else "."
            ),
        )
    # SQLAlchemy's spelling only where the project's tables are its (or no
    # project was read); another ORM's is the project's own to write.
    orm = ctx.targets is None or ctx.layout.orm_found
    _plan_helpers(plan, p, service_file=service_file)
    _plan_query(plan, p, service_file=service_file, sqlalchemy=orm)
    _plan_library(ctx, plan)
    if p.links == "link-header":
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: take a `Response` parameter and set "
            '`Link: <url>; rel="next"` (RFC 8288) when another page exists; build '
            "the URL with `request.url.include_query_params(...)` so other query "
            "parameters survive.",
        )
        plan.practice("pagination-link-header")
    elif p.links == "none":
        nxt = (
            f"{code(p.start_param)} = the last item's id"
            if p.by_item
            else f"the next {code(p.start_param)}"
        )
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: answer a bare list; the client asks for the next "
            f"page with {nxt} and stops at a page shorter than the size it asked "
            "for.",
        )
    elif p.style != "cursor" and p.next_field == "next":
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: fill `next` with "
            "`request.url.include_query_params(...)` for the following page, or "
            "`None` on the last one.",
        )
    elif p.envelope:
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: answer `{p.envelope}[...]` filled as the "
            "project's other lists fill it"
            + (f" ({', '.join(code(f) for f in p.habit.fields)})" if p.habit else "")
            + ".",
        )
    if p.bare and p.include_total:
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: set `X-Total-Count` on the response when "
            "`include_total` is true; a bare list has no field to carry it.",
        )
    plan.habit("pagination-cap")
    plan.habit("pagination-tie-breaker")
    if p.total_optional:
        plan.habit("pagination-total-optional")
    plan_habit_notes(plan, p)
    plan_page_tests(plan, p, test_file=test_file)


def _plan_helpers(plan: PlanBuilder, p: Paging, *, service_file: str) -> None:
    """Name the project's paging helpers, which its lists' data access calls."""
    helpers = p.habit.helpers if p.habit is not None else ""
    if not helpers:
        return
    named = (entry.rpartition(":") for entry in helpers.split(";"))
    plan.file(
        service_file,
        "data access",
        "Page the query and fill the answer with the project's own helpers, as "
        "its other lists' data access does: "
        + "; ".join(
            f"{', '.join(code(n) for n in names.split(','))} from {code(path)}"
            for path, _, names in named
        )
        + ".",
    )


def _plan_library(ctx: Context, plan: PlanBuilder) -> None:
    """Point at the pagination library the project already uses."""
    library = ctx.layout.pagination_library
    if not library:
        return
    calls = "its page types and `paginate()`"
    if library == "fastapi-pagination" and ctx.layout.session_is_async:
        calls = (
            "its page types and, with the `AsyncSession`, `await apaginate(session, "
            "select(...))` from `fastapi_pagination.ext.sqlalchemy`"
        )
        plan.habit("pagination-apaginate")
    plan.note(
        "practice",
        f"The project already uses {code(library)}: express this plan with it "
        f"({calls}) rather than a second, hand-written paging scheme; the cap, "
        "ordering and tests below still apply.",
        key="existing-pagination-library",
    )


def _param_declarations(ctx: Context, p: Paging) -> str:
    habit = p.habit
    # A POST list of a project that reads paging from the body declares it so.
    marker = "Body" if habit is not None and habit.in_body else "Query"
    size = param(
        ctx,
        p.size_param,
        "int",
        marker,
        args=f"ge=1, le={p.max_size}",
        default=str(p.default_size),
    )
    if p.helper:
        size = f"{p.size_param}: int = {p.helper}"
    start = p.start_param
    other = {
        "offset": f"`{param(ctx, start, 'int', marker, args='ge=0', default='0')}`",
        "page": f"`{param(ctx, start, 'int', marker, args='ge=1', default='1')}`",
        "cursor": f"`{start}: {_item_id(ctx)} | None = None`"
        if p.by_item
        else f"`{start}: str | None = None`",
    }[p.style]
    total = ", `include_total: bool = True`" if p.total_optional else ""
    return f"`{size}`, {other}{total}"


def _item_id(ctx: Context) -> str:
    """The type of the ids an `after` parameter names, as the routes type them."""
    from planner.rules.crud.ids import followed_id_type
    from planner.rules.shared.types import id_annotation

    found = followed_id_type(ctx.targets)
    if found:
        return id_annotation(found)
    # A project read without an id type read for these rows: not made up.
    return "int" if ctx.layout.source == "default" else "<the rows' id type>"


def _plan_query(
    plan: PlanBuilder, p: Paging, *, service_file: str, sqlalchemy: bool = True
) -> None:
    order = p.order_text()
    if p.by_item:
        plan.file(
            service_file,
            "data access",
            _keyset_seek(p),
            "When `after` is given, read that row's sort values (within the "
            "query's own filters, so no one seeks past an item they cannot "
            "list) and seek past them; no such row answers 400.",
            _CURSOR_GUIDANCE[1],
        )
        plan.practice("pagination-keyset")
        plan.practice("pagination-opaque-cursor")
    elif p.style == "cursor":
        plan.file(service_file, "data access", _keyset_seek(p), *_CURSOR_GUIDANCE)
        plan.practice("pagination-keyset")
        plan.practice("pagination-opaque-cursor")
    else:
        size, start = p.size_param, p.start_param
        skip = start if p.style == "offset" else f"({start} - 1) * {size}"
        # A bare list tells no next page: the client stops at a short page,
        # so no extra row is fetched to find one; nor does a page class
        # without a field for it, nor a page that always counts its total.
        counted = p.include_total and not p.total_optional
        extra = "" if p.links == "none" or not p.next_field or counted else " + 1"
        plan.file(
            service_file,
            "data access",
            f"List query: `ORDER BY {order}` (the `{p.key}` tie-breaker keeps pages "
            f"stable), then `OFFSET {skip} LIMIT {size}{extra}`"
            + (
                f" (`.offset({skip}).limit({size}{extra})` in SQLAlchemy)"
                if sqlalchemy
                else " in the project's own query code"
            )
            + (": the extra row tells whether a next page exists." if extra else "."),
        )
    if p.include_total and not p.total_optional:
        plan.file(
            service_file,
            "data access",
            f"Count with `SELECT count(*)` using the same filters as the page "
            f"query (no ORDER BY, LIMIT or OFFSET) for `{p.total_field}`.",
        )
    elif p.include_total:
        plan.file(
            service_file,
            "data access",
            "Count with `SELECT count(*)`"
            + (
                " (`select(func.count()).select_from(...)` in SQLAlchemy)"
                if sqlalchemy
                else ""
            )
            + " using the same filters as the page query (no ORDER BY, "
            "LIMIT or OFFSET); it costs a "
            "second query on every request, so run it only when `include_total` "
            "is true.",
        )


_CURSOR_GUIDANCE = (
    "Fetch `limit + 1` rows: the extra row tells whether a next page exists "
    "without a COUNT; build the next cursor from the last row returned.",
    "Every sort column must be NOT NULL (or wrapped in `coalesce()` in both the "
    "ORDER BY and the seek): NULLs never satisfy a comparison, so rows vanish.",
    "Encode the cursor as URL-safe base64 of a small JSON object: a format "
    "version, the sort keys it was issued for, and the last row's sort values. "
    "Answer 400 with a clear `detail` for an undecodable or mismatched cursor, "
    "never 500. It only positions the seek: the query's own filters (owner, "
    "tenant) still apply, so a forged cursor shows nothing the caller could not "
    "list; sign it (HMAC with a key from settings) only if it carries more.",
)


def _keyset_seek(p: Paging) -> str:
    order = p.order_text()
    cols = ", ".join(p.columns)
    if p.mixed:
        return (
            f"Keyset query: `ORDER BY {order}`; the directions differ, so a "
            "row-value comparison cannot express the seek: expand it key by key "
            "(`a < :a OR (a = :a AND id > :id)`, with the operator matching each "
            "key's direction) instead of OFFSET."
        )
    op = "<" if p.order[0].startswith("-") else ">"
    given, values = ("`after`", "its sort") if p.by_item else ("a cursor", "cursor")
    if p.columns == (p.key,):
        # One unique key: a plain comparison, no row value to build.
        value = ":after" if p.by_item else ":cursor_id"
        what = "" if p.by_item else " (the id the cursor decodes to)"
        return (
            f"Keyset query: `ORDER BY {order}`; when {given} is given, add "
            f"`WHERE {p.key} {op} {value}`{what} instead of OFFSET: the primary key "
            "serves it."
        )
    return (
        f"Keyset query: `ORDER BY {order}`; when {given} is given, seek with "
        f"`tuple_({cols}) {op} tuple_(<{values} values>)` (a row-value comparison "
        "that the composite index serves) instead of OFFSET."
    )


def plan_sort_index(
    ctx: Context,
    plan: PlanBuilder,
    p: Paging,
    *,
    table: str,
    model: str,
    found: bool = True,
) -> None:
    """Say which index a paged list over an existing table needs.

    Whether the table has it already is not read from the project (an index
    may be declared on the column, in ``__table_args__`` or only in a
    migration): the plan asks, and plans the index only for a cursor, whose
    seek needs it. ``found`` False says planner read the project and no
    table holds the list: nothing is altered, the plan asks which table.
    """
    index = sort_index(p, table)
    if not found:
        plan.ask(
            f"No `{table}` table was found in the project: which table holds "
            f"these rows? Declare `{index.name}` on "
            f"({', '.join(index.columns)}) with it, in the migration that "
            "creates it or in a new one."
        )
        plan.practice("naming-convention-indexes")
        return
    if index.columns == (p.key,):
        plan.assume(
            f"`{table}` is ordered by its primary key `{p.key}`, whose index serves "
            "the ordering and the seek: no new index or migration."
        )
        return
    if p.style == "cursor":
        # A keyset seek is only cheap over this exact composite index, which
        # a table seldom has before its list is paged by cursor.
        singular = singularize(table)
        lay = ctx.layout
        alter_table(
            ctx,
            plan,
            table=table,
            model=model,
            model_file=lay.path(lay.model_module, singular=singular, plural=table),
            indexes=(index,),
            change=f"create index `{index.name}` on ({', '.join(index.columns)})"
            " unless the table has it",
        )
        plan.ask(
            f"Does the list filter `{table}` (by owner, tenant or status)? Put "
            f"those equality columns first in `{index.name}` so one index serves "
            "the filter and the ordering."
        )
        plan.practice("naming-convention-indexes")
        return
    columns = ", ".join(index.columns)
    plan.ask(
        f"Has `{table}` an index on ({columns})? One {index.reason}; without "
        f"it, add `{index.name}` to the model and a migration. Put "
        "columns the list filters by equality (owner, tenant, status) first."
    )
    plan.practice("naming-convention-indexes")
