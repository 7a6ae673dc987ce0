"""Shared pagination rules: the one source of truth for every paged list."""

from __future__ import annotations

from dataclasses import dataclass

from planner._markdown import code
from planner.blueprint import PlanBuilder
from planner.plan import ErrorCase, Index
from planner.spec import EndpointPagination, PaginationSpec, ResourcePagination


@dataclass(frozen=True)
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

    def order_text(self) -> str:
        """Return the ordering as SQL-ish text, e.g. `created_at DESC, id DESC`."""
        return ", ".join(
            f"{k.lstrip('-')} {'DESC' if k.startswith('-') else 'ASC'}"
            for k in self.order
        )


def paging_from(
    source: ResourcePagination | EndpointPagination | PaginationSpec,
) -> Paging | None:
    """Normalise any pagination table; `None` when the style is `none`."""
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
        links=source.links,
    )


def query_params(p: Paging) -> tuple[str, ...]:
    """Return the query parameters of a paged list, with bounds."""
    size = f"limit: 1..{p.max_size}, default {p.default_size}"
    if p.style == "offset":
        return (size, "offset: >= 0, default 0")
    if p.style == "page":
        return (f"size: 1..{p.max_size}, default {p.default_size}", "page: >= 1, default 1")
    return (size, "cursor: opaque string from the previous page, optional")


def page_errors(p: Paging) -> list[ErrorCase]:
    """Return the error cases pagination adds to a list operation."""
    name = "size" if p.style == "page" else "limit"
    cases = [
        ErrorCase(
            status=422,
            when=f"{code(name)} is below 1 or above {p.max_size}, or a paging "
            "parameter is not an integer",
        )
    ]
    if p.style == "cursor":
        cases.append(
            ErrorCase(
                status=400,
                when="the cursor cannot be decoded, fails its signature check, or "
                "names a sort other than this endpoint's",
            )
        )
    return cases


def sort_index(p: Paging, table: str) -> Index:
    """Return the composite index that serves the ordering (and keyset seeks)."""
    columns = p.columns
    return Index(
        name=f"ix_{table}_{'_'.join(columns)}",
        columns=columns,
        reason=f"serves ORDER BY {p.order_text()}"
        + (" and the keyset seek" if p.style == "cursor" else ""),
    )


def envelope_fields(p: Paging, item_schema: str) -> tuple[tuple[str, str], ...]:
    """Return the fields of the page envelope as (name, type)."""
    fields: list[tuple[str, str]] = [("data", f"list[{item_schema}]")]
    if p.include_total:
        fields.append(("count", "int"))
    if p.style == "cursor" and p.links == "envelope":
        fields.append(("next_cursor", "str | None"))
    elif p.style != "cursor" and p.links == "envelope":
        fields.append(("next", "str | None (URL of the next page)"))
    return tuple(fields)


def plan_paging(
    plan: PlanBuilder,
    p: Paging,
    *,
    service_file: str,
    router_file: str,
    test_file: str,
    function: str,
) -> None:
    """Add the query, response and test guidance every paged list shares."""
    size = "size" if p.style == "page" else "limit"
    plan.file(
        router_file,
        "path operations",
        f"{code(function)}: declare {code(size)} as "
        f"`Annotated[int, Query(ge=1, le={p.max_size})] = {p.default_size}` so the "
        "cap is enforced and documented; group the paging parameters in a "
        "Pydantic model read with `Annotated[Params, Query()]` if several lists "
        "share them.",
    )
    _plan_query(plan, p, service_file=service_file)
    if p.links == "link-header":
        plan.file(
            router_file,
            "path operations",
            f"{code(function)}: set `Link: <...>; rel=\"next\"` (RFC 8288) on the "
            "response when another page exists; take a `Response` parameter to set "
            "it.",
        )
        plan.practice("pagination-link-header")
    plan.practice("pagination-cap")
    plan.practice("pagination-tie-breaker")
    if p.include_total:
        plan.practice("pagination-total-optional")
    _plan_page_tests(plan, p, test_file=test_file)


def _plan_query(plan: PlanBuilder, p: Paging, *, service_file: str) -> None:
    order = p.order_text()
    if p.style == "cursor":
        plan.file(
            service_file,
            "data access",
            f"Keyset query: `ORDER BY {order}`; when a cursor is given, seek with a "
            f"row comparison on ({', '.join(p.columns)}) against the cursor's "
            "values (`tuple_(...) < tuple_(...)` for descending) instead of OFFSET.",
            f"Fetch `limit + 1` rows: the extra row tells whether a next page exists "
            "without a COUNT; build the next cursor from the last row returned.",
            "Encode the cursor as URL-safe base64 of the sort values plus an HMAC "
            "signature with a key from settings; reject undecodable, unsigned or "
            "mismatched cursors with 400.",
        )
        plan.practice("pagination-keyset")
        plan.practice("pagination-opaque-cursor")
    else:
        skip = "offset" if p.style == "offset" else "(page - 1) * size"
        plan.file(
            service_file,
            "data access",
            f"List query: `ORDER BY {order}` (the `id` tie-breaker keeps pages "
            f"stable), then `.offset({skip}).limit(...)`.",
        )
    if p.include_total:
        plan.file(
            service_file,
            "data access",
            "Count with `select(func.count()).select_from(...)` using the same "
            "filters as the page query; it costs a second query, so skip it when "
            "the caller opts out.",
        )


def _plan_page_tests(plan: PlanBuilder, p: Paging, *, test_file: str) -> None:
    size = "size" if p.style == "page" else "limit"
    plan.test(test_file, "test_list_empty", "200 with `data == []`; never 404")
    plan.test(
        test_file,
        "test_list_exactly_one_page",
        f"{size} rows with {size}={p.default_size}: one page, no next link/cursor",
    )
    plan.test(
        test_file,
        "test_list_last_page",
        "walk every page: each row seen exactly once, in order, last page has no "
        "next",
    )
    plan.test(
        test_file,
        "test_list_size_above_cap",
        f"{size}={p.max_size + 1} → 422; {size}=0 → 422",
    )
    if p.style == "cursor":
        plan.test(
            test_file,
            "test_list_tampered_cursor",
            "a modified or random cursor → 400, never a 500",
        )
