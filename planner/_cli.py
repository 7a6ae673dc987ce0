"""The `planner` command: parse arguments, call the library, map errors to exits."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from planner import __version__
from planner.errors import ExitCode, PlannerError, UsageError

KINDS = ("crud-resource", "endpoint", "auth", "pagination")

NEW_EXAMPLES = """\
examples:
  planner new crud-resource                      ask questions, write the plan
  planner new crud-resource --spec items.toml --no-input
  planner new endpoint --spec cancel.toml --no-input --out -   plan to stdout
  planner new auth --spec auth.toml --no-input --format json --out plan.json
"""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, hint=f"see `{self.prog} --help`")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `planner` command."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="planner",
        description="Deterministic, offline implementation plans for FastAPI projects.",
        epilog="Run `planner COMMAND --help` for a command's options and examples.",
        formatter_class=fmt,
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks on errors"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    new = commands.add_parser(
        "new",
        help="plan a new feature from a questionnaire or a spec file",
        description="Plan a new feature. Asks questions on a terminal, or reads "
        "--spec FILE. Writes .claude/docs/<name>.md and prints its path last.",
        epilog=NEW_EXAMPLES,
        formatter_class=fmt,
    )
    new.add_argument("kind", choices=KINDS, help="what to plan")
    new.add_argument(
        "--spec", type=Path, metavar="FILE", help="read answers from this TOML spec"
    )
    new.add_argument(
        "--no-input",
        action="store_true",
        help="never prompt; missing answers are errors",
    )
    new.add_argument(
        "--project",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the FastAPI project to plan for (default: current folder)",
    )
    new.add_argument(
        "--out",
        metavar="PATH|-",
        help="where to write the plan; '-' for standard output "
        "(default: <project>/.claude/docs/<name>.md)",
    )
    new.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="plan format"
    )
    new.add_argument("--force", action="store_true", help="overwrite an existing plan")
    new.add_argument(
        "--context",
        type=Path,
        metavar="FILE",
        help="session context to quote (default: "
        "<project>/.claude/tasks/session_context_<name>.md if present)",
    )
    new.add_argument(
        "--allow-outside",
        action="store_true",
        help="allow --out to point outside the project on purpose",
    )
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script. Example: "
        "`planner completion bash >> ~/.bashrc`.",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        parser = build_parser()
        if not args_list:
            parser.print_help()
            return ExitCode.INVALID_INPUT
        args = parser.parse_args(args_list)
        return _dispatch(args, parser)
    except PlannerError as err:
        if debug:
            traceback.print_exc()
        _report(err, sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return ExitCode.INTERRUPTED


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "new":
        from planner._commands import run_new

        return run_new(args)
    if args.command == "completion":
        from planner._completion import completion_script

        sys.stdout.write(completion_script(args.shell, parser))
        return ExitCode.OK
    parser.print_help()
    return ExitCode.INVALID_INPUT


def _report(err: PlannerError, stream: TextIO) -> None:
    color = stream.isatty() and "NO_COLOR" not in os.environ
    red, dim, reset = ("\x1b[31;1m", "\x1b[2m", "\x1b[0m") if color else ("", "", "")
    lines = str(err).splitlines() or [type(err).__name__]
    print(f"{red}error:{reset} {lines[0]}", file=stream)
    for line in lines[1:]:
        print(f"  {line}", file=stream)
    if err.hint:
        print(f"{dim}hint:{reset} {err.hint}", file=stream)
