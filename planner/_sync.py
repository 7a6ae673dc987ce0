"""Keep plans in step with their specs: regenerate them, or check they match."""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from planner._api import (
    PlanRequest,
    context_path,
    make_plan,
    project_layout,
    read_context,
    render,
)
from planner._config import PlannerConfig, load_config
from planner._layout import Layout
from planner._store import read_spec, write_atomic
from planner.errors import OutputExistsError, PlannerError, SpecError

__all__ = [
    "CheckReport",
    "Header",
    "PlanState",
    "PlanStatus",
    "RenderResult",
    "check_all",
    "describe_changes",
    "fix_command",
    "parse_header",
    "render_all",
    "spec_copy_target",
]

MAX_DIFF_LINES = 400
_HEADER = re.compile(
    r"<!-- planner (?P<planner>\S+) \| blueprint (?P<blueprint>\S+) "
    r"(?P<blueprint_version>\S+) \| knowledge (?P<knowledge>\S+) \| "
    r"spec sha256:(?P<spec>[0-9a-f]+) \| project sha256:(?P<project>[0-9a-f]+)"
    r"(?: \| (?P<extra>.*?))? -->"
)
# What each header part means to a reader of `planner check`, in header order.
_PARTS = (
    ("planner", "planner version"),
    ("blueprint", "blueprint"),
    ("blueprint_version", "blueprint version"),
    ("knowledge", "knowledge date"),
    ("spec", "spec hash (the spec changed)"),
    ("project", "project facts hash (the project or its config changed)"),
    ("extra", "other provenance"),
)

PlanState = Literal["ok", "stale", "missing", "orphan"]


@dataclass(frozen=True)
class Header:
    """A plan's provenance header, parsed: what made the plan."""

    planner: str
    blueprint: str
    blueprint_version: str
    knowledge: str
    spec: str
    project: str
    extra: str = ""

    @property
    def is_refined(self) -> bool:
        """Whether an LLM refined the plan (it cannot be regenerated offline)."""
        return self.extra.startswith("refined by ")


@dataclass(frozen=True)
class _Target:
    """One spec and the plan text it gives now."""

    spec_path: Path
    plan_path: Path
    text: str


@dataclass(frozen=True)
class RenderResult:
    """What `render_all` did with one plan."""

    plan: str
    spec: str | None
    action: Literal["written", "unchanged", "removed"]


@dataclass(frozen=True)
class PlanStatus:
    """How one plan on disk compares with its spec."""

    plan: str
    spec: str | None
    state: PlanState
    changes: tuple[str, ...] = ()
    diff: str = ""


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


def parse_header(text: str) -> Header | None:
    """Parse the provenance header on a plan's first line; None if there is none."""
    first = text.split("\n", 1)[0].strip()
    match = _HEADER.fullmatch(first)
    if match is None:
        return None
    return Header(**{k: v or "" for k, v in match.groupdict().items()})


def describe_changes(old: Header | None, new: Header | None) -> tuple[str, ...]:
    """Say which provenance parts differ between a plan on disk and a fresh one."""
    if old is None:
        return ("the file on disk has no planner provenance header",)
    if new is None:
        return ()
    changes = []
    dropped_refinement = old.is_refined and not new.is_refined
    if dropped_refinement:
        changes.append(
            f"the plan on disk was {old.extra.split(' | ')[0]}; regenerating "
            "replaces it with the deterministic plan"
        )
    for attr, label in _PARTS:
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after and not (attr == "extra" and dropped_refinement):
            changes.append(f"{label}: {before or '-'} -> {after or '-'}")
    return tuple(changes) or (
        "provenance is the same: the plan was edited by hand, or its session "
        "context changed",
    )


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
        _refuse_foreign(project, targets)
    results = []
    for target in targets:
        current = _read(target.plan_path)
        spec_shown = _display(target.spec_path, project)
        plan_shown = _display(target.plan_path, project)
        if current == target.text:
            results.append(RenderResult(plan_shown, spec_shown, "unchanged"))
            continue
        write_atomic(target.plan_path, target.text, force=True)
        results.append(RenderResult(plan_shown, spec_shown, "written"))
    if prune:
        for orphan in _orphans(project, config, targets):
            orphan.unlink()
            results.append(RenderResult(_display(orphan, project), None, "removed"))
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
    statuses = [_status(target, project) for target in targets]
    orphans = [] if specs else _orphans(project, config, targets)
    statuses += [
        PlanStatus(
            plan=_display(path, project),
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


def _status(target: _Target, project: Path) -> PlanStatus:
    plan = _display(target.plan_path, project)
    spec = _display(target.spec_path, project)
    current = _read(target.plan_path)
    if current is None:
        return PlanStatus(plan=plan, spec=spec, state="missing")
    if current == target.text:
        return PlanStatus(plan=plan, spec=spec, state="ok")
    changes = describe_changes(parse_header(current), parse_header(target.text))
    diff = _diff(current, target.text, plan)
    return PlanStatus(plan=plan, spec=spec, state="stale", changes=changes, diff=diff)


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
        spec = read_spec(path).spec
        name = spec.plan_name
        if name in seen:
            raise SpecError(
                f"gives plan {name!r}, as {_display(seen[name], project)} does",
                where=_display(path, project),
                hint='set a distinct `name = "..."` in one of the two specs',
            )
        seen[name] = path
        request = _request(project, layout, name)
        text = render(make_plan(spec, request=request), fmt="markdown")
        targets.append(_Target(path, plans_dir / f"{name}.md", text))
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
    expected = {t.plan_path.name for t in targets}
    return [
        path
        for path in sorted(folder.glob("*.md"), key=lambda p: p.name)
        if path.name not in expected and parse_header(_read(path) or "") is not None
    ]


def _refuse_foreign(project: Path, targets: list[_Target]) -> None:
    """Refuse before writing anything when a plan is not planner's to replace."""
    foreign, refined = [], []
    for target in targets:
        text = _read(target.plan_path)
        if text is None or text == target.text:
            continue
        header = parse_header(text)
        if header is None:
            foreign.append(_display(target.plan_path, project))
        elif header.is_refined:
            refined.append(_display(target.plan_path, project))
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
            hint="pass --force to replace it with the deterministic plan",
        )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as err:
        raise PlannerError(f"cannot read: {err.strerror}", where=str(path)) from err


def _display(path: Path, project: Path) -> str:
    """Show a path as the user reaches it from where they ran planner."""
    del project
    return path.as_posix()
