"""`planner check [SPEC...]`: fail when plans differ from what their specs give."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from planner.cli.render import add_common, check_project
from planner.errors import ExitCode

if TYPE_CHECKING:
    from planner.sync.plans import CheckReport

EXAMPLES = """\
examples:
  planner check                 all specs and plans (CI, pre-commit)
  planner check items-crud      one spec, by name or by path
exit status: 0 all plans match, 1 a plan is stale, missing or has no spec,
2 a spec or the config is invalid
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `check` command."""
    parser = commands.add_parser(
        "check",
        help="check that plans match their specs (for CI and pre-commit)",
        description="Regenerate every plan in memory and compare it with the file "
        "on disk. Writes nothing. On a difference, prints a unified diff, which "
        "parts of the provenance header changed, and the command that fixes it.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the plans and print the report; exit 1 when any is not up to date."""
    from planner.sync.plans import check_all

    check_project(args.project)
    report = check_all(args.project, specs=args.specs, allow_outside=args.allow_outside)
    sys.stdout.write(format_report(report))
    return ExitCode.OK if report.is_ok else ExitCode.STALE


def format_report(report: CheckReport) -> str:
    """Return the report as the text `planner check` prints."""
    lines: list[str] = []
    for status in report.problems:
        source = f" (spec {status.spec})" if status.spec else ""
        if status.pack:
            source = f" (pack {status.pack}, spec {status.spec})"
        lines.append(f"{status.state}: {status.plan}{source}")
        lines.extend(f"  {change}" for change in status.changes)
        if status.diff:
            lines.append(status.diff.rstrip("\n"))
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: CheckReport) -> str:
    plans = sum(status.pack is None for status in report.plans)
    files = len(report.plans) - plans
    extra = f" and {files} pack file{'s' * (files != 1)}" if files else ""
    if not report.is_ok:
        return (
            f"{len(report.problems)} of {plans} plans{extra} are out of date; "
            f"to fix, run: {report.fix}"
        )
    if not plans:
        return "no specs and no plans found"
    noun = "plan matches its spec" if plans == 1 else "plans match their specs"
    return f"{plans} {noun}{extra.replace(' and', ', with')}"
