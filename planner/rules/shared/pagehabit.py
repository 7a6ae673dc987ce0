"""How the project pages its other lists, read from its measured conventions.

`planner inspect` counts, over the routes that take a page size and a place
to start, the names they use per style (``paging_offset``: ``limit+skip``),
what they answer (``paging_offset_envelope``), where they read the values and
the size's default and maximum (see ``planner/inspect/model/paging.py``).
A new paged list takes the same names and shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context

# Envelope fields that carry the total, and those that tell of a next page.
TOTAL_FIELDS = ("total", "count", "total_count", "total_items", "totalCount")
NEXT_FIELDS = (
    *("next", "next_cursor", "next_page", "has_more", "has_next", "hasMore"),
    "links",
)
# Start names that page backwards, beside the one that pages forwards.
_BACKWARD = frozenset({"before", "ending_before", "before_id", "endingBefore"})


@dataclass(frozen=True, slots=True)
class PageHabit:
    """The project's way of paging, as it applies to a list of one style."""

    # The style most of the project's paged lists use, and their names there
    # (``limit+offset``): what a note names when the spec's style differs.
    style: str
    names: str
    # The size's name for this style (mapped from the project's style when
    # it has no list of this one), and the start's names (same style only).
    size: str
    starts: tuple[str, ...]
    # ``list`` (a bare list), a generic class of the project's
    # (``OffsetPaginatedResults``) with its fields, list field first, or "".
    envelope: str
    fields: tuple[str, ...]
    # ``query`` or ``body``; a project function declaring the size.
    location: str
    helper: str
    # The size's default and maximum as most routes write them ("none": not
    # given; "": unknown).
    default: str
    maximum: str
    # The route parameter through which a project dependency gives every
    # paging value (``pagination: PaginationQuery``), "" where routes declare them.
    dependency: str = ""
    # The project functions its lists' data access pages with, by file
    # (``app/paging.py:compute_offset,paginated_response``), "" where none.
    helpers: str = ""

    @property
    def in_body(self) -> bool:
        """Whether the project's lists read their paging from the JSON body."""
        return self.location == "body"

    @property
    def same_style(self) -> bool:
        """Whether the project has lists paged in the style asked for."""
        return bool(self.starts)

    @property
    def start(self) -> str:
        """The start parameter that moves forward (``after`` beside ``before``)."""
        ahead = [s for s in self.starts if s not in _BACKWARD]
        return (ahead or list(self.starts) or [""])[0]

    @property
    def backward(self) -> tuple[str, ...]:
        """The start parameters that page backwards (``before``)."""
        return tuple(s for s in self.starts if s in _BACKWARD)


def page_habit(ctx: Context | None, style: str) -> PageHabit | None:
    """The project's paging for a list of ``style``; None where it pages none."""
    targets = ctx.targets if ctx is not None else None
    if targets is None:
        return None
    conv = targets.convention
    winner = conv("paging_style")
    if not winner:
        return None
    own = conv(f"paging_{style}").split("+")
    names = conv(f"paging_{winner}")
    mapped = names.split("+")
    same = len(own) > 1
    envelope = conv(f"paging_{style}_envelope") if same else ""
    if not same and conv(f"paging_{winner}_envelope") == "list":
        envelope = "list"  # a bare list maps to every style
    return PageHabit(
        style=winner,
        names=names,
        size=own[0] if same else mapped[0],
        starts=tuple(own[1:]) if same else (),
        envelope="" if envelope == "class" else envelope,
        fields=tuple(conv(f"paging_{style}_envelope_fields").split()),
        location=conv("paging_in"),
        helper=_given(conv("paging_size_helper")),
        default=conv("paging_size_default"),
        maximum=conv("paging_size_max"),
        # Only where its style is the one asked for: its names fit that list.
        dependency=_given(conv("paging_dependency")) if same else "",
        # Counted over the lists of the project's style: they fit no other.
        helpers=conv("paging_helpers") if style == winner else "",
    )


def _given(value: str) -> str:
    """A measured value, "" where most routes give none."""
    return "" if value == "none" else value
