"""Shared pagination rules: the one source of truth for every paged list.

CRUD list operations, paginated endpoints and the pagination kind all call
these functions, so the same settings give the same contract and guidance.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context, PlanBuilder
from planner.plan import ErrorCase, Index, Schema, SchemaField
from planner.render.escape import code
from planner.rules.shared.params import QUERY_MODELS_SINCE, fastapi_at_least, param
from planner.rules.shared.route import singularize
from planner.rules.shared.tables import alter_table
from planner.spec import EndpointPagination, PaginationSpec, ResourcePagination


@dataclass(frozen=True, slots=True)
class Paging:
    """A normalised pagination choice."""

    style: str
    default_size: int
    max_size: int
    sort: tuple[str, ...]
    include_total: bool
    links: str

    @property
    def order(self) -> tuple[str, ...]:
        """Sort keys (`-` for descending), always ending in the `id` tie-breaker."""
        keys = self.sort or ("-created_at",)
        if keys[-1].lstrip("-") != "id":
            descending = keys[-1].startswith("-")
            keys = (*keys, "-id" if descending else "id")
        return keys

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns of the ordering, without direction."""
        return tuple(key.lstrip("-") for key in self.order)

    @property
    def mixed(self) -> bool:
        """Tell whether the ordering mixes ascending and descending keys."""
        return len({key.startswith("-") for key in self.order}) > 1

    @property
    def bare(self) -> bool:
        """Tell whether the page is a bare JSON list (no envelope)."""
        return self.links != "envelope"

    @property
    def by_item(self) -> bool:
        """Tell whether the client names the next page by the last item's id."""
        return self.style == "cursor" and self.links == "none"

    @property
    def size_param(self) -> str:
        """The page-size query parameter: `size` for page style, else `limit`."""
        return "size" if self.style == "page" else "limit"

    def order_text(self) -> str:
        """Return the ordering as SQL-ish text, e.g. `created_at DESC, id DESC`."""
        return ", ".join(
            f"{k.lstrip('-')} {'DESC' if k.startswith('-') else 'ASC'}"
            for k in self.order
        )


def paging_from(
    source: ResourcePagination | EndpointPagination | PaginationSpec,
    *,
    links: str | None = None,
) -> Paging | None:
    """Normalise any pagination table; `None` when the style is `none`.

    `links` settles where the next page goes when the spec leaves it to the
    project (:meth:`PaginationSpec.links_for`).
    """
    if source.style == "none":
        return None
    include_total = (
        source.include_total
        if source.include_total is not None
        else source.style != "cursor"
    )
    return Paging(
        style=source.style,
        default_size=min(source.default_size, source.max_size),
        max_size=source.max_size,
        sort=source.sort,
        include_total=include_total,
        links=links or source.links or "envelope",
    )


def query_params(p: Paging) -> tuple[str, ...]:
    """Return the query parameters of a paged list, with bounds."""
    size = f"{p.size_param}: 1..{p.max_size}, default {p.default_size}"
    if p.style == "offset":
        params = [size, "offset: >= 0, default 0"]
    elif p.style == "page":
        params = [size, "page: >= 1, default 1"]
    elif p.by_item:
        params = [size, "after: the id of the last item of the previous page, optional"]
    else:
        params = [size, "cursor: opaque string from the previous page, optional"]
    if p.include_total:
        params.append("include_total: bool, default true; false skips the count query")
    return tuple(params)


def page_errors(p: Paging) -> list[ErrorCase]:
    """Return the error cases pagination adds to a list operation, by status."""
    cases: list[ErrorCase] = []
    if p.by_item:
        cases.append(ErrorCase(status=400, when="`after` names no item of this list"))
    elif p.style == "cursor":
        cases.append(
            ErrorCase(
                status=400,
                when="the cursor is tampered with or stale: it does not decode, "
                "or was issued for another sort order or cursor version",
            )
        )
    cases.append(
        ErrorCase(
            status=422,
            when=f"{code(p.size_param)} is below 1 or above {p.max_size}, or a "
            "paging parameter is not an integer",
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
    fields: list[tuple[str, str]] = [("data", f"list[{item_schema}]")]
    if p.include_total:
        fields.append(("count", "int | None (null when include_total=false)"))
    if p.style == "cursor" and p.links == "envelope":
        fields.append(("next_cursor", "str | None"))
    elif p.style != "cursor" and p.links == "envelope":
        fields.append(("next", "str | None (URL of the next page)"))
    return tuple(fields)


def page_schema(p: Paging, *, name: str, item_schema: str) -> Schema:
    """Return the response schema of a paged list."""
    return Schema(
        name=name,
        role="response body of list",
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
    if in_body:
        pass
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
                else "."
            ),
        )
    _plan_query(plan, p, service_file=service_file)
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
        nxt = "`after` = the last item's id" if p.by_item else "the next page number"
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: answer a bare list; the client asks for the next "
            f"page with {nxt} and stops at a page shorter than the size it asked "
            "for.",
        )
    elif p.style != "cursor":
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: fill `next` with "
            "`request.url.include_query_params(...)` for the following page, or "
            "`None` on the last one.",
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
    if p.include_total:
        plan.habit("pagination-total-optional")
    _plan_page_tests(plan, p, test_file=test_file)


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
    size = param(
        ctx,
        p.size_param,
        "int",
        "Query",
        args=f"ge=1, le={p.max_size}",
        default=str(p.default_size),
    )
    other = {
        "offset": f"`{param(ctx, 'offset', 'int', 'Query', args='ge=0', default='0')}`",
        "page": f"`{param(ctx, 'page', 'int', 'Query', args='ge=1', default='1')}`",
        "cursor": "`after: <id type> | None = None`"
        if p.by_item
        else "`cursor: str | None = None`",
    }[p.style]
    total = ", `include_total: bool = True`" if p.include_total else ""
    return f"`{size}`, {other}{total}"


def _plan_query(plan: PlanBuilder, p: Paging, *, service_file: str) -> None:
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
        skip = "offset" if p.style == "offset" else "(page - 1) * size"
        # A bare list tells no next page: the client stops at a short page,
        # so no extra row is fetched to find one.
        extra = "" if p.links == "none" else " + 1"
        plan.file(
            service_file,
            "data access",
            f"List query: `ORDER BY {order}` (the `id` tie-breaker keeps pages "
            f"stable), then `OFFSET {skip} LIMIT {p.size_param}{extra}` "
            f"(`.offset({skip}).limit({p.size_param}{extra})` in SQLAlchemy)"
            + (": the extra row tells whether a next page exists." if extra else "."),
        )
    if p.include_total:
        plan.file(
            service_file,
            "data access",
            "Count with `SELECT count(*)` (`select(func.count()).select_from(...)` "
            "in SQLAlchemy) using the same filters as the page query (no ORDER BY, "
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
    return (
        f"Keyset query: `ORDER BY {order}`; when {given} is given, seek with "
        f"`tuple_({cols}) {op} tuple_(<{values} values>)` (a row-value comparison "
        "that the composite index serves) instead of OFFSET."
    )


def _plan_page_tests(plan: PlanBuilder, p: Paging, *, test_file: str) -> None:
    size = p.size_param
    nxt = {
        "link-header": "`Link` header",
        "none": "page (asking past it answers `[]`)",
    }.get(p.links, "cursor" if p.style == "cursor" else "link")
    empty = "`[]`" if p.bare else "`data == []`"
    plan.test(test_file, "test_list_empty", f"200 with {empty}; never 404")
    plan.test(
        test_file,
        "test_list_exactly_one_page",
        f"exactly {p.default_size} rows and the default {code(size)}: one full "
        f"page and no next {nxt}",
    )
    plan.test(
        test_file,
        "test_list_last_page",
        f"{p.default_size * 2 + 1} rows: walk every page; each row seen exactly "
        f"once, in order; the last page holds 1 row and has no next {nxt}",
    )
    plan.test(
        test_file,
        "test_list_ties_on_sort_key",
        "rows sharing the same leading sort value, split across pages: the `id` "
        "tie-breaker keeps each row on exactly one page",
    )
    plan.test(
        test_file,
        "test_list_size_above_cap",
        f"{size}={p.max_size} → 200; {size}={p.max_size + 1} → 422; {size}=0 → 422",
    )
    if p.include_total:
        count = "no `X-Total-Count` header" if p.bare else "`count` is null"
        plan.test(
            test_file,
            "test_list_without_total",
            f"`include_total=false` → {count} and no count query runs",
        )
    if p.by_item:
        plan.test(
            test_file,
            "test_list_after_unknown_item",
            "`after` naming no item, or another user's → 400, never a 500",
        )
    elif p.style == "cursor":
        plan.test(
            test_file,
            "test_list_tampered_cursor",
            "a modified, truncated or random cursor, or one issued for another "
            "sort order → 400, never a 500",
        )
    if p.style == "cursor":
        plan.test(
            test_file,
            "test_list_stable_under_inserts",
            "insert rows between two page requests: no row repeats or is skipped",
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
    if index.columns == ("id",):
        plan.assume(
            f"`{table}` is ordered by its primary key `id`, whose index serves the "
            "ordering and the seek: no new index or migration."
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
