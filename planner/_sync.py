"""Keep plans in step with their specs: regenerate them, or check they match."""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from planner._api import (
    PlanRequest,
    context_path,
    make_plan,
    project_layout,
    read_context,
    uses_packs,
)
from planner._config import PlannerConfig, load_config
from planner._layout import Layout
from planner._provenance import describe_changes, parse_header
from planner._refine import reapply_cached
from planner._render import render_markdown
from planner._store import check_inside, load_spec, write_atomic
from planner.errors import OutputExistsError, PlannerError, SpecError

__all__ = [
    "CheckReport",
    "PlanState",
    "PlanStatus",
    "RenderResult",
    "check_all",
    "fix_command",
    "render_all",
    "spec_copy_target",
]

MAX_DIFF_LINES = 400
PlanState = Literal["ok", "stale", "missing", "orphan"]


@dataclass(frozen=True)
class _Output:
    """A file a spec gives: its plan, or a file a blueprint pack renders."""

    path: Path
    text: str
    pack: str | None = None


@dataclass(frozen=True)
class _Target:
    """One spec and the files it gives now, its plan first."""

    spec_path: Path
    plan: _Output
    files: tuple[_Output, ...] = ()

    @property
    def outputs(self) -> tuple[_Output, ...]:
        """The plan, then the pack files in path order."""
        return (self.plan, *self.files)


@dataclass(frozen=True)
class RenderResult:
    """What `render_all` did with one plan (or a file a pack renders beside it)."""

    plan: str
    spec: str | None
    action: Literal["written", "unchanged", "removed"]
    pack: str | None = None


@dataclass(frozen=True)
class PlanStatus:
    """How one plan (or pack file) on disk compares with what its spec gives."""

    plan: str
    spec: str | None
    state: PlanState
    changes: tuple[str, ...] = ()
    diff: str = ""
    pack: str | None = None


@dataclass(frozen=True)
class CheckReport:
    """The result of `check_all`: each plan's state and the command that fixes it."""

    plans: tuple[PlanStatus, ...]
    fix: str

    @property
    def problems(self) -> tuple[PlanStatus, ...]:
        """The plans that are not up to date."""
        return tuple(p for p in self.plans if p.state != "ok")

    @property
    def is_ok(self) -> bool:
        """Whether every plan matches its spec."""
        return not self.problems


def fix_command(project: Path, specs: Sequence[Path] = (), *, prune: bool) -> str:
    """Return the `planner render` command line that brings plans up to date."""
    words = ["planner", "render"]
    words += [shlex.quote(s.as_posix()) for s in specs]
    if project != Path():
        words += ["--project", shlex.quote(project.as_posix())]
    if prune:
        words.append("--prune")
    return " ".join(words)


def render_all(
    project: Path,
    *,
    specs: Sequence[Path] = (),
    force: bool = False,
    prune: bool = False,
) -> list[RenderResult]:
    """Regenerate the plans of all specs in specs_dir, or of those named.

    Plans planner generated are replaced; a file without a provenance header is
    someone's own and is kept unless `force`. With `prune`, generated plans
    whose spec is gone are removed (only when no specs are named).

    Raises:
        OutputExistsError: A plan's path holds a file planner did not write.
        SpecError: A spec is invalid, or two specs give the same plan name.
        ValueError: `prune` with named `specs`.
    """
    if prune and specs:
        raise ValueError("prune applies only when every spec is rendered")
    config = load_config(project)
    targets = _targets(project, config, specs)
    if not force:
        _refuse_foreign(targets)
    results = []
    for target in targets:
        spec = target.spec_path.as_posix()
        for out in target.outputs:
            shown = out.path.as_posix()
            if _is_current(_read(out.path), out):
                results.append(RenderResult(shown, spec, "unchanged", out.pack))
                continue
            path = (
                out.path
                if out.pack is None
                else check_inside(project, out.path, what="pack file")
            )
            write_atomic(path, out.text, force=True)
            results.append(RenderResult(shown, spec, "written", out.pack))
    if prune:
        for orphan in _orphans(project, config, targets):
            orphan.unlink()
            results.append(RenderResult(orphan.as_posix(), None, "removed"))
    return results


def spec_copy_target(
    project: Path, source: Path, name: str, *, force: bool = False
) -> Path | None:
    """Return where `planner new --spec` keeps a copy of `source`, if it must.

    The copy is `<specs_dir>/<name>.toml`; None when `source` is in specs_dir
    already (under any name) or the copy has the same bytes.

    Raises:
        OutputExistsError: A different spec of that name is there and not `force`.
    """
    folder = project / load_config(project).specs_dir
    if source.resolve().parent == folder.resolve():
        return None
    target = folder / f"{name}.toml"
    if not target.exists():
        return target
    if target.is_file() and target.read_bytes() == source.read_bytes():
        return None
    if not force:
        raise OutputExistsError(
            "a different spec of this name exists; refusing to overwrite it",
            where=target.as_posix(),
            hint="pass --force to replace it, or set another `name` in the spec",
        )
    return target


def check_all(project: Path, *, specs: Sequence[Path] = ()) -> CheckReport:
    """Regenerate plans in memory and compare them with the files on disk.

    With no `specs`, every spec in specs_dir is checked and generated plans in
    plans_dir that have no spec are reported as orphans.
    """
    config = load_config(project)
    targets = _targets(project, config, specs)
    statuses = [_status(out, t.spec_path) for t in targets for out in t.outputs]
    orphans = [] if specs else _orphans(project, config, targets)
    statuses += [
        PlanStatus(
            plan=path.as_posix(),
            spec=None,
            state="orphan",
            changes=(f"no spec in {config.specs_dir} makes this plan",),
        )
        for path in orphans
    ]
    return CheckReport(
        plans=tuple(statuses),
        fix=fix_command(project, specs, prune=bool(orphans)),
    )


def _status(out: _Output, spec_path: Path) -> PlanStatus:
    shown = out.path.as_posix()
    status = PlanStatus(
        plan=shown, spec=spec_path.as_posix(), state="ok", pack=out.pack
    )
    current = _read(out.path)
    if current is None:
        return replace(status, state="missing")
    if _is_current(current, out):
        return status
    if out.pack is not None:
        changes: tuple[str, ...] = (f"pack {out.pack!r} renders it differently",)
    else:
        changes = describe_changes(parse_header(current), parse_header(out.text))
    diff = _diff(current, out.text, shown)
    return replace(status, state="stale", changes=changes, diff=diff)


def _diff(old: str, new: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{name} (on disk)",
            tofile=f"{name} (from its spec)",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"[... {more} more diff lines]\n"]
    return "".join(line if line.endswith("\n") else f"{line}\n" for line in lines)


def _targets(
    project: Path, config: PlannerConfig, specs: Sequence[Path]
) -> list[_Target]:
    """Build every plan once, in a fixed order, with one project inspection."""
    paths = (
        [_resolve_spec(project, config, s) for s in specs]
        if specs
        else _spec_files(project / config.specs_dir)
    )
    layout = project_layout(project)
    plans_dir = project / config.plans_dir
    targets: list[_Target] = []
    seen: dict[str, Path] = {}
    for path in _unique(paths):
        spec = load_spec(path)
        name = spec.plan_name
        if name in seen:
            raise SpecError(
                f"gives plan {name!r}, as {seen[name].as_posix()} does",
                where=path.as_posix(),
                hint='set a distinct `name = "..."` in one of the two specs',
            )
        seen[name] = path
        plan = make_plan(spec, request=_request(project, layout, name))
        plan_path = plans_dir / f"{name}.md"
        if _is_refined(plan_path):
            # Offline, from .planner/cache/: a refinement whose prompt is unchanged
            # gives the same bytes again (docs/llm.md).
            plan = reapply_cached(plan, spec=spec, project=project) or plan
        if not uses_packs(spec, config=config):
            targets.append(_Target(path, _Output(plan_path, render_markdown(plan))))
            continue
        # Imported here: plans without packs never load the pack modules.
        from planner._packs import apply_packs

        packed = apply_packs(spec, plan, project=project, fmt="markdown")
        files = tuple(_Output(project / f.path, f.text, f.pack) for f in packed.files)
        targets.append(_Target(path, _Output(plan_path, packed.text), files))
    return targets


def _request(project: Path, layout: Layout, name: str) -> PlanRequest:
    """Prepare a plan as `planner._api.prepare` does, reusing one layout."""
    source = context_path(project, name)
    if not source.is_file():
        return PlanRequest(project=project, layout=layout)
    shown = source.relative_to(project).as_posix()
    return PlanRequest(
        project=project,
        layout=layout,
        context=read_context(source, shown_as=shown),
        context_source=shown,
    )


def _spec_files(folder: Path) -> list[Path]:
    # Sorted by name so the file system's listing order never shows.
    if not folder.is_dir():
        return []
    return sorted(
        (
            p
            for p in folder.glob("*.toml")
            if p.is_file() and not p.name.startswith(".")
        ),
        key=lambda p: p.name,
    )


def _resolve_spec(project: Path, config: PlannerConfig, given: Path) -> Path:
    """Find a named spec: a file path, or a name in specs_dir."""
    folder = project / config.specs_dir
    for candidate in (given, folder / given, folder / f"{given}.toml"):
        if candidate.is_file():
            return candidate
    names = ", ".join(p.stem for p in _spec_files(folder)) or "none"
    raise SpecError(
        "no such spec file or spec name",
        where=str(given),
        hint=f"specs in {config.specs_dir}: {names}",
    )


def _unique(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _orphans(
    project: Path, config: PlannerConfig, targets: list[_Target]
) -> list[Path]:
    """Generated plans in plans_dir that no spec makes."""
    folder = project / config.plans_dir
    if not folder.is_dir():
        return []
    expected = {out.path.resolve() for t in targets for out in t.outputs}
    return [
        path
        for path in sorted(folder.glob("*.md"), key=lambda p: p.name)
        if path.resolve() not in expected
        and parse_header(_read(path) or "") is not None
    ]


def _refuse_foreign(targets: list[_Target]) -> None:
    """Refuse before writing anything when a plan is not planner's to replace."""
    foreign, refined = [], []
    for plan in (target.plan for target in targets):
        text = _read(plan.path)
        if text is None or _is_current(text, plan):
            continue
        header, fresh = parse_header(text), parse_header(plan.text)
        if header is None:
            foreign.append(plan.path.as_posix())
        elif header.is_refined and not (fresh and fresh.is_refined):
            refined.append(plan.path.as_posix())
    if foreign:
        raise OutputExistsError(
            "not written by planner (no provenance header); refusing to replace "
            + ", ".join(foreign),
            hint="move the file away, or pass --force to replace it",
        )
    if refined:
        raise OutputExistsError(
            "refined by an LLM; regenerating would drop the refinement: "
            + ", ".join(refined),
            hint="pass --force to replace it with the deterministic plan, then "
            "run `planner refine` on it again",
        )


def _is_current(text: str | None, out: _Output) -> bool:
    return text is not None and text == out.text


def _is_refined(path: Path) -> bool:
    header = parse_header(_read(path) or "")
    return header is not None and header.is_refined


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as err:
        raise PlannerError(f"cannot read: {err.strerror}", where=str(path)) from err
