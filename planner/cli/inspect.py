"""`planner inspect`: show what planner reads in a project, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import ExitCode, UsageError
from planner.render.data import to_data

if TYPE_CHECKING:
    from planner.facts import ProjectFacts
    from planner.inspect.layout import Layout

EXAMPLES = """\
examples:
  planner inspect                          the project in the current folder
  planner inspect --project backend        another folder
  planner inspect --format json | jq .layout.route_module
"""

# The Layout fields a reader wants first, in this order.
_SHOWN = (
    ("style", "layout style"),
    ("main_module", "FastAPI app"),
    ("router_registry", "routers registered in"),
    ("api_prefix", "API prefix"),
    ("route_module", "route modules"),
    ("model_module", "models"),
    ("schema_module", "schemas"),
    ("service_module", "data access"),
    ("deps_module", "dependencies"),
    ("session_dep", "session dependency"),
    ("current_user_dep", "current-user dependency"),
    ("orm", "ORM"),
    ("migrations", "migrations"),
    ("migrations_dir", "migrations folder"),
    ("migration_head", "migration head"),
    ("test_module", "tests"),
    ("test_client_fixture", "test client fixture"),
    ("generated_client", "generated API client"),
    ("pagination_library", "pagination library"),
)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `inspect` command."""
    parser = commands.add_parser(
        "inspect",
        help="show what planner finds in a FastAPI project",
        description="Read a FastAPI project from its files (never importing or "
        "running it) and show the layout plans will use.",
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
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Inspect the project and print the findings."""
    from planner.api import inspect_layout

    if not args.in_project:
        raise UsageError(
            "no project here: no pyproject.toml or .git in this folder or above",
            hint="run `planner inspect` in your project, or pass --project DIR",
        )
    facts, layout = inspect_layout(args.project)
    if args.format == "json":
        payload = {
            "facts": to_data(facts),
            "layout": to_data(layout),
        }
        sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write(describe(facts, layout))
    return ExitCode.OK


def describe(facts: ProjectFacts, layout: Layout) -> str:
    """Return the human-readable report of an inspection."""
    lines = [f"layout source: {layout.source}"]
    data = to_data(layout)
    width = max(len(label) for _, label in _SHOWN)
    for key, label in _SHOWN:
        value = data.get(key)
        if value in (None, ""):
            continue
        lines.append(f"{label:<{width}}  {value}")
    if layout.versions:
        versions = ", ".join(f"{name} {v}" for name, v in layout.versions)
        lines.append(f"{'versions':<{width}}  {versions}")
    if facts.findings:
        lines.append("")
        lines.append("findings:")
        lines.extend(f"- {finding}" for finding in facts.findings)
    return "\n".join(lines) + "\n"
