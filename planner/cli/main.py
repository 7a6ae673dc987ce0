"""The `planner` command: parse arguments, call the library, map errors to exits."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, Protocol, TextIO

from planner import __version__
from planner.errors import ExitCode, PlannerError, UsageError
from planner.interrupt import was_interrupted

# Each name is a module `planner.cli.<name>` with `register(subparsers)`, which
# adds the command's parser and sets `run` (a function of the parsed arguments
# returning the exit code). Command modules import heavy things inside `run`.
COMMANDS = (
    "new",
    "refine",
    "inspect",
    "render",
    "check",
    "schema",
    "packs",
    "completion",
    "verify",
    "init",
    "mcp",
    "help",
)


class CommandModule(Protocol):
    """What a `planner.cli.<name>` module provides."""

    def register(self, commands: argparse._SubParsersAction[Any]) -> None:
        """Add the command's parser to `commands`."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, hint=usage_hint(self, _choice_guess(message)))


_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")


def _choice_guess(message: str) -> str | None:
    """The choice nearest to a mistyped one (`chek` -> `check`), if any is near."""
    found = _INVALID_CHOICE.search(message)
    if found is None:
        return None
    choices = [c.strip().strip("'") for c in found.group(2).split(",")]
    return _nearest(found.group(1), choices)


def _nearest(word: str, candidates: Sequence[str]) -> str | None:
    import difflib  # only on a usage error: plans never load it

    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def usage_hint(parser: argparse.ArgumentParser, guess: str | None = None) -> str:
    """`did you mean X?` when a guess is near, then the help of this command."""
    where = f"see `{parser.prog} --help`"
    return f"did you mean `{guess}`? {where}" if guess else where


def _innermost(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the (sub)command `args` ran: `planner packs show`, say."""
    for action in parser._actions:  # argparse has no public walk of its actions
        if isinstance(action, argparse._SubParsersAction):
            chosen = getattr(args, action.dest, None)
            if chosen in action.choices:
                return _innermost(action.choices[chosen], args)
    return parser


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings]


def _subcommand(
    parser: argparse.ArgumentParser, word: str
) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and word in action.choices:
            found: argparse.ArgumentParser = action.choices[word]
            return found
    return None


def _check_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Refuse an unknown `--option` first, before a missing argument is reported.

    `planner new --spce` is a typo of `--spec`: saying so helps more than
    saying that the kind is missing.
    """
    current = parser
    for word in argv:
        if word == "--":
            return
        sub = _subcommand(current, word)
        if sub is not None:
            current = sub
            continue
        if not word.startswith("--") or word in ("--help", "--version"):
            continue
        name = word.split("=", 1)[0]
        known = _option_strings(current)
        if not any(option.startswith(name) for option in known):
            raise UsageError(
                f"unrecognized arguments: {word}",
                hint=usage_hint(current, _nearest(name, known)),
            )


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse `argv`; an unknown argument is blamed on the command it came with."""
    _check_options(parser, argv)
    args, extra = parser.parse_known_args(argv)
    if extra:
        owner = _innermost(parser, args)
        first = extra[0].split("=", 1)[0]
        guess = _nearest(first, _option_strings(owner)) if first[:1] == "-" else None
        raise UsageError(
            f"unrecognized arguments: {' '.join(extra)}",
            hint=usage_hint(owner, guess),
        )
    return args


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the `planner` command.

    With `command`, only that command's parser is added (and its module
    imported): all that parsing its arguments needs. Without it, every
    command is there (help, completion).
    """
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
    for name in COMMANDS if command is None else (command,):
        _command_module(name).register(commands)
    return parser


def _command_named(args: Sequence[str]) -> str | None:
    """Return the command `args` run, if it is one of COMMANDS.

    None when anything but `--debug` comes first (`planner --help new` shows
    the help of every command), or the command is unknown (the error lists
    them all).
    """
    for arg in args:
        if arg == "--debug":
            continue
        return arg if arg in COMMANDS else None
    return None


def run() -> NoReturn:
    """The `planner` console script (and `python -m planner`): main, then exit."""
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        parser = build_parser(_command_named(args_list))
        if not args_list:
            parser.print_help()
            return ExitCode.INVALID_INPUT
        args = _parse(parser, args_list)
        _find_project(args)
        return _dispatch(args, parser)
    except PlannerError as err:
        if debug:
            import traceback  # only for --debug

            traceback.print_exc()
        _report(err, sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as err:  # a bug: exit 1 means "not matching" and nothing else
        if was_interrupted():  # a signal wrapped in a library's own error
            print("interrupted; nothing was written", file=sys.stderr)
            return ExitCode.INTERRUPTED
        if debug:
            import traceback

            traceback.print_exc()
        print(
            f"error: internal error: {type(err).__name__}: {str(err)[:300]}",
            file=sys.stderr,
        )
        print("hint: run again with --debug and report it", file=sys.stderr)
        return ExitCode.FAILURE


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command is None:
        parser.print_help()
        return ExitCode.INVALID_INPUT
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


def _command_module(name: str) -> CommandModule:
    module: CommandModule = importlib.import_module(f"planner.cli.{name}")
    return module


def _report(err: PlannerError, stream: TextIO) -> None:
    color = stream.isatty() and "NO_COLOR" not in os.environ
    red, dim, reset = ("\x1b[31;1m", "\x1b[2m", "\x1b[0m") if color else ("", "", "")
    lines = str(err).splitlines() or [type(err).__name__]
    print(f"{red}error:{reset} {lines[0]}", file=stream)
    for line in lines[1:]:
        print(f"  {line}", file=stream)
    if err.hint:
        print(f"{dim}hint:{reset} {err.hint}", file=stream)


def _find_project(args: argparse.Namespace) -> None:
    """Fill in `--project` where it was not given: the project planner is run in.

    Sets `args.in_project`: False when no folder upward is a project, so that
    nothing below a home or temp folder is read as if it were one.
    """
    if not hasattr(args, "project"):
        return
    args.in_project = True
    if args.project is None:
        from planner.api import find_project

        found = find_project(Path.cwd())
        args.in_project = found is not None
        args.project = found if found is not None else Path()
