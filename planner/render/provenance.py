"""Plan provenance headers: parse them and say which parts changed."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Header", "describe_changes", "parse_header"]

_HEADER = re.compile(
    r"<!-- planner (?P<planner>\S+) \| blueprint (?P<blueprint>\S+) "
    r"(?P<blueprint_version>\S+) \| knowledge (?P<knowledge>\S+) \| "
    r"spec sha256:(?P<spec>[0-9a-f]+) \| project sha256:(?P<project>[0-9a-f]+)"
    r"(?: \| context (?P<context>.+?))?(?: \| (?P<extra>.*?))? -->"
)
# What each header part means to a reader of `planner check`, in header order.
_PARTS = (
    ("planner", "planner version"),
    ("blueprint", "blueprint"),
    ("blueprint_version", "blueprint version"),
    ("knowledge", "knowledge date"),
    ("spec", "spec hash (the spec changed)"),
    ("project", "project facts hash (what the plan says of the project changed)"),
    ("context", "session context file"),
    ("extra", "other provenance"),
)


@dataclass(frozen=True)
class Header:
    """A plan's provenance header, parsed: what made the plan."""

    planner: str
    blueprint: str
    blueprint_version: str
    knowledge: str
    spec: str
    project: str
    context: str = ""  # a session context file other than the default
    extra: str = ""

    @property
    def is_refined(self) -> bool:
        """Whether an LLM refined the plan (it cannot be regenerated offline)."""
        return self.extra.startswith("refined by ")


def parse_header(text: str) -> Header | None:
    """Parse the provenance header on a plan's first line; None if there is none."""
    first = text.split("\n", 1)[0].strip()
    match = _HEADER.fullmatch(first)
    if match is None:
        return None
    return Header(**{k: v or "" for k, v in match.groupdict().items()})


def describe_changes(old: Header | None, new: Header | None) -> tuple[str, ...]:
    """Say which provenance parts differ between a plan on disk and a fresh one."""
    if old is None:
        return ("the file on disk has no planner provenance header",)
    if new is None:
        return ()
    changes = []
    dropped_refinement = old.is_refined and not new.is_refined
    if dropped_refinement:
        changes.append(
            f"the plan on disk was {old.extra.split(' | ')[0]} and no cached "
            "answer fits its inputs now; regenerating gives the deterministic "
            "plan (then run `planner refine` on it again)"
        )
    # The project hash covers the plan's whole text: when the spec, the
    # blueprint or the knowledge changed, its change follows from theirs.
    causes = ("planner", "blueprint", "blueprint_version", "knowledge", "spec")
    upstream = any(getattr(old, a) != getattr(new, a) for a in causes)
    for attr, label in _PARTS:
        before, after = getattr(old, attr), getattr(new, attr)
        if before == after or (attr == "extra" and dropped_refinement):
            continue
        if attr == "project" and upstream:
            continue
        changes.append(f"{label}: {before or '-'} -> {after or '-'}")
    return tuple(changes) or (
        "provenance is the same: the plan was edited by hand, or its session "
        "context changed",
    )
