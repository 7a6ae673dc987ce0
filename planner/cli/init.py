"""`planner init claude`: a planning sub-agent and slash commands for Claude Code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.errors import ExitCode, UsageError

EXAMPLES = """\
examples:
  planner init claude              in the project: .claude/agents/ and .claude/commands/
existing files are never overwritten: delete one to get planner's version again
"""

AGENT_DESCRIPTION = (
    "Plans a FastAPI change with planner before anyone writes code. Use it for "
    "a new resource, endpoint, authentication or pagination; it writes the spec "
    "and the plan, never the code."
)
AGENT = f"""\
---
name: fastapi-planner
description: {AGENT_DESCRIPTION}
tools: Read, Grep, Glob, Write, Bash
---

You plan FastAPI changes with `planner`, a deterministic, offline planner. You
write specs and read plans; you never write or edit application code or tests.

1. Read the task: `.claude/tasks/session_context_<name>.md` when the main agent
   wrote one, else the request you were given.
2. Run `planner inspect` to see the project's layout, routers, resources and
   migrations, and pick the kind: crud-resource, endpoint, auth or pagination.
3. Run `planner schema <kind>` for the spec's keys, then write the spec to
   `.planner/specs/<name>.toml`. Put every decision in the spec, nothing else.
4. Run `planner new <kind> --spec .planner/specs/<name>.toml --no-input`. On an
   error, fix the spec as the message and its hint say, and run it again.
5. Read the plan it prints the path of (`.claude/docs/<name>.md`) and answer
   with that path, the files it touches and its open questions.

To change a plan, change its spec and run `planner render <name>`; never edit a
plan by hand (`planner check` fails on hand edits). After the main agent has
implemented the plan, `planner verify <name>` says what is missing or differs.
"""

COMMAND = """\
---
description: {description}
argument-hint: {hint}
allowed-tools: {tools}
---

{body}
"""

NEW_BODY = """\
Plan a {kind} ({help}) with planner: $ARGUMENTS

Use the fastapi-planner sub-agent. It writes `.planner/specs/<name>.toml` (see
`planner schema {kind}`), runs `planner new {kind} --spec
.planner/specs/<name>.toml --no-input` and reads the plan. Do not write code
until the plan is read."""

CHECK_BODY = """\
Run `planner check $ARGUMENTS` and report its result. Exit 1 means a plan no
longer matches its spec: show the diff and the command it names to fix it
(`planner render`); never edit a plan by hand."""

VERIFY_BODY = """\
Run `planner verify $ARGUMENTS` and report the checklist. Exit 1 lists what the
plan asks for that is missing or differs, each with its file and line: fix the
code (not the plan) for each, and run it again until it exits 0."""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `init` command."""
    parser = commands.add_parser(
        "init",
        help="write agent files that plan with planner (Claude Code)",
        description="Write a planning sub-agent (.claude/agents/) and slash "
        "commands (.claude/commands/) for Claude Code. Files that exist are "
        "kept as they are.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("tool", choices=("claude",), help="the agent to set up")
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project folder (default: the nearest folder upward "
        "with a pyproject.toml or .git)",
    )
    parser.set_defaults(run=run)


def claude_files() -> dict[str, str]:
    """The files `planner init claude` writes, by path in the project."""
    from planner.kinds import KINDS

    files = {".claude/agents/fastapi-planner.md": AGENT}
    for kind in KINDS.values():
        files[f".claude/commands/plan-{kind.name}.md"] = COMMAND.format(
            description=f"Plan {kind.help} with planner (no code)",
            hint="what to build",
            tools="Read, Write, Bash(planner:*)",
            body=NEW_BODY.format(kind=kind.name, help=kind.help),
        )
    files[".claude/commands/planner-check.md"] = COMMAND.format(
        description="Check that every plan still matches its spec",
        hint="[spec name]",
        tools="Bash(planner check:*)",
        body=CHECK_BODY,
    )
    files[".claude/commands/planner-verify.md"] = COMMAND.format(
        description="Check that the code has what a plan asks for",
        hint="<plan name>",
        tools="Read, Bash(planner verify:*)",
        body=VERIFY_BODY,
    )
    return files


def run(args: argparse.Namespace) -> int:
    """Write the files that are not there yet; say which were kept."""
    from planner.specfile import write_atomic

    if not args.in_project:
        raise UsageError(
            "no project here: no pyproject.toml or .git in this folder or above",
            hint="run `planner init claude` in your project, or pass --project DIR",
        )
    for path, text in claude_files().items():
        target = args.project / path
        if target.exists():
            print(f"kept {path} (exists)")
            continue
        write_atomic(target, text)
        print(f"wrote {path}")
    return ExitCode.OK
