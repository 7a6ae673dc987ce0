"""Planned files against the project's files."""

from __future__ import annotations

from planner.inspect.model import ProjectModel

from .migrations import is_planned_migration
from .planview import PlanView
from .records import Finding

__all__ = ["check_files"]


def check_files(plan: PlanView, model: ProjectModel) -> list[Finding]:
    """One finding per planned file; the migration's is the migration check's."""
    out = []
    for planned in plan.files:
        if plan.tables and is_planned_migration(planned.path, planned.purpose):
            continue
        if planned.path in model.paths:
            out.append(
                Finding(
                    "file",
                    planned.path,
                    "ok",
                    f"{planned.action}: exists",
                    planned.path,
                )
            )
        else:
            out.append(
                Finding(
                    "file",
                    planned.path,
                    "missing",
                    f"planned ({planned.action}, {planned.purpose}) but absent",
                    planned.path,
                    plan.line_of(planned.path),
                )
            )
    return out
