"""Planned files against the project's files."""

from __future__ import annotations

import difflib

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
            out.append(_absent(planned.path, planned.action, model, plan))
    return out


def _absent(path: str, action: str, model: ProjectModel, plan: PlanView) -> Finding:
    """A planned file that is not there; a file of a close name may stand for it."""
    folder, _, name = path.rpartition("/")
    siblings = [
        p.rpartition("/")[2]
        for p in model.paths
        if p.rpartition("/")[0] == folder and p.endswith(".py")
    ]
    close = difflib.get_close_matches(name, sorted(siblings), n=1, cutoff=0.85)
    if close:
        near = f"{folder}/{close[0]}" if folder else close[0]
        return Finding(
            "file",
            path,
            "differs",
            f"planned ({action}) but absent; `{near}` may stand for it",
            near,
            plan.line_of(path),
        )
    return Finding(
        "file",
        path,
        "missing",
        f"planned ({action}) but absent",
        path,
        plan.line_of(path),
    )
