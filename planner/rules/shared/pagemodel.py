"""A paged list's settings, normalised: the spec's, completed by the project's.

Every paged list (a CRUD list, a paginated endpoint, a pagination plan) is
planned from one `Paging`; `paging.py` turns it into contract and guidance.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context
from planner.rules.shared.pagehabit import (
    NEXT_FIELDS,
    TOTAL_FIELDS,
    PageHabit,
    page_habit,
)
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
    # How the project pages its other lists (None: it pages none, or planner
    # read no project): their parameter names and page envelope.
    habit: PageHabit | None = None
    # The listed table's primary key: the tie-breaker.
    key: str = "id"
    # The list field of the route's own envelope, which the page keeps
    # (``comments`` of ``ListOfCommentsInResponse``); "" where it has none.
    own_items: str = ""

    @property
    def order(self) -> tuple[str, ...]:
        """Sort keys (`-` for descending), always ending in the key tie-breaker."""
        keys = self.sort or ("-created_at",)
        if keys[-1].lstrip("-") not in ("id", self.key):
            descending = keys[-1].startswith("-")
            keys = (*keys, f"-{self.key}" if descending else self.key)
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
        """The page-size parameter: the project's name, else `size` or `limit`."""
        if self.habit is not None and self.habit.size:
            return self.habit.size
        return "size" if self.style == "page" else "limit"

    @property
    def start_param(self) -> str:
        """Where a page starts: the project's name, else `offset`, `page`..."""
        if self.habit is not None and self.habit.same_style:
            return self.habit.start
        if self.style == "cursor":
            return "after" if self.by_item else "cursor"
        return self.style

    @property
    def envelope(self) -> str:
        """The project's generic page class the list answers with, else ""."""
        found = self.habit.envelope if self.habit is not None else ""
        return "" if self.bare or found == "list" else found

    @property
    def items_field(self) -> str:
        """The envelope's field holding the page's items."""
        if self.envelope and self.habit:
            return self.habit.fields[0]
        return self.own_items or "data"

    @property
    def total_field(self) -> str:
        """The envelope's field holding the total (`count` in planner's own)."""
        fields = self.habit.fields if self.envelope and self.habit else ()
        return next((f for f in fields if f in TOTAL_FIELDS), "count")

    @property
    def total_optional(self) -> bool:
        """Whether the client may skip the count (`include_total=false`).

        The project's own envelope declares its total as it does: a list
        answering with it counts every time, as the project's others do.
        """
        return self.include_total and not self.envelope

    @property
    def next_field(self) -> str:
        """The envelope's field telling of the next page ("" when it has none)."""
        if not self.envelope or self.habit is None:
            return "next_cursor" if self.style == "cursor" else "next"
        return next((f for f in self.habit.fields if f in NEXT_FIELDS), "")

    @property
    def helper(self) -> str:
        """The project function declaring the size (its default and cap), or ""."""
        return self.habit.helper if self.habit is not None else ""

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
    ctx: Context | None = None,
) -> Paging | None:
    """Normalise any pagination table; `None` when the style is `none`.

    `links` settles where the next page goes when the spec leaves it to the
    project (:meth:`PaginationSpec.links_for`). With `ctx`, what the spec
    leaves unsaid follows the project's other paged lists: a project whose
    lists answer bare lists gets one more, without a total; one whose lists
    answer a page class of its own answers with it; sizes the spec does not
    give are the project's.
    """
    if source.style == "none":
        return None
    habit = page_habit(ctx, source.style)
    given = source.model_fields_set
    bare_habit = habit is not None and habit.envelope == "list"
    include_total = (
        source.include_total
        if source.include_total is not None
        else source.style != "cursor" and not bare_habit
    )
    if links is None and "links" not in given and bare_habit and not include_total:
        links = "none"
    links = links or source.links or "envelope"
    if habit is not None and habit.envelope not in ("", "list") and links != "none":
        # The project's page class carries a total or not, on every list.
        include_total = any(f in TOTAL_FIELDS for f in habit.fields)
    default_size, max_size = _sizes(source, habit)
    return Paging(
        style=source.style,
        default_size=min(default_size, max_size),
        max_size=max_size,
        sort=source.sort,
        include_total=include_total,
        links=links,
        habit=habit,
        key=_table_key(ctx),
    )


def _table_key(ctx: Context | None) -> str:
    """The listed table's primary key, where it is not `id`."""
    targets = ctx.targets if ctx is not None else None
    if targets is None or not targets.slot("table"):
        return "id"
    keys = dict(
        entry.split(":", 1)
        for entry in (targets.slot("table_keys") or "").split(";")
        if ":" in entry
    )
    return keys.get(targets.slot("table") or "", "id")


def _sizes(
    source: ResourcePagination | EndpointPagination | PaginationSpec,
    habit: PageHabit | None,
) -> tuple[int, int]:
    """The default and maximum size: the spec's, else the project's, else planner's."""
    default, maximum = source.default_size, source.max_size
    if habit is None or habit.helper:
        return default, maximum
    given = source.model_fields_set
    if "max_size" not in given and habit.maximum.isdigit():
        maximum = int(habit.maximum)
    if "default_size" not in given and habit.default.isdigit():
        default = int(habit.default)
    return default, maximum
