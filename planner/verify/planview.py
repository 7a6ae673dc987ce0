"""The parts of a plan that `verify` compares, read from a Plan or its JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from planner.errors import SpecError

__all__ = [
    "PlanView",
    "PlannedEndpoint",
    "PlannedFile",
    "PlannedTable",
    "PlannedTest",
    "plan_view",
]

_STATUS_IN_NAME = re.compile(r"_(\d{3})(?:_|$)")
_QUOTED = re.compile(r"`(\w+)`")


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A file the plan creates or modifies."""

    path: str
    action: str
    purpose: str
    guidance: str


@dataclass(frozen=True, slots=True)
class PlannedEndpoint:
    """A path operation of the plan's API contract."""

    method: str
    path: str
    function: str
    success_status: int
    auth: str
    errors: tuple[int, ...]
    query: tuple[str, ...]

    @property
    def label(self) -> str:
        """`GET /api/notes`."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class PlannedTable:
    """A table the plan creates or alters."""

    name: str
    action: str


@dataclass(frozen=True, slots=True)
class PlannedTest:
    """A test the plan asks for."""

    file: str
    name: str
    # The functions of the operations a grouped row covers (one test for the
    # same status and cause on several operations); empty for a row of one.
    covers: tuple[str, ...] = ()

    @property
    def status(self) -> int | None:
        """The status code the test's name asks for, if any."""
        found = _STATUS_IN_NAME.search(self.name)
        return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class PlanView:
    """What verify reads of a plan, with the plan's own text for line numbers."""

    name: str
    kind: str
    files: tuple[PlannedFile, ...]
    endpoints: tuple[PlannedEndpoint, ...]
    tables: tuple[PlannedTable, ...]
    migration: tuple[str, ...]
    tests: tuple[PlannedTest, ...]
    text: str = ""
    shown_as: str = ""
    # Rebuilt from its spec against the project as it is now, so the migration
    # head it names may be the very migration that implements it.
    rebuilt: bool = False

    def line_of(self, needle: str) -> str:
        """`plan.md:57`: the first line of the plan's text holding `needle`."""
        if not self.text or not self.shown_as:
            return ""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if needle in line:
                return f"{self.shown_as}:{number}"
        return ""


def plan_view(data: Any, *, text: str = "", shown_as: str = "") -> PlanView:
    """Read plan data (`to_data(plan)` or a JSON plan) into a PlanView.

    Raises:
        SpecError: the data is not a planner plan.
    """
    try:
        return _view(data, text, shown_as)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise SpecError(
            f"not a planner plan: {type(err).__name__} {err}",
            where=shown_as or None,
            hint="pass a plan written by `planner new --format json`, a Markdown "
            "plan with its spec, or a plan name",
        ) from err


def _view(data: Any, text: str, shown_as: str) -> PlanView:
    model = data.get("data_model") or {}
    return PlanView(
        name=str(data["name"]),
        kind=str(data["kind"]),
        files=tuple(
            PlannedFile(
                path=str(f["path"]),
                action=str(f["action"]),
                purpose=str(f.get("purpose", "")),
                guidance="\n".join(str(g) for g in f.get("guidance", ())),
            )
            for f in data["files"]
        ),
        endpoints=tuple(_endpoint(e) for e in data["endpoints"]),
        tables=tuple(
            PlannedTable(name=str(t["name"]), action=str(t.get("action", "create")))
            for t in model.get("tables", ())
        ),
        migration=tuple(str(line) for line in model.get("migration", ())),
        tests=tuple(_test(t, data["endpoints"]) for t in data.get("tests", ())),
        text=text,
        shown_as=shown_as,
    )


def _endpoint(data: Any) -> PlannedEndpoint:
    return PlannedEndpoint(
        method=str(data["method"]).upper(),
        path=str(data["path"]),
        function=str(data.get("function", "")),
        success_status=int(data["success_status"]),
        auth=str(data.get("auth", "none")),
        errors=tuple(int(e["status"]) for e in data.get("errors", ())),
        query=tuple(str(q) for q in data.get("query", ())),
    )


def _test(data: Any, endpoints: Any) -> PlannedTest:
    """A test row; a grouped row names its operations' functions in `checks`."""
    functions = {str(e.get("function", "")) for e in endpoints} - {""}
    named = _QUOTED.findall(str(data.get("checks", "")))
    covers = tuple(dict.fromkeys(n for n in named if n in functions))
    return PlannedTest(
        file=str(data["file"]),
        name=str(data["name"]),
        covers=covers if len(covers) > 1 else (),
    )
