"""Defaults and suggestions from the project: what its own code already says."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.interactive.questions import Question, QuestionGroup, QuestionSet

if TYPE_CHECKING:
    from pathlib import Path

    from planner.inspect.model import ProjectModel

__all__ = ["ProjectHints", "hints_from_model", "read_hints", "with_hints"]

# Names shown in a help line at most, so that it fits a terminal's width.
_SHOWN = 6
# A list route a pagination spec can name (questions/pagination.toml's pattern).
_TARGET = re.compile(r"GET (/[A-Za-z0-9._~\-{}]*)+")


@dataclass(frozen=True, slots=True)
class ProjectHints:
    """What the questionnaire can suggest from a project's code."""

    id_type: str | None = None
    resources: tuple[str, ...] = ()
    list_routes: tuple[str, ...] = ()
    current_user: str | None = None


def read_hints(project: Path) -> ProjectHints:
    """Read the project's model for hints; none when it cannot be read."""
    from planner.config import load_config
    from planner.errors import PlannerError
    from planner.inspect.model import read_project

    try:
        # No cache written: a questionnaire the user cancels leaves no file.
        model = read_project(project, app=load_config(project).app, cache=False)
    except (PlannerError, OSError):
        return ProjectHints()
    return hints_from_model(model)


def hints_from_model(model: ProjectModel) -> ProjectHints:
    """Return the hints a project model gives."""
    from planner.inspect.model.resources import id_kind

    votes = Counter(
        kind for r in model.resources if (kind := id_kind(r.id_type)) is not None
    )
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    lists = sorted(
        {
            f"GET {r.path}"
            for r in model.routes
            if r.method == "GET" and not r.path.rstrip("/").endswith("}")
        }
    )
    return ProjectHints(
        id_type=ranked[0][0] if ranked else None,
        resources=tuple(sorted({r.singular for r in model.resources if r.singular})),
        list_routes=tuple(r for r in lists if _TARGET.fullmatch(r)),
        current_user=model.convention("current_user_dependency").winner,
    )


def _listed(names: tuple[str, ...]) -> str:
    more = len(names) - _SHOWN
    return ", ".join(names[:_SHOWN]) + (f" (+{more} more)" if more > 0 else "")


def _hinted(question: Question, hints: ProjectHints) -> Question:
    """Return a question with the project's default and suggestions."""
    key = question.key
    if key == "resource.id_type" and hints.id_type:
        return question.model_copy(
            update={"default": hints.id_type, "help": "as the project's resources"}
        )
    if key == "references" and hints.resources:
        return question.model_copy(
            update={"help": f"the project has: {_listed(hints.resources)}"}
        )
    if key == "target" and hints.list_routes:
        return question.model_copy(
            update={
                "default": hints.list_routes[0],
                "help": f"the project lists: {_listed(hints.list_routes)}",
            }
        )
    if key == "auth.required" and hints.current_user:
        return question.model_copy(
            update={"help": f"checked by the project's {hints.current_user}"}
        )
    return question


def with_hints(question_set: QuestionSet, hints: ProjectHints) -> QuestionSet:
    """Return the questions with defaults and suggestions from the project."""
    entries: list[Question | QuestionGroup] = []
    for entry in question_set.questions:
        if isinstance(entry, QuestionGroup):
            items = tuple(_hinted(q, hints) for q in entry.items)
            entries.append(entry.model_copy(update={"items": items}))
        else:
            entries.append(_hinted(entry, hints))
    return question_set.model_copy(update={"questions": tuple(entries)})
