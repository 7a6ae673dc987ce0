"""What `planner verify` finds: one finding per planned thing, and the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FAILING", "Finding", "State", "VerifyReport"]

# ok: built as planned; missing: not there; differs: there, but not as planned;
# unknown: planner cannot tell statically (never fails the run).
State = Literal["ok", "missing", "differs", "unknown"]
FAILING: frozenset[str] = frozenset({"missing", "differs"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One planned thing and what the project shows for it."""

    check: str
    subject: str
    state: State
    detail: str
    # Where the project shows it (`file:line`), or where the plan wanted it.
    where: str = ""
    # The line of the plan that asks for it (`plan.md:57`), for missing things.
    planned: str = ""


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Every finding of one plan against one project, in checklist order."""

    plan: str
    source: str
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()

    @property
    def is_ok(self) -> bool:
        """Whether everything the plan asks for is there as planned."""
        return not any(f.state in FAILING for f in self.findings)

    def count(self, state: State) -> int:
        """How many findings are in `state`."""
        return sum(f.state == state for f in self.findings)
