"""The list a pagination pages: its route, table, items and paging.

Located once per plan (`list_target`) from the spec and what planner read of
the route; the rules in `core.py` frame the change around it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.engine.builder import Context
from planner.inspect.model.names import COLLECTION_ACTIONS
from planner.render.escape import code
from planner.rules.shared.pagehabit import page_habit
from planner.rules.shared.paging import Paging, paging_from
from planner.rules.shared.route import (
    RouteTarget,
    identifier,
    route_target,
    served_path,
    singularize,
)
from planner.rules.shared.schemas import read_schema
from planner.rules.shared.types import camel
from planner.spec import PaginationSpec


def pagination_spec(ctx: Context) -> PaginationSpec:
    """Return the context's spec, which these rules need to be a pagination spec."""
    if not isinstance(ctx.spec, PaginationSpec):
        raise TypeError(f"rule needs a pagination spec, got {ctx.spec.kind!r}")
    return ctx.spec


@dataclass(frozen=True)
class ListTarget:
    """The list endpoint being paged, its table and its paging."""

    spec: PaginationSpec
    route: RouteTarget
    table: str
    paging: Paging
    # The path as the project serves it, with its API prefix.
    served: str
    # The method the project serves it by (the spec's, unless the project's
    # route at that path answers another).
    method: str
    # The project's handler of the route, where planner found it.
    handler: str = ""
    # The schema each listed item is answered with (`TagPublic`, `TagRead`).
    item_schema: str = ""
    # False where planner read the project and found no such list: the
    # closest lists it serves, and whether a table holds its rows.
    listed: bool = True
    closest: tuple[str, ...] = ()
    stored: bool = True
    # Project files holding the paging parameters the route takes already
    # through a dependency (its limit/offset machinery), and those whose
    # functions document them by hand (its `openapi_extra=`).
    paged_by: tuple[str, ...] = ()
    documented_by: tuple[str, ...] = ()
    # The class of the JSON body a POST list takes: read from the route, else
    # (it takes none, or planner read no route) a new one named as CRUD would.
    body: str = ""
    # The data-access function the handler calls, where planner read it, and
    # whether a generic base every resource builds on writes it.
    data_function: str = ""
    data_inherited: bool = False
    # Whether planner read the class of the POST list's JSON body.
    body_read: bool = False
    # Whether `table` is a table planner found (a class or its table name),
    # not the name the path suggests.
    table_read: bool = True
    # The route's own class around its list (`ListOfCommentsInResponse`),
    # which becomes the page; "" where it answers a list or a page class.
    wrapper: str = ""

    @property
    def body_params(self) -> bool:
        """Whether a POST list declares its paging as `Body()` parameters.

        So the project's other POST lists do, where this one has no body
        class of its own to add them to.
        """
        habit = self.paging.habit
        return (
            self.method != "GET"
            and not self.body_read
            and habit is not None
            and habit.in_body
        )

    @property
    def model(self) -> str:
        """The table model's class name."""
        return camel(singularize(self.table))

    @property
    def function(self) -> str:
        """The list function: the project's handler, else named as CRUD plans it."""
        return self.handler or f"list_{self.table}"

    @property
    def page_name(self) -> str:
        """The page envelope's name: the route's own, else as CRUD plans name it."""
        return self.wrapper or f"{camel(self.table)}Page"

    @property
    def response(self) -> str:
        """What the paged list answers: its envelope, or a bare list of items."""
        if self.wrapper:
            return self.wrapper  # its own class, links or not
        if self.paging.envelope:
            return f"{self.paging.envelope}[{self.item_schema or '...'}]"
        if not self.paging.bare:
            return self.page_name
        return f"list[{self.item_schema}]" if self.item_schema else _CURRENT

    @property
    def response_text(self) -> str:
        """What the paged list answers, in prose."""
        answer = self.response
        return answer if answer == _CURRENT else code(answer)

    @property
    def items(self) -> str:
        """The item schema in prose: its name, or what it is when unread."""
        return code(self.item_schema) if self.item_schema else _CURRENT_ITEM

    @property
    def body_text(self) -> str:
        """The POST list's JSON body in prose: its class, or what it is."""
        return (
            f"{code(self.body)}, the list's JSON body"
            if self.body
            else ("the list's JSON body")
        )


# Where planner found the route but could not read a class it names.
_CURRENT = "the route's current response model"
_CURRENT_ITEM = "the route's current item schema"


def list_target(ctx: Context) -> ListTarget:
    """Locate the target list endpoint in the project's layout (once per plan)."""
    return ctx.derive(_list_target)


def _list_target(ctx: Context) -> ListTarget:
    spec = pagination_spec(ctx)
    statics = [s for s in spec.path.split("/") if s and not s.startswith("{")]
    paging = paging_from(spec, links=_links(ctx, spec), ctx=ctx)
    if paging is None:  # the spec's style is never "none"; keep mypy sure of it
        raise ValueError("pagination spec without a style")
    table = _table(ctx, statics)
    found = ctx.targets
    model = camel(singularize(table))
    # None: planner read no route there; "": it did, and the class is unread.
    response = found.slot("response_class") if found is not None else None
    # A class of the route's own around the items: they are the page's items.
    field, _, item = ((found.slot("response_items") or "") if found else "").partition(
        " "
    )
    wrapper = (response or "") if item and not paging.envelope else ""
    if wrapper:
        paging = replace(paging, own_items=field)
        response = item
    body = found.slot("body_class") if found is not None else None
    listed = found is None or found.slot("listed") != "no"
    closest = (found.slot("closest") or "") if found is not None else ""
    return ListTarget(
        spec=spec,
        route=route_target(ctx, spec.path),
        table=table,
        paging=paging,
        served=served_path(ctx, spec.path),
        method=_served_method(ctx, spec),
        handler=(ctx.targets.slot("function") if ctx.targets is not None else None)
        or "",
        item_schema=read_schema(ctx.layout, model) if response is None else response,
        listed=listed,
        closest=tuple(c for c in closest.split(" | ") if c),
        stored=found is None or found.slot("stored") != "no",
        paged_by=tuple(
            p
            for p in ((found.slot("paged_by") or "") if found else "").split(" | ")
            if p
        ),
        documented_by=tuple(
            p
            for p in ((found.slot("paging_documented") or "") if found else "").split(
                " | "
            )
            if p
        ),
        body=body or f"{model}ListRequest",
        data_function=(found.slot("data_function") or "") if found else "",
        data_inherited=bool(found and found.slot("data_inherited")),
        body_read=bool(body),
        table_read=found is None
        or bool(found.slot("table") or (found.exemplar and found.exemplar.tables)),
        wrapper=wrapper,
    )


def _table(ctx: Context, statics: list[str]) -> str:
    """The listed table: the resource the project serves there, else the path's."""
    listed = ctx.targets.slot("table") if ctx.targets is not None else None
    if listed:
        return listed
    found = ctx.targets.exemplar if ctx.targets is not None else None
    unlisted = ctx.targets is not None and ctx.targets.slot("listed") == "no"
    if found is not None and not unlisted:
        one = found.tables[0] if len(found.tables) == 1 else ""
        return one if one.islower() else found.plural
    named = [s for s in statics if s.lower() not in COLLECTION_ACTIONS] or statics
    return identifier(named[-1]) if named else "root"


def _links(ctx: Context, spec: PaginationSpec) -> str:
    """Where the next page goes: the spec's choice, else as the project's lists.

    A project whose paged lists answer bare lists gets one more, unless the
    spec asks for a total; otherwise the list's own answer today settles it.
    """
    habit = page_habit(ctx, spec.style)
    if (
        spec.links is None
        and spec.include_total is None
        and habit is not None
        and habit.envelope == "list"
    ):
        return "none"
    settled = ctx.targets.slot("links") if ctx.targets is not None else None
    return settled or spec.links_for(bare_list=False)


def _served_method(ctx: Context, spec: PaginationSpec) -> str:
    found = ctx.targets.endpoints if ctx.targets is not None else ()
    return found[0].method if found else spec.method
