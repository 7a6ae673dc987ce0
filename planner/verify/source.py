"""Find the plan `verify` compares: a name, a Markdown plan or a JSON plan."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from planner.config import load_config
from planner.errors import SpecError, UsageError
from planner.render.data import to_data
from planner.render.provenance import parse_header

from .planview import PlanView, plan_view

__all__ = ["PlanSource", "load_plan"]


@dataclass(frozen=True, slots=True)
class PlanSource:
    """The plan and where it came from, in words for the report."""

    view: PlanView
    source: str
    rebuilt: bool


def load_plan(project: Path, ref: str) -> PlanSource:
    """Read the plan `ref` names.

    `ref` is a JSON plan, a Markdown plan (its spec in specs_dir gives the
    plan again), or a plan name looked up in plans_dir (JSON first), then in
    specs_dir.

    Raises:
        UsageError: nothing of that name.
        SpecError: the file is not a plan, or a Markdown plan has no spec.
    """
    config = load_config(project)
    given = Path(ref)
    plans = project / config.plans_dir
    candidates = (
        [given, project / given]
        if given.suffix in (".json", ".md")
        else [plans / f"{ref}.json", plans / f"{ref}.md"]
    )
    for path in candidates:
        if path.is_file():
            if path.suffix == ".json":
                return _json_plan(path, project)
            return _markdown_plan(path, project, config.specs_dir)
    spec = project / config.specs_dir / f"{given.name}.toml"
    if given.suffix == "" and spec.is_file():
        return _from_spec(spec, project, text="", shown_as="")
    raise UsageError(
        f"no plan {ref!r}",
        hint=f"pass a plan file, or a name with a plan in {config.plans_dir} or a "
        f"spec in {config.specs_dir}",
    )


def _shown(path: Path, project: Path) -> str:
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.name


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"cannot read the plan: {err}", where=str(path)) from err


def _json_plan(path: Path, project: Path) -> PlanSource:
    text = _read(path)
    shown = _shown(path, project)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SpecError(
            f"not JSON: {err.msg} (line {err.lineno})", where=shown
        ) from err
    if not isinstance(data, dict):
        raise SpecError("not a planner plan: not a JSON object", where=shown)
    return PlanSource(plan_view(data, text=text, shown_as=shown), shown, rebuilt=False)


def _markdown_plan(path: Path, project: Path, specs_dir: str) -> PlanSource:
    text = _read(path)
    shown = _shown(path, project)
    if parse_header(text) is None:
        raise SpecError(
            "not a planner plan: no provenance header on the first line",
            where=shown,
        )
    spec = project / specs_dir / f"{path.stem}.toml"
    if not spec.is_file():
        raise SpecError(
            f"no spec for this plan in {specs_dir}",
            where=shown,
            hint="verify the JSON plan (`planner new ... --format json`) instead",
        )
    return _from_spec(spec, project, text=text, shown_as=shown)


def _from_spec(spec: Path, project: Path, *, text: str, shown_as: str) -> PlanSource:
    """The plan its spec gives for the project as it is now."""
    from planner.api import make_plan, prepare
    from planner.specfile import load_spec

    plan = make_plan(load_spec(spec), request=prepare(load_spec(spec), project=project))
    view = dataclasses.replace(
        plan_view(to_data(plan), text=text, shown_as=shown_as), rebuilt=True
    )
    source = (
        f"{shown_as or _shown(spec, project)}, rebuilt from {_shown(spec, project)}"
    )
    return PlanSource(view, source, rebuilt=True)
