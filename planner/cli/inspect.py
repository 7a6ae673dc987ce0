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
    from planner.inspect.model import ProjectModel

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
    ("test_user_fixtures", "test user fixtures"),
    ("rate_limiter", "rate limiting"),
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
    from planner.cli.render import check_project

    check_project(args.project)  # a missing --project is bad input, as elsewhere
    if not args.in_project:
        raise UsageError(
            "no project here: no pyproject.toml or .git in this folder or above",
            hint="run `planner inspect` in your project, or pass --project DIR",
        )
    from planner.inspect.targets import read_model

    model = read_model(args.project)
    facts, layout = inspect_layout(args.project, model)
    if args.format == "json":
        payload = {
            "facts": to_data(facts),
            "layout": to_data(layout),
            "model": model_data(model),
        }
        sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write(describe(facts, layout, model))
        if model is not None:
            sys.stdout.write("\n" + describe_model(model))
    return ExitCode.OK


def model_data(model: ProjectModel | None) -> dict[str, Any] | None:
    """The project model as JSON data, without the list of every file."""
    if model is None:
        return None
    data: dict[str, Any] = to_data(model)
    del data["paths"], data["dirs"]
    return data


def describe_model(model: ProjectModel) -> str:
    """Return the project model as a reader wants it: apps first, unknowns last."""
    lines = ["apps:"]
    for app in model.apps:
        mark = "*" if app == model.api_app else " "
        mount = f", mounted at {app.mounted_at}" if app.mounted_at else ""
        lines.append(
            f" {mark} {app.file}:{app.name} (line {app.line}; "
            f"{app.route_count} routes{mount})"
        )
    if model.app_reason:
        lines.append(f"  picked: {model.app_reason}")
    lines.append(f"API root: {model.api_root or '/'}")
    lines.append("routers (served prefix):")
    for router in model.routers:
        state = "" if router.reachable else "  [not reachable from the API app]"
        guards = f"  [runs {', '.join(router.guards)}]" if router.guards else ""
        lines.append(
            f"  {router.served_prefix or '/'}  {router.file}:{router.name}{state}"
            f"{guards}"
        )
    lines.append("resources:")
    for res in model.resources:
        files = ", ".join(f"{f.role} {f.path}" for f in res.files if f.own)
        tables = f"; tables {', '.join(res.tables)}" if res.tables else ""
        lines.append(
            f"  {res.name} at {res.served_prefix or '/'}: {files or res.router_file}"
            f"{tables}"
        )
    lines.append("conventions (votes):")
    for vote in model.conventions:
        # An empty value is a real one (`item_form` "": items at `/{id}`).
        counts = ", ".join(f"{value or repr('')} {n}" for value, n in vote.counts)
        winner = "unknown" if vote.winner is None else vote.winner or repr("")
        lines.append(f"  {vote.name}: {winner} ({counts or 'no votes'})")
        if vote.note:
            lines.append(f"    {vote.note}")
    lines.extend(_guard_lines(model))
    lines.extend(_handler_lines(model))
    if model.registries:
        lines.append("registries (files that name every sibling):")
        lines.extend(
            f"  {reg.path}: {reg.role}, names {reg.named} of {reg.siblings}"
            for reg in model.registries
        )
    if model.migrations:
        lines.append("migrations:")
        lines.extend(
            f"  {tree.system} {tree.versions_dir} ({len(tree.files)} files; "
            f"tables {', '.join(tree.tables) or 'none read'})"
            for tree in model.migrations
        )
    unknown = [f"could not read {u.path}: {u.reason}" for u in model.unparsed]
    unknown += list(model.unknowns)
    if unknown:
        lines.append("unknown (set [tool.planner] keys to settle):")
        lines.extend(f"  - {item}" for item in unknown)
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _guard_lines(model: ProjectModel) -> list[str]:
    """The guards and the modules that use each: what a change of guard touches."""
    if not model.guards:
        return []
    lines = ["guards (dependencies that identify the caller or check a role):"]
    for guard in model.guards:
        where = f" in {guard.file}" if guard.file else ""
        others = len(guard.files) - len(guard.routers)
        more = f" and {_count(others, 'other module')}" if others else ""
        lines.append(
            f"  {guard.label}{where}: {guard.kind}, {_count(guard.routes, 'route')}; "
            f"used by {_count(len(guard.routers), 'router module')}{more}"
        )
        lines.extend(f"    {path}" for path in guard.files)
    return lines


def _handler_lines(model: ProjectModel) -> list[str]:
    """The project's errors: handlers, its HTTP error classes, its base's writes."""
    lines = []
    if model.error_handlers:
        lines.append("exception handlers (what the app answers for every route):")
        lines.extend(
            f"  {h.exception} -> {h.handler} in {h.file}:{h.line}: "
            + (", ".join(str(s) for s in h.statuses) or "status not read")
            for h in model.error_handlers
        )
    if model.http_errors:
        lines.append("HTTP errors (the project's own HTTPException classes):")
        lines.extend(
            f"  {e.name} in {e.file}:{e.line}: {e.status}"
            + (f" ({', '.join(e.headers)})" if e.headers else "")
            for e in model.http_errors
        )
    if model.base_writes:
        lines.append("base writes (what a table base's writes make of a DB error):")
        lines.extend(
            f"  {w.base}.{w.method} in {w.file}:{w.line}: "
            + (
                f"catches {w.caught}, raises {w.raises or 'nothing'}"
                + (f" ({w.status})" if w.status else "")
                if w.caught
                else "lets database errors through"
            )
            for w in model.base_writes
        )
    return lines


# The layout's files and patterns: one the project's files do not follow is a
# default or a guess, not a fact of the project, and is shown as such.
_PLACES = frozenset(
    {
        "main_module",
        "router_registry",
        "route_module",
        "model_module",
        "schema_module",
        "service_module",
        "deps_module",
        "test_module",
    }
)


def describe(facts: ProjectFacts, layout: Layout, model: ProjectModel | None) -> str:
    """Return the human-readable report of an inspection."""
    from planner.inspect.targets import followed

    lines = [f"layout source: {layout.source}"]
    data = to_data(layout)
    width = max(len(label) for _, label in _SHOWN)
    for key, label in _SHOWN:
        value = data.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        if key in _PLACES and not followed(layout, str(value)):
            lack = "no two files follow it" if "{" in str(value) else "no such file"
            value = f"{value} ({lack})"
        if key == "session_dep" and not layout.session_dep_exists:
            vote = model.convention("session_dependency").winner if model else None
            value = vote or f"none found (plans add `{value}`)"
        lines.append(f"{label:<{width}}  {value}")
    if layout.versions:
        versions = ", ".join(f"{name} {v}" for name, v in layout.versions)
        lines.append(f"{'versions':<{width}}  {versions}")
    if facts.findings:
        lines.append("")
        lines.append("findings:")
        lines.extend(f"- {finding}" for finding in facts.findings)
    return "\n".join(lines) + "\n"
