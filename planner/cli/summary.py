"""A plan in a few lines, for the terminal: its files, endpoints and questions."""

from __future__ import annotations

import os
from pathlib import Path

from planner.plan import Plan

__all__ = ["summarize_plan"]

_MAX_ENDPOINTS = 6


def _shown(project: Path, path: str) -> str:
    """A project file as the user can open it from the working directory."""
    joined = project / path
    if not joined.is_absolute():
        return joined.as_posix()
    try:
        return Path(os.path.relpath(joined)).as_posix()
    except ValueError:  # another drive on Windows
        return joined.as_posix()


def summarize_plan(plan: Plan, *, project: Path) -> str:
    """Return a short summary of `plan`: what a user reads before opening it.

    Files are named from the working directory (`examples/shop/app/...`), so
    they can be opened as printed; the plan itself names them from the project.
    """
    lines = [f"{plan.title}"]
    width = max((len(_shown(project, f.path)) for f in plan.files), default=0)
    for change in plan.files:
        verb = "create" if change.action == "create" else "change"
        where = _shown(project, change.path).ljust(width)
        lines.append(f"  {verb}  {where}  {change.purpose}".rstrip())
    shown = plan.endpoints[:_MAX_ENDPOINTS]
    if shown:
        routes = ", ".join(f"{e.method} {e.path}" for e in shown)
        more = len(plan.endpoints) - len(shown)
        lines.append(f"  endpoints: {routes}" + (f" and {more} more" if more else ""))
    if plan.open_questions:
        count = len(plan.open_questions)
        lines.append(f"  open questions: {count} (at the end of the plan)")
    return "\n".join(lines) + "\n"
