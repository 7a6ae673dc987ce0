"""Build the plan of every spec of a project, in spec order, once."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.api import (
    PlanRequest,
    api_app_of,
    context_path,
    default_context,
    make_plan,
    project_layout,
    read_context,
    uses_packs,
)
from planner.config import PlannerConfig
from planner.errors import PlannerError, SpecError, UnsafePathError
from planner.fileio import is_inside
from planner.fileio import read_text as read_bounded
from planner.inspect.layout import Layout
from planner.inspect.model import ProjectModel
from planner.inspect.targets import read_model
from planner.render.markdown import render_markdown
from planner.render.provenance import Header, parse_header
from planner.render.readback import created_models, created_paths, quoted_context
from planner.spec import AnySpec
from planner.specfile import load_spec
from planner.sync.hidden import implemented

# A plan's header names its context file; a path longer than this is no path.
MAX_CONTEXT_NAME = 1024
# Plans are a few kilobytes; a plan file far bigger is not one planner wrote.
MAX_PLAN_BYTES = 10_000_000

__all__ = [
    "Output",
    "Target",
    "build_targets",
    "read_text",
    "spec_files",
    "spec_paths",
]


@dataclass(frozen=True)
class Output:
    """A file a spec gives: its plan, or a file a blueprint pack renders."""

    path: Path
    text: str
    pack: str | None = None


@dataclass(frozen=True)
class Target:
    """One spec and the files it gives now, its plan first."""

    spec_path: Path
    plan: Output
    files: tuple[Output, ...] = ()

    @property
    def outputs(self) -> tuple[Output, ...]:
        """The plan, then the pack files in path order."""
        return (self.plan, *self.files)


def spec_paths(
    project: Path, config: PlannerConfig, specs: Sequence[Path]
) -> list[Path]:
    """The spec files to build: those named, or all in specs_dir; each file once."""
    return _unique(
        [_resolve_spec(project, config, s) for s in specs]
        if specs
        else spec_files(project / config.specs_dir)
    )


def build_targets(
    project: Path,
    config: PlannerConfig,
    paths: Sequence[Path],
    *,
    on_target: Callable[[Target], None] | None = None,
) -> list[Target]:
    """Build the plan of every spec in `paths`, in order, with one inspection.

    `on_target` is given each target as soon as it is built, so a caller can
    stage its files while the next plan is built.
    """
    views = _Views(project)
    targets: list[Target] = []
    seen: dict[str, Path] = {}
    for path in paths:
        spec = load_spec(path)
        _claim(seen, spec.plan_name, path)
        target = _target(project, config, views, path, spec)
        targets.append(target)
        if on_target is not None:
            on_target(target)
    return targets


def _claim(seen: dict[str, Path], name: str, path: Path) -> None:
    """Record that `path` gives plan `name`; refuse a name given twice."""
    if name in seen:
        raise SpecError(
            f"gives plan {name!r}, as {seen[name].as_posix()} does",
            where=path.as_posix(),
            hint='set a distinct `name = "..."` in one of the two specs',
        )
    seen[name] = path


class _Views:
    """The project as plans see it, read once per set of files hidden from it."""

    def __init__(self, project: Path) -> None:
        self._project = project
        self._read: dict[frozenset[str], tuple[Layout, ProjectModel | None]] = {}

    def get(self, ignore: frozenset[str]) -> tuple[Layout, ProjectModel | None]:
        """The layout and model with the files in `ignore` read as absent."""
        if ignore not in self._read:
            model = read_model(self._project, ignore=ignore)
            layout = project_layout(
                self._project, ignore=ignore, api_app=api_app_of(model)
            )
            self._read[ignore] = (layout, model)
        return self._read[ignore]


def _target(
    project: Path,
    config: PlannerConfig,
    views: _Views,
    path: Path,
    spec: AnySpec,
) -> Target:
    name = spec.plan_name
    plan_path = project / config.plans_dir / f"{name}.md"
    text = read_text(plan_path) or ""
    header = parse_header(text)
    # Only a plan planner wrote says what it creates and quotes.
    said = text if header is not None else ""
    layout, model = views.get(implemented(project, created_paths(said)))
    own = created_models(said)
    if model is not None and own:
        tables = tuple(t for t in model.tables if t.name not in own)
        model = dataclasses.replace(model, tables=tables)
    request = _request(project, layout, model, name, header, said)
    plan = make_plan(spec, request=request)
    if header is not None and header.is_refined:
        # Offline, from .planner/cache/: a refinement whose prompt is unchanged
        # gives the same bytes again (docs/llm.md).
        from planner.refine.apply import reapply_cached

        plan = reapply_cached(plan, spec=spec, project=project) or plan
    if not uses_packs(spec, config=config):
        return Target(path, Output(plan_path, render_markdown(plan)))
    # Imported here: plans without packs never load the pack modules.
    from planner.packs.apply import apply_packs

    packed = apply_packs(spec, plan, project=project, fmt="markdown")
    files = tuple(Output(project / f.path, f.text, f.pack) for f in packed.files)
    return Target(path, Output(plan_path, packed.text), files)


def _request(
    project: Path,
    layout: Layout,
    model: ProjectModel | None,
    name: str,
    header: Header | None,
    on_disk: str,
) -> PlanRequest:
    """Prepare a plan as `planner.api.prepare` does, reusing one layout.

    The session context is the file the plan on disk names in its header
    (`planner new --context FILE`), else the default one, if there; when that
    file is gone (a context is seldom committed), the context the plan quotes.
    """
    named = header.context if header is not None else ""
    if not named:
        source = default_context(project, name)
        if source is None:
            shown = context_path(project, name).relative_to(project).as_posix()
            return _quoted(project, layout, model, on_disk, shown, keep=False)
    elif len(named) > MAX_CONTEXT_NAME or not is_inside(project, project / named):
        raise UnsafePathError(
            f"the plan {name!r} names the session context {named[:100]!r}, "
            "which is outside the project",
            hint="remove ` | context …` from the plan's first line, or run "
            "`planner new` again with a --context file inside the project",
        )
    else:
        source = project / named
        if not _is_file(source):
            return _quoted(project, layout, model, on_disk, named, keep=True)
    shown = source.relative_to(project).as_posix()
    return PlanRequest(
        project=project,
        layout=layout,
        context=read_context(source, shown_as=shown),
        context_source=shown,
        keep_context=bool(named),
        model=model,
    )


def _quoted(
    project: Path,
    layout: Layout,
    model: ProjectModel | None,
    on_disk: str,
    shown: str,
    *,
    keep: bool,
) -> PlanRequest:
    """A request with the context the plan on disk (text) quotes, from `shown`."""
    from planner.refine.redact import MASK

    context = quoted_context(on_disk)
    if not context:
        return PlanRequest(project=project, layout=layout, model=model)
    return PlanRequest(
        project=project,
        layout=layout,
        context=context,
        context_source=shown,
        keep_context=keep,
        model=model,
        # Quoted as the plan shows it: its secrets are [REDACTED] already.
        context_redacted=sum(line.count(MASK) for line in context),
    )


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False  # a name too long for the file system, say


def spec_files(folder: Path) -> list[Path]:
    """The `*.toml` files in `folder`, hidden ones aside, sorted by name."""
    # Sorted by name so the file system's listing order never shows.
    try:
        with os.scandir(folder) as entries:
            names = [
                entry.name
                for entry in entries
                if entry.name.endswith(".toml")
                and not entry.name.startswith(".")
                and entry.is_file()
            ]
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []  # as Path.glob gives
    return [folder / name for name in sorted(names)]


def _resolve_spec(project: Path, config: PlannerConfig, given: Path) -> Path:
    """Find a named spec: a file path, or a name in specs_dir."""
    folder = project / config.specs_dir
    for candidate in (given, folder / given, folder / f"{given}.toml"):
        if candidate.is_file():
            return candidate
    names = ", ".join(p.stem for p in spec_files(folder)) or "none"
    raise SpecError(
        "no such spec file or spec name",
        where=str(given),
        hint=f"specs in {config.specs_dir}: {names}",
    )


def _unique(paths: list[Path]) -> list[Path]:
    """The paths in order, each file once, however it is named."""
    folders: dict[Path, Path] = {}
    seen: set[Path] = set()
    out = []
    for path in paths:
        if path.is_symlink():
            key = path.resolve()
        else:  # resolved as resolve() does, with each folder resolved once
            folder = folders.get(path.parent)
            if folder is None:
                folder = folders[path.parent] = path.parent.resolve()
            key = folder / path.name
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def read_text(path: Path) -> str | None:
    """Return a plan file's content, or None when it does not exist.

    Raises:
        PlannerError: The path is a folder, FIFO or device, is over
            MAX_PLAN_BYTES, or cannot be read.
    """
    try:
        return read_bounded(path, limit=MAX_PLAN_BYTES, errors="replace")
    except FileNotFoundError:
        return None
    except OSError as err:
        raise PlannerError(f"cannot read: {err.strerror}", where=str(path)) from err
