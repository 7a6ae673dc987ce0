"""`planner render [SPEC...]`: regenerate plans from the specs in the project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from planner.errors import ExitCode, UsageError

EXAMPLES = """\
examples:
  planner render                        every spec in specs_dir -> plans_dir
  planner render items-crud             one spec, by name or by path
  planner render --prune                also remove plans whose spec is gone
  planner render --project services/api
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `render` command."""
    parser = commands.add_parser(
        "render",
        help="regenerate plans from the project's specs",
        description="Regenerate the plan of every spec in specs_dir (default "
        ".planner/specs) into plans_dir (default .claude/docs), or of the specs "
        "named. Plans planner wrote are replaced; other files are kept unless "
        "--force. Folders come from [tool.planner] in pyproject.toml.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common(parser)
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace plan files that planner did not write",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="remove generated plans that no spec makes any more",
    )
    parser.set_defaults(run=run)


def add_common(parser: argparse.ArgumentParser) -> None:
    """Add the arguments `render` and `check` share."""
    parser.add_argument(
        "specs",
        nargs="*",
        type=Path,
        metavar="SPEC",
        help="spec files or names in specs_dir (default: all of them)",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project (default: the nearest folder upward "
        "with a pyproject.toml or .git)",
    )
    parser.add_argument(
        "--allow-outside",
        action="store_true",
        help="follow a specs_dir or plans_dir that is a symlink out of the "
        "project, on purpose",
    )


def check_project(project: Path) -> None:
    """Refuse a project folder that does not exist."""
    if not project.is_dir():
        raise UsageError(
            f"project folder {str(project)!r} does not exist",
            hint="pass --project DIR pointing at your project",
        )


def run(args: argparse.Namespace) -> int:
    """Render the plans; print each path written or removed, then a summary."""
    from planner.interrupt import handle_signals
    from planner.sync.plans import render_all

    check_project(args.project)
    if args.prune and args.specs:
        raise UsageError(
            "--prune needs every spec, not a few named ones",
            hint="run `planner render --prune` with no SPEC",
        )
    with handle_signals():
        results = render_all(
            args.project,
            specs=args.specs,
            force=args.force,
            prune=args.prune,
            allow_outside=args.allow_outside,
        )
    lines = [
        f"{result.action} {result.plan}"
        + (f" (pack {result.pack})" if result.pack else "")
        for result in results
        if result.action != "unchanged"
    ]
    plans = [r for r in results if r.pack is None and r.action != "removed"]
    written = sum(r.action == "written" for r in plans)
    removed = sum(r.action == "removed" for r in results)
    tail = f", {removed} removed" if removed else ""
    lines.append(f"{len(plans)} plan{'s' * (len(plans) != 1)}: {written} written{tail}")
    # One write: a thousand plans are a thousand lines, and unbuffered output
    # (PYTHONUNBUFFERED, common in CI) would make each line two system calls.
    sys.stdout.write("\n".join(lines) + "\n")
    return ExitCode.OK
