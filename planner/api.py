"""The library's front door: spec + project folder -> plan text and files."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.config import PlannerConfig, apply_layout_overrides, load_config
from planner.engine.run import build_plan
from planner.errors import SpecError, suggest
from planner.fileio import check_inside, read_text
from planner.inspect.layout import Layout
from planner.inspect.model import ProjectModel
from planner.inspect.targets import layout_for, read_model, targets_for
from planner.plan import Plan
from planner.render.escape import visible
from planner.render.json import render_json
from planner.render.markdown import render_markdown
from planner.spec import AnySpec, CrudResourceSpec

if TYPE_CHECKING:  # the facts' records load only where a project is read
    from planner.facts import ProjectFacts

Format = Literal["markdown", "json"]
MAX_CONTEXT_LINES = 200
MAX_CONTEXT_BYTES = 1_000_000
NO_PROJECT = (
    "no project found (no pyproject.toml or .git in this folder or above): "
    "nothing was read, and paths follow planner's default layout; run planner "
    "in your project, or pass --project DIR"
)


@dataclass(frozen=True)
class PlanRequest:
    """Everything a plan depends on besides the spec itself."""

    project: Path
    layout: Layout
    context: tuple[str, ...] = ()
    context_source: str | None = None
    # The context file was named (not the default) and lies in the project:
    # the plan records it, and render and check read it again.
    keep_context: bool = False
    # The project as its code shows it; None where there is no project.
    model: ProjectModel | None = None
    # Secret-looking values `context` has replaced already: a context read
    # back from the plan that quotes it.
    context_redacted: int = 0


def context_path(project: Path, name: str) -> Path:
    """Return where the session context for plan `name` is looked for."""
    return project / ".claude" / "tasks" / f"session_context_{name}.md"


def read_context(path: Path, *, shown_as: str) -> tuple[str, ...]:
    """Read a session context file as lines, trimmed and bounded.

    Raises:
        SpecError: The file is missing, special (a FIFO, a device), over
            MAX_CONTEXT_BYTES or unreadable.
    """
    try:
        text = read_text(path, limit=MAX_CONTEXT_BYTES, errors="replace")
    except OSError as err:
        raise SpecError(
            f"cannot read session context: {err.strerror}", where=shown_as
        ) from err
    lines = [visible(line.rstrip()) for line in text.strip().splitlines()]
    if len(lines) > MAX_CONTEXT_LINES:
        lines = [
            *lines[:MAX_CONTEXT_LINES],
            f"[... {len(lines) - MAX_CONTEXT_LINES} more lines]",
        ]
    return tuple(lines)


def default_context(project: Path, name: str) -> Path | None:
    """Return the default session context of plan `name`, if there is one.

    Raises:
        UnsafePathError: It is a symlink leading out of the project: planner
            quotes it in the plan and sends it to a model, so a cloned
            repository must not be able to point it at a user's files.
    """
    candidate = context_path(project, name)
    if not (candidate.is_file() or candidate.is_symlink()):
        return None
    check_inside(
        project,
        candidate,
        what="the session context",
        hint="replace the symlink with the file, or pass --context FILE to "
        "quote a file outside the project on purpose",
    )
    return candidate


PROJECT_MARKERS = ("pyproject.toml", ".git")


def find_project(start: Path) -> Path | None:
    """Return the nearest folder from `start` upward that is a Python project.

    A project has a `pyproject.toml` or a `.git`, as Python's tools find it.
    The result is relative to `start` (`.`, `..`, ...), or None when no folder
    up to the file system's root is one.
    """
    here = start.resolve()
    for depth, folder in enumerate((here, *here.parents)):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return Path(*([".."] * depth)) if depth else Path()
    return None


def prepare(
    spec: AnySpec,
    /,
    *,
    project: Path,
    context: Path | None = None,
    read: bool = True,
    ignore: frozenset[str] = frozenset(),
) -> PlanRequest:
    """Read what the plan needs from the project: its layout and session context.

    With `read` False (no project was found), nothing of the folder is read
    and the plan follows planner's default layout: the plan an empty project
    gives, so `planner check` there agrees with it. Files whose path relative
    to the project is in `ignore` are read as absent (`planner check` hides
    the files a plan creates, so implementing it is no drift).
    """
    if read:
        from planner.inspect.model.shared import one_read

        with one_read():  # the layout and the model share one read of the tree
            model = read_model(project, ignore=ignore)
            layout = project_layout(project, ignore=ignore, api_app=api_app_of(model))
    else:
        from planner.facts import ProjectFacts
        from planner.inspect.detect import layout_from_facts

        layout = layout_from_facts(ProjectFacts())
        model = None
    source = (
        context if context is not None else default_context(project, spec.plan_name)
    )
    if source is None:
        return PlanRequest(project=project, layout=layout, model=model)
    shown = _display(source, project)
    default = context_path(project, spec.plan_name)
    return PlanRequest(
        project=project,
        layout=layout,
        context=read_context(source, shown_as=shown),
        context_source=shown,
        keep_context=_inside(source, project) and not _same_file(source, default),
        model=model,
    )


def api_app_of(model: ProjectModel | None) -> str | None:
    """The model's API app as ``path/to/module.py:name``, for the layout.

    It is the app that serves most of the project, or the one
    `[tool.planner] app` names.
    """
    if model is None or model.api_app is None:
        return None
    return f"{model.api_app.file}:{model.api_app.name}"


def inspect_layout(
    project: Path, model: ProjectModel | None = None
) -> tuple[ProjectFacts, Layout]:
    """Read the project's files into facts and the layout plans will use."""
    from planner.inspect.detect import layout_from_facts
    from planner.inspect.project import inspect_project

    facts = inspect_project(project, api_app=api_app_of(model))
    layout = layout_from_facts(facts)
    return facts, apply_layout_overrides(layout, load_config(project))


def project_layout(
    project: Path,
    *,
    ignore: frozenset[str] = frozenset(),
    api_app: str | None = None,
) -> Layout:
    """Return the layout plans use for the project (read from its files).

    Files whose path relative to the project is in `ignore` are read as
    absent; such a partial view bypasses the layout cache. `api_app`
    (``path/to/module.py:name``) is the API app where the project has several.
    """
    from planner.inspect.cache import cached_layout

    if ignore:
        layout = _read_layout(project, ignore, api_app)
    else:
        layout = cached_layout(
            project, lambda: _read_layout(project, ignore, api_app), api_app or ""
        )
    return apply_layout_overrides(layout, load_config(project))


def _read_layout(project: Path, ignore: frozenset[str], api_app: str | None) -> Layout:
    """Read the project's facts into a layout (imported only when not cached)."""
    from planner.inspect.detect import layout_from_facts
    from planner.inspect.project import inspect_project

    return layout_from_facts(inspect_project(project, ignore=ignore, api_app=api_app))


def unknown_references(spec: AnySpec, layout: Layout) -> tuple[str, ...]:
    """Say which `ref` fields name a resource the inspected project lacks.

    A project read only in part may still have it (under another name, or in
    a file planner could not read), so the plan asks instead of refusing.
    """
    if not isinstance(spec, CrudResourceSpec) or not layout.known_resources:
        return ()
    known = {*layout.known_resources, spec.resource.name}
    found = []
    for index, field in enumerate(spec.resource.fields):
        target = field.references
        if field.type != "ref" or target is None or target in known:
            continue
        close = suggest(target, sorted(known))
        tip = f" (did you mean `{close}`?)" if close else ""
        found.append(
            f"`resource.fields[{index}].references` names `{target}`, which this "
            f"project was not seen to have{tip}: plan it first with `planner new "
            "crud-resource`, or point the field at the resource that holds it."
        )
    return tuple(found)


def make_plan(spec: AnySpec, /, *, request: PlanRequest) -> Plan:
    """Build the plan of a spec for a prepared project."""
    targets = targets_for(spec, request.model)
    plan = build_plan(
        spec,
        layout=layout_for(request.layout, targets, request.model),
        targets=targets,
        session_context=request.context,
        context_source=request.context_source,
        context_redacted=request.context_redacted,
    )
    unknown = unknown_references(spec, request.layout)
    if unknown:
        plan = dataclasses.replace(
            plan, open_questions=(*unknown, *plan.open_questions)
        )
    plans_dir = load_config(request.project).plans_dir
    if plans_dir != plan.plans_dir:
        plan = dataclasses.replace(plan, plans_dir=plans_dir)
    if not request.keep_context:
        return plan
    provenance = dataclasses.replace(plan.provenance, context=request.context_source)
    return dataclasses.replace(plan, provenance=provenance)


def uses_packs(
    spec: AnySpec, /, *, config: PlannerConfig, extra: Sequence[str] = ()
) -> bool:
    """Tell whether the config, the spec or `extra` names a blueprint pack.

    The same packs `planner.packs.apply.pack_refs` lists; asked first so that plans
    without packs never import the pack modules.
    """
    return bool(config.packs or extra or any(use.source for use in spec.packs.values()))


def render(plan: Plan, /, *, fmt: Format) -> str:
    """Render a plan in the chosen format."""
    return render_json(plan) if fmt == "json" else render_markdown(plan)


def default_output(project: Path, name: str, *, fmt: Format) -> Path:
    """Return `<project>/<plans_dir>/<name>.md` (or `.json`)."""
    suffix = ".json" if fmt == "json" else ".md"
    return project / load_config(project).plans_dir / f"{name}{suffix}"


def _inside(path: Path, project: Path) -> bool:
    return path.resolve().is_relative_to(project.resolve())


def _same_file(path: Path, other: Path) -> bool:
    return path.resolve() == other.resolve()


def _display(path: Path, project: Path) -> str:
    """Show a path relative to the project where it lies inside it."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.name
