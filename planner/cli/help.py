"""`planner help`: a command's help, or every spec key, offline."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from planner.errors import ExitCode, UsageError
from planner.kinds import KINDS

EXAMPLES = """\
examples:
  planner help new                     the help of `planner new`
  planner help spec                    every spec key of every kind
  planner help spec crud-resource      the keys of one kind, and the field tables
  planner help spec max_digits         the rows that mention a key
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `help` command."""
    parser = commands.add_parser(
        "help",
        help="show a command's help, or what each spec key means (offline)",
        description="Show the help of a command, or the spec reference: every "
        "key of a spec kind, its default and what it means. Needs no network.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "topic", nargs="?", metavar="COMMAND|spec", help="a command, or `spec`"
    )
    parser.add_argument(
        "key",
        nargs="?",
        metavar="KIND|KEY",
        help="with `spec`: a spec kind, or a key to look up",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the help asked for."""
    from planner.cli.main import COMMANDS, build_parser

    if args.topic is None:
        build_parser().print_help()
        return ExitCode.OK
    if args.topic == "spec":
        sys.stdout.write(spec_help(args.key))
        return ExitCode.OK
    if args.topic in COMMANDS and args.key is None:
        build_parser(args.topic).parse_args([args.topic, "--help"])
    import difflib

    close = difflib.get_close_matches(args.topic, [*COMMANDS, "spec"], n=1)
    guess = f"did you mean `{close[0]}`? " if close else ""
    raise UsageError(
        f"no help on {args.topic!r}; one of {', '.join(COMMANDS)}, spec",
        hint=f"{guess}see `planner help --help`",
    )


def _reference() -> str:
    from planner.engine.bundled import bundled_root

    where = bundled_root() / "docs" / "spec.md"
    try:
        return where.read_text(encoding="utf-8")
    except OSError as err:  # pragma: no cover - a broken install
        raise UsageError(
            "the spec reference is missing from this install",
            hint="reinstall fastapi-planner",
        ) from err


def _sections(text: str) -> dict[str, str]:
    """The reference's `## ...` sections by their kind ('' for the preamble)."""
    parts = re.split(r"(?m)^## ", text)
    found = {"": parts[0]}
    for part in parts[1:]:
        heading = part.split("\n", 1)[0]
        kind = re.search(r'kind = "([^"]+)"', heading)
        found[kind.group(1) if kind else heading.strip()] = f"## {part}"
    return found


def spec_help(key: str | None = None) -> str:
    """Return the spec reference: all of it, one kind's part, or rows naming a key.

    Raises:
        UsageError: `key` is neither a kind nor a key the reference mentions.
    """
    text = _reference()
    if key is None:
        return text
    sections = _sections(text)
    if key in KINDS:
        return sections[""] + sections.get("Field tables", "") + sections[key]
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| `") and re.search(rf"`[^`]*\b{re.escape(key)}\b", line)
    ]
    if not rows:
        raise UsageError(
            f"the spec reference names no key {key!r}",
            hint=f"`planner help spec` lists every key; kinds: {', '.join(KINDS)}",
        )
    return "| key | ... |\n" + "\n".join(rows) + "\n"
