"""`planner schema KIND`: print the JSON Schema of a spec kind."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from planner.errors import ExitCode
from planner.kinds import KINDS

EXAMPLES = """\
examples:
  planner schema crud-resource                       print the schema
  planner schema crud-resource --explain             every key, in words
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `schema` command."""
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of a spec kind",
        description="Print the JSON Schema of a spec kind (sorted keys, stable "
        "bytes). Saved specs point at it with a `#:schema` first line.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=list(KINDS), help="the spec kind")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print what each key means instead (as `planner help spec KIND`)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema, or with --explain the keys in words."""
    if args.explain:
        from planner.cli.help import spec_help

        sys.stdout.write(spec_help(args.kind))
        return ExitCode.OK
    from planner.kinds import schema_text

    sys.stdout.write(schema_text(args.kind))
    return ExitCode.OK
