"""What the MCP server's tools do, as plain functions of a project folder.

Each returns text for the model to read and raises PlannerError, which the
server turns into a tool error; none imports the `mcp` SDK.
"""

from __future__ import annotations

import re
from pathlib import Path

from planner.errors import SpecError, UsageError

__all__ = [
    "check_plans",
    "inspect_project",
    "list_plans",
    "plan_spec",
    "read_plan",
    "spec_schema",
    "verify_plan",
]

_PLAN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def inspect_project(project: Path) -> str:
    """The layout plans use and the project model, as `planner inspect` shows them."""
    from planner.api import inspect_layout
    from planner.cli.inspect import describe, describe_model
    from planner.inspect.targets import read_model

    model = read_model(project)
    facts, layout = inspect_layout(project, model)
    text = describe(facts, layout, model)
    return text + ("\n" + describe_model(model) if model is not None else "")


def spec_schema(kind: str) -> str:
    """The JSON Schema of a spec kind."""
    from planner.kinds import KINDS, schema_text

    if kind not in KINDS:
        raise UsageError(
            f"unknown spec kind {kind!r}", hint=f"kinds: {', '.join(sorted(KINDS))}"
        )
    return schema_text(kind)


def plan_spec(project: Path, spec: str, *, force: bool = False) -> str:
    """Validate spec TOML, keep it in specs_dir and write its plan to plans_dir."""
    from planner.api import default_output, make_plan, prepare, render, uses_packs
    from planner.config import load_config
    from planner.specfile import spec_from_text, write_atomic

    parsed = spec_from_text(spec, source="spec")
    config = load_config(project)
    if uses_packs(parsed, config=config):
        raise SpecError(
            "plans with blueprint packs are made on the command line",
            hint="run `planner new KIND --spec FILE --no-input`",
        )
    plan = make_plan(parsed, request=prepare(parsed, project=project))
    text = render(plan, fmt="markdown")
    target = default_output(project, parsed.plan_name, fmt="markdown")
    spec_file = project / config.specs_dir / f"{parsed.plan_name}.toml"
    if not force:
        for path in (target, spec_file):
            if path.exists():
                raise UsageError(
                    f"{path.relative_to(project).as_posix()} exists; refusing to "
                    "overwrite it",
                    hint="pass force=true to replace the spec and its plan",
                )
    write_atomic(spec_file, spec, force=True)
    write_atomic(target, text, force=True)
    shown = target.relative_to(project).as_posix()
    return f"wrote {shown} (resource planner://plans/{parsed.plan_name})\n\n{text}"


def check_plans(project: Path) -> str:
    """`planner check`: whether every plan matches its spec."""
    from planner.cli.check import format_report
    from planner.sync.plans import check_all

    return format_report(check_all(project, specs=[]))


def verify_plan(project: Path, plan: str) -> str:
    """`planner verify`: the checklist of a plan against the project."""
    from planner.verify import format_report, load_plan
    from planner.verify import verify_plan as verify

    found = load_plan(project, plan)
    return format_report(verify(found.view, project=project, source=found.source))


def list_plans(project: Path) -> list[tuple[str, Path]]:
    """Every plan in plans_dir: (name, path), Markdown and JSON, by name."""
    from planner.config import load_config

    folder = project / load_config(project).plans_dir
    if not folder.is_dir():
        return []
    return sorted(
        (p.stem if p.suffix == ".md" else p.name, p)
        for p in folder.iterdir()
        if p.suffix in (".md", ".json") and p.is_file()
    )


def read_plan(project: Path, name: str) -> str:
    """The text of a plan in plans_dir, by name (`notes-crud` or `x.json`)."""
    if not _PLAN_NAME.fullmatch(name):
        raise UsageError(f"not a plan name: {name!r}")
    for found, path in list_plans(project):
        if found == name:
            return path.read_text(encoding="utf-8")
    raise UsageError(f"no plan {name!r} in the plans folder")
