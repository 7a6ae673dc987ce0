"""Read back what a Markdown plan says, from the text `plan.md.j2` renders.

`planner render` and `planner check` plan again from the project as it is now;
two things in it are not what the plan was made from: a session context that
was never committed, and the files the plan creates, once they are written.
These readers take both from the plan on disk.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

__all__ = ["created_models", "created_paths", "quoted_context"]

CONTEXT_HEADING = "## Context"
FILES_HEADING = "## Files to create and change"
# A row of the files table: `| create | `path` | purpose |`, the path a code
# span (fenced by as many backticks as it needs) with pipes escaped for the cell.
_CREATE_ROW = re.compile(r"\| create \| (?P<fence>`+)(?P<path>.+?)(?P=fence) \|")
_ESCAPED_PIPE = re.compile(r"\\\|")
# A table the data model creates: "### Table `notes` (model `Note`, create)".
_CREATED_TABLE = re.compile(r"### Table `[^`]+` \(model `(?P<model>\w+)`, create\)$")


def _section(text: str, heading: str) -> list[str]:
    """The lines under a `## ` heading, up to the next `## ` heading."""
    lines = text.split("\n")
    try:
        start = lines.index(heading) + 1
    except ValueError:
        return []
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("## ")),
        len(lines),
    )
    return lines[start:end]


def quoted_context(text: str) -> tuple[str, ...]:
    """Return the session context a plan quotes, line by line, as it quotes it.

    The `> ` quote block that opens the plan's Context section; empty when the
    plan quotes none (or has no such section).
    """
    quoted: list[str] = []
    for line in _section(text, CONTEXT_HEADING):
        if not line.startswith(">"):
            if quoted:
                break
            continue
        # `> text`, or a bare `>` for a blank line (trailing spaces are trimmed).
        quoted.append(line[2:] if line.startswith("> ") else line[1:])
    return tuple(quoted)


def created_paths(text: str) -> frozenset[str]:
    """Return the project-relative paths a plan's files table says it creates.

    Only plain relative paths are returned: an absolute path or one with `..`
    names no file of the project.
    """
    found = set()
    for line in _section(text, FILES_HEADING):
        match = _CREATE_ROW.match(line)
        if match is None:
            continue
        path = _ESCAPED_PIPE.sub("|", match["path"])
        if len(match["fence"]) > 1 and path.startswith(" ") and path.endswith(" "):
            path = path[1:-1]  # the padding a fence adds around an edge backtick
        pure = PurePosixPath(path)
        if path and not pure.is_absolute() and ".." not in pure.parts:
            found.add(pure.as_posix())
    return frozenset(found)


def created_models(text: str) -> frozenset[str]:
    """Return the model classes of the tables a plan's data model creates.

    Once the plan is implemented the project has them; planning again, they
    are the plan's own, not tables that were there before it.
    """
    return frozenset(
        m["model"] for line in text.split("\n") if (m := _CREATED_TABLE.match(line))
    )
