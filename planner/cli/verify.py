"""`planner verify [PLAN]`: check that the project has what a plan asks for."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from planner.errors import ExitCode, UsageError

EXAMPLES = """\
examples:
  planner verify notes-crud                  the plan of that name in plans_dir
  planner verify .claude/docs/notes-crud.json
  planner verify notes-crud --format json
  planner verify notes-crud --openapi openapi.json   routes built dynamically
exit status: 0 everything planned is there, 1 something is missing or
differs, 2 bad input (no such plan, not a plan), 3 failure
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `verify` command."""
    parser = commands.add_parser(
        "verify",
        help="check that what a plan asks for was built (for CI and pre-commit)",
        description="Read the project statically (never importing or running it) "
        "and compare it with a plan: files, served endpoints with their status "
        "codes, auth, errors and paging parameters, the migration and the tests. "
        "Prints a checklist with the file and line of each finding.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "plan",
        metavar="PLAN|NAME",
        help="a JSON plan, a Markdown plan (rebuilt from its spec), or a plan name",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project folder (default: the nearest folder upward "
        "with a pyproject.toml or .git)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format"
    )
    parser.add_argument(
        "--openapi",
        type=Path,
        default=None,
        metavar="FILE",
        help="also compare with an exported OpenAPI document (JSON)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Verify the plan and print the checklist; exit 1 when anything is missing."""
    from planner.verify import format_report, load_plan, report_data, verify_plan
    from planner.verify.openapi import read_openapi

    if not args.in_project:
        raise UsageError(
            "no project here: no pyproject.toml or .git in this folder or above",
            hint="run `planner verify` in your project, or pass --project DIR",
        )
    openapi = read_openapi(args.openapi) if args.openapi else None
    found = load_plan(args.project, args.plan)
    report = verify_plan(
        found.view,
        project=args.project,
        source=found.source,
        openapi=openapi,
        openapi_name=args.openapi.name if args.openapi else "openapi.json",
    )
    if args.format == "json":
        sys.stdout.write(json.dumps(report_data(report), indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report))
    return ExitCode.OK if report.is_ok else ExitCode.STALE
