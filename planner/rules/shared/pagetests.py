"""The tests and notes every paged list shares, in the project's own names."""

from __future__ import annotations

from planner.engine.builder import PlanBuilder
from planner.render.escape import code
from planner.rules.shared.pagemodel import Paging


def plan_page_tests(plan: PlanBuilder, p: Paging, *, test_file: str) -> None:
    """Plan the boundary tests of a paged list."""
    size = p.size_param
    nxt = {
        "link-header": "`Link` header",
        "none": "page (asking past it answers `[]`)",
    }.get(p.links, "cursor" if p.style == "cursor" else "link")
    if p.envelope and p.links == "envelope" and not p.next_field:
        nxt = "page"  # the project's page class tells of none
    empty = "`[]`" if p.bare else f"`{p.items_field} == []`"
    plan.test(test_file, "test_list_empty", f"200 with {empty}; never 404")
    # A size a helper declares has a default planner cannot read: ask for one.
    given = f"`{size}={p.default_size}`" if p.helper else f"the default {code(size)}"
    plan.test(
        test_file,
        "test_list_exactly_one_page",
        f"exactly {p.default_size} rows and {given}: one full page and no next {nxt}",
    )
    plan.test(
        test_file,
        "test_list_last_page",
        f"{p.default_size * 2 + 1} rows"
        + (f" and `{size}={p.default_size}`" if p.helper else "")
        + ": walk every page; each row seen exactly "
        f"once, in order; the last page holds 1 row and has no next {nxt}",
    )
    if p.columns != (p.key,):  # a unique key alone has no ties
        plan.test(
            test_file,
            "test_list_ties_on_sort_key",
            "rows sharing the same leading sort value, split across pages: the "
            f"`{p.key}` tie-breaker keeps each row on exactly one page",
        )
    plan.test(
        test_file,
        "test_list_size_above_cap",
        f"the largest {code(size)} `{p.helper}` allows → 200; one more → 422"
        if p.helper
        else f"{size}={p.max_size} → 200; {size}={p.max_size + 1} → 422; "
        f"{size}=0 → 422",
    )
    if p.total_optional:
        count = "no `X-Total-Count` header" if p.bare else "`count` is null"
        plan.test(
            test_file,
            "test_list_without_total",
            f"`include_total=false` → {count} and no count query runs",
        )
    if p.by_item:
        plan.test(
            test_file,
            f"test_list_{p.start_param}_unknown_item",
            f"{code(p.start_param)} naming no item, or another user's → 400, never "
            "a 500",
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


def plan_habit_notes(plan: PlanBuilder, p: Paging) -> None:
    """Say where the project's way of paging differs from the spec or practice."""
    habit = p.habit
    if habit is None:
        return
    size = code(p.size_param)
    if not habit.same_style:
        names = ", ".join(code(n) for n in habit.names.split("+"))
        plan.note(
            "practice",
            f"The project pages most of its lists by {habit.style} ({names}); the "
            f"spec asks for {p.style} paging, which this plan follows, keeping "
            f"the project's {size} for the page size.",
            key="paging-style-differs",
        )
    elif len(habit.backward) and p.by_item:
        plan.note(
            "practice",
            f"Most of the project's {p.style} lists take "
            + ", ".join(code(n) for n in habit.starts)
            + f"; this plan adds {code(p.start_param)}: add "
            + ", ".join(code(n) for n in habit.backward)
            + " too if clients page backwards here as there.",
            key="paging-backward",
        )
    if p.envelope and not p.next_field:
        plan.note(
            "practice",
            f"`{p.envelope}`, the page class the project's other lists answer "
            "with, carries no link to the next page: clients work it out from "
            + ", ".join(code(f) for f in habit.fields[1:])
            + ", as they do for those lists. Current practice advertises the next "
            "page (a `next` URL or a `Link` header); add it to the class, for "
            "every list at once, if clients need it.",
            key="project-page-class",
        )
    if p.bare and habit.envelope == "list" and p.links == "none":
        plan.note(
            "practice",
            "Most of the project's other paged lists answer bare lists: this one does "
            "too, so its clients read it the same way. Current practice "
            "advertises the next page (a page envelope or a `Link` header); set "
            "`links` in the spec to change it.",
            key="bare-list-kept",
        )
    _cap_note(plan, p, habit.maximum, habit.helper)


def _cap_note(plan: PlanBuilder, p: Paging, maximum: str, helper: str) -> None:
    """Compare the list's cap with the one the project's lists take."""
    size = code(p.size_param)
    if helper:
        return  # the helper holds the bound, and the plan declares it with it
    if maximum == "none":
        plan.note(
            "practice",
            f"Most of the project's other paged lists take {size} with no maximum (no "
            f"`le=`); this one caps it at {p.max_size}, as current practice "
            "advises, so no request reads every row at once: cap the others "
            "alike.",
            key="project-lists-uncapped",
        )
    elif maximum and not maximum.isdigit():
        plan.note(
            "practice",
            f"Most of the project's other paged lists cap {size} with `le={maximum}`: "
            f"write this one's cap ({p.max_size}) with the same constant if it "
            "is the same bound.",
            key="project-page-cap",
        )
