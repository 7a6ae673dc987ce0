"""Guardrails for LLM output: parse Markdown and compare it with the plan."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from planner.errors import RefineError
from planner.render.escape import visible
from planner.render.markdown import REFINEMENT_HEADING_START

__all__ = [
    "MAX_ANSWER_CHARS",
    "REFINEMENT_TITLE",
    "Outline",
    "compare",
    "deterministic_part",
    "extract_refinement",
    "outline",
]

REFINEMENT_TITLE = "Refinements and open-question answers"
MAX_ANSWER_CHARS = 24_000
# Tables the refined document must carry exactly as planner rendered them.
KEY_TABLES = {
    "## Files to create and change": "files table",
    "## API contract": "API contract table",
}
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_REFINED_SUFFIX = re.compile(r" \| refined by .*?(?= -->$)")


@dataclass(frozen=True)
class Outline:
    """The parts of a Markdown document the guard compares."""

    headings: tuple[str, ...]
    tables: tuple[tuple[str, tuple[str, ...]], ...]  # (heading above, rows)

    def table_under(self, heading: str) -> tuple[str, ...] | None:
        """Return the first table under `heading`, if any."""
        return next((rows for h, rows in self.tables if h == heading), None)


def outline(markdown: str, /) -> Outline:
    """Return the headings (levels 1-3) and tables of a document, skipping code."""
    headings: list[str] = []
    tables: list[tuple[str, tuple[str, ...]]] = []
    current, rows, fence = "", [], ""
    for line in [*markdown.splitlines(), ""]:
        opener = _FENCE.match(line)
        if fence or opener:
            if opener and not fence:
                fence = opener.group(1)
            elif opener and opener.group(1).startswith(fence):
                fence = ""
            continue
        if line.startswith("|"):
            rows.append(line.strip())
            continue
        if rows:
            tables.append((current, tuple(rows)))
            rows = []
        found = _HEADING.match(line)
        if found and len(found.group(1)) <= 3:
            current = f"{found.group(1)} {found.group(2)}"
            headings.append(current)
    return Outline(headings=tuple(headings), tables=tuple(tables))


def compare(document: str, expected: str, /) -> list[str]:
    """Return how `document` breaks the sections and tables of `expected`."""
    got, want = outline(document), outline(expected)
    problems = _heading_problems(got.headings, want.headings)
    for heading, label in KEY_TABLES.items():
        rows = want.table_under(heading)
        if rows is None:
            continue
        if got.table_under(heading) != rows:
            problems.append(f"changed the {label}")
        copies = sum(1 for _, r in got.tables if r[:1] == rows[:1])
        if copies > 1:
            problems.append(f"repeated the {label}")
    return problems


def extract_refinement(answer: str, /, *, deterministic: str) -> str:
    """Return the refinement section's Markdown body from a model's answer.

    The model is asked for one section. If it sends a whole document instead, the
    document must keep every heading and key table of `deterministic`, and only its
    refinements section is taken.

    Raises:
        RefineError: The answer is empty, too long, cut short or breaks the plan.
    """
    text = visible(_clean(answer))
    if not text:
        raise _rejected("the answer is empty")
    if len(text) > len(deterministic) + MAX_ANSWER_CHARS:
        raise _rejected(f"the answer is {len(text):,} characters long")
    if _is_full_document(text, deterministic):
        text = _section_of_full_document(text, deterministic)
    body = _demote_headings(_drop_leading_title(text))
    if not body.strip():
        raise _rejected("the refinements section is empty")
    if len(body) > MAX_ANSWER_CHARS:
        raise _rejected(
            f"the refinements section is {len(body):,} characters "
            f"(limit {MAX_ANSWER_CHARS:,})"
        )
    return _tidy(_close_fences(body))


def deterministic_part(markdown: str, /) -> str:
    """Return a refined plan as it was before refinement (section and marks removed)."""
    head, _, _ = markdown.partition("\n" + REFINEMENT_HEADING_START)
    first, newline, rest = head.partition("\n")
    return _REFINED_SUFFIX.sub("", first) + newline + rest.rstrip("\n") + "\n"


def _heading_problems(got: tuple[str, ...], want: tuple[str, ...]) -> list[str]:
    problems: list[str] = []
    have, need = Counter(got), Counter(want)
    for heading in need:
        name = heading.lstrip("# ")
        if have[heading] < need[heading]:
            problems.append(f"dropped section {name!r}")
        elif have[heading] > need[heading]:
            problems.append(f"repeated section {name!r}")
    order = [h for h in got if h in need]
    if not problems and order != list(want):
        problems.append("reordered the plan's sections")
    return problems


def _is_full_document(text: str, deterministic: str) -> bool:
    """Tell a whole returned plan from a section that reuses a heading or two."""
    plan = [h for h in outline(deterministic).headings if not h.startswith("###")]
    found = set(outline(text).headings)
    title = plan[0] if plan and plan[0].startswith("# ") else None
    return title in found or 2 * len(found.intersection(plan)) > len(plan)


def _section_of_full_document(text: str, deterministic: str) -> str:
    problems = compare(text, deterministic)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise _rejected("the returned plan " + "; ".join(problems[:3]) + more)
    lines = text.splitlines()
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"#{1,2}\s+Refinements\b", line, re.I)
        ),
        None,
    )
    if start is None:
        raise _rejected(f"the returned plan has no '## {REFINEMENT_TITLE}' section")
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"#{1,2}\s", lines[i])),
        len(lines),
    )
    return "\n".join(lines[start:end])


def _clean(answer: str) -> str:
    text = _COMMENT.sub("", answer.replace("\r\n", "\n").replace("\r", "\n")).strip()
    fenced = re.fullmatch(r"(`{3,}|~{3,})[\w-]*\n(.*)\n\1", text, re.S)
    return fenced.group(2).strip() if fenced else text


def _drop_leading_title(text: str) -> str:
    first, _, rest = text.partition("\n")
    if re.match(r"#{1,3}\s+Refinements\b", first, re.I):
        return rest
    return text


def _demote_headings(text: str) -> str:
    """Make `#` and `##` headings `###`, so the section stays one section."""
    out, fence = [], ""
    for line in text.splitlines():
        opener = _FENCE.match(line)
        if opener and not fence:
            fence = opener.group(1)
        elif opener and opener.group(1).startswith(fence):
            fence = ""
        elif not fence and re.match(r"#{1,2}[ \t]", line):
            line = "### " + line.lstrip("#").lstrip()
        out.append(line)
    return "\n".join(out)


def _close_fences(text: str) -> str:
    fence = ""
    for line in text.splitlines():
        opener = _FENCE.match(line)
        if opener and not fence:
            fence = opener.group(1)
        elif opener and opener.group(1).startswith(fence):
            fence = ""
    return f"{text}\n{fence}" if fence else text


def _tidy(text: str) -> str:
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if stripped or (lines and lines[-1]):
            lines.append(stripped)
    return "\n".join(lines).strip("\n")


def _rejected(reason: str) -> RefineError:
    return RefineError(
        f"the model's answer was rejected: {reason}",
        hint="the deterministic plan was kept; try again, or use a larger model",
    )
