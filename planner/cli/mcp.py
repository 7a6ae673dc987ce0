"""`planner mcp`: serve planner's tools and the project's plans over MCP (stdio)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.errors import ExitCode, PlannerError, UsageError

EXAMPLES = """\
examples:
  planner mcp                           serve the project in this folder
  claude mcp add planner -- planner mcp --project .
needs the optional extra: pip install 'fastapi-planner[mcp]'
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `mcp` command."""
    parser = commands.add_parser(
        "mcp",
        help="serve planner to AI agents over MCP (stdio)",
        description="Serve planner as a Model Context Protocol server on standard "
        "input and output: tools to inspect the project, plan a spec, check "
        "plans and verify a plan, the JSON Schema of each spec kind, and the "
        "plans as resources (planner://plans/NAME).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project folder (default: the nearest folder upward "
        "with a pyproject.toml or .git)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until the client disconnects."""
    if not args.in_project:
        raise UsageError(
            "no project here: no pyproject.toml or .git in this folder or above",
            hint="run `planner mcp` in your project, or pass --project DIR",
        )
    try:
        from planner.mcp.server import serve
    except ImportError as err:
        raise PlannerError(
            "the MCP server needs the `mcp` package",
            hint="pip install 'fastapi-planner[mcp]'",
        ) from err
    serve(args.project)
    return ExitCode.OK
