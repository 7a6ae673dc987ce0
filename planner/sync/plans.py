"""Keep plans in step with their specs: regenerate them, or check they match."""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from planner.config import PlannerConfig, load_config
from planner.errors import OutputExistsError, RunInterrupted, SpecError
from planner.fileio import check_inside, read_bytes
from planner.interrupt import Interrupted, deferred
from planner.render.provenance import describe_changes, parse_header
from planner.specfile import (
    commit_write,
    decode_spec,
    discard_write,
    make_folder,
    stage_write,
    without_schema_line,
    write_atomic,
)
from planner.sync.targets import Output, Target, build_targets, read_text, spec_paths

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
    allow_outside: bool = False,
) -> list[RenderResult]:
    """Regenerate the plans of all specs in specs_dir, or of those named.

    Plans planner generated are replaced; a file without a provenance header is
    someone's own and is kept unless `force`. With `prune`, generated plans
    whose spec is gone are removed (only when no specs are named). Files
    are written in spec order, all or none.

    Raises:
        OutputExistsError: A plan's path holds a file planner did not write.
        SpecError: A spec is invalid, or two specs give the same plan name.
        UnsafePathError: specs_dir or plans_dir leads out of the project (a
            symlink) and not `allow_outside`.
        ValueError: `prune` with named `specs`.
    """
    if prune and specs:
        raise ValueError("prune applies only when every spec is rendered")
    config = load_config(project)
    if not allow_outside:
        _check_folders(project, config)
    paths = spec_paths(project, config, specs)
    writer = _PlanWriter()
    try:
        targets = build_targets(project, config, paths, on_target=writer.stage)
        if not force:
            _refuse_foreign(writer.staged)
        # A signal while files are renamed into place waits until all are.
        with deferred():
            results = writer.commit(project, targets)
    except Interrupted as stop:
        if writer.written:
            raise RunInterrupted(
                f"interrupted by {stop.name} after every plan was put in place "
                f"({writer.written} written)"
            ) from None
        raise
    finally:
        with deferred():
            writer.discard()
    if prune:
        for orphan in _orphans(project, config, targets):
            orphan.unlink()
            results.append(RenderResult(orphan.as_posix(), None, "removed"))
    return results


@dataclass
class _Staged:
    """A plan written beside its path, not yet renamed into place."""

    out: Output
    current: str | None = None  # the file there now
    tmp: Path | None = None  # None: nothing to write, or `error`
    error: Exception | None = None  # raised in the plan's turn
    read: bool = False  # `current` holds the file: `error` came after reading

    def commit(self) -> Literal["written", "unchanged"]:
        """Rename the plan into place, or raise what staging it raised."""
        if self.error is not None:
            raise self.error
        if self.tmp is None:
            return "unchanged"
        tmp, self.tmp = self.tmp, None
        commit_write(tmp, self.out.path)
        return "written"


class _PlanWriter:
    """Write each plan to a temporary file as soon as it is built.

    Nothing is put in place before `commit`: an error before it removes the
    temporary files and the folders made for them, so a failed render leaves
    the project as it was.
    """

    def __init__(self) -> None:
        self._staged: list[_Staged] = []
        self._made: list[Path] = []
        # The names in each folder when first seen (None: not listed), and the
        # folders known to exist: no stat, open or mkdir per plan for them.
        self._names: dict[Path, frozenset[str] | None] = {}
        self._ready: set[Path] = set()
        self.written = 0  # files put in place by `commit`

    def stage(self, target: Target) -> None:
        """Write the target's plan to a temporary file."""
        item = _Staged(target.plan)
        self._staged.append(item)
        path = item.out.path
        try:
            item.current = self._read(path)
            item.read = True
            if not _is_current(item.current, item.out):
                # Read, or known absent: not a folder.
                if path.parent not in self._ready:
                    with deferred():  # a folder made is a folder recorded
                        make_folder(path, made=self._made)
                    self._ready.add(path.parent)
                with deferred():  # a temporary file made is one recorded
                    item.tmp = stage_write(path, item.out.text)
        except Exception as err:  # raised by `commit`, in the plan's turn
            item.error = err

    def _read(self, path: Path) -> str | None:
        folder = path.parent
        if folder not in self._names:
            self._names[folder] = _names_in(folder)
        names = self._names[folder]
        if names is not None and path.name not in names:
            return None
        return read_text(path)

    @property
    def staged(self) -> list[_Staged]:
        """The plans staged so far, in spec order."""
        return self._staged

    def commit(self, project: Path, targets: list[Target]) -> list[RenderResult]:
        """Put every file in place, in spec order, as if each were written in turn.

        Raises what writing a file raised, in its turn, after the files before it.
        """
        self._made.clear()  # kept from here on, as writing in turn would keep them
        results = []
        written: set[Path] = set()  # by a pack: a later plan there is compared anew
        for target, plan in zip(targets, self._staged, strict=True):
            spec = target.spec_path.as_posix()
            for out in target.outputs:
                if out.pack is None and out.path not in written:
                    action = plan.commit()
                else:
                    action = _write_in_turn(project, out)
                    written.add(out.path)
                self.written += action == "written"
                results.append(
                    RenderResult(out.path.as_posix(), spec, action, out.pack)
                )
        return results

    def discard(self) -> None:
        """Remove the files not committed, and the folders made before `commit`."""
        for item in self._staged:
            if item.tmp is not None:
                discard_write(item.tmp)
                item.tmp = None
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made.clear()


def _write_in_turn(project: Path, out: Output) -> Literal["written", "unchanged"]:
    """Write a file now, unless it is current (a pack file, or a plan a pack wrote)."""
    if _is_current(read_text(out.path), out):
        return "unchanged"
    path = out.path
    if out.pack is not None:
        path = check_inside(project, out.path, what="pack file")
    write_atomic(path, out.text, force=True)
    return "written"


def _names_in(folder: Path) -> frozenset[str] | None:
    """The names in a folder, empty if there is none; None if it cannot be listed."""
    try:
        return frozenset(entry.name for entry in folder.iterdir())
    except FileNotFoundError:
        return frozenset()
    except OSError:
        return None


def spec_copy_target(
    project: Path,
    source: Path | None,
    name: str,
    *,
    data: bytes,
    force: bool = False,
) -> Path | None:
    """Return where `planner new --spec` keeps a copy of a spec, if it must.

    `data` is the spec's bytes as read (once) from `source`, a file, or None
    for standard input. The copy is `<specs_dir>/<name>.toml`; None when
    `source` is in specs_dir already (under any name) or the copy there holds
    the same text, the `#:schema` first line aside (the copy starts with
    planner's own).

    Raises:
        OutputExistsError: A different spec of that name is there and not `force`.
    """
    folder = project / load_config(project).specs_dir
    if source is not None and source.resolve().parent == folder.resolve():
        return None
    target = folder / f"{name}.toml"
    if not target.exists():
        return target
    if target.is_file() and _same_spec(target, data):
        return None
    if not force:
        raise OutputExistsError(
            "a different spec of this name exists; refusing to overwrite it",
            where=target.as_posix(),
            hint="pass --force to replace it, or set another `name` in the spec",
        )
    return target


def _same_spec(path: Path, data: bytes) -> bool:
    """Tell whether the copy holds `data`, its `#:schema` first line aside."""
    try:
        kept = read_bytes(path, limit=len(data) + _SCHEMA_LINE_BYTES)
        return without_schema_line(decode_spec(kept, path)) == without_schema_line(
            decode_spec(data, path)
        )
    except (OSError, SpecError):
        return False  # bigger, special, unreadable or not text: not the same spec


# Room for the `#:schema` line the copy starts with and `data` may lack.
_SCHEMA_LINE_BYTES = 200


def _check_folders(project: Path, config: PlannerConfig) -> None:
    """Refuse specs_dir or plans_dir when a symlink on the way leads out."""
    for key, folder in (
        ("specs_dir", config.specs_dir),
        ("plans_dir", config.plans_dir),
    ):
        check_inside(project, project / folder, what=key)


def check_all(
    project: Path, *, specs: Sequence[Path] = (), allow_outside: bool = False
) -> CheckReport:
    """Regenerate plans in memory and compare them with the files on disk.

    With no `specs`, every spec in specs_dir is checked and generated plans in
    plans_dir that have no spec are reported as orphans.
    """
    config = load_config(project)
    if not allow_outside:
        _check_folders(project, config)
    targets = build_targets(project, config, spec_paths(project, config, specs))
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


def _status(out: Output, spec_path: Path) -> PlanStatus:
    shown = out.path.as_posix()
    status = PlanStatus(
        plan=shown, spec=spec_path.as_posix(), state="ok", pack=out.pack
    )
    current = read_text(out.path)
    if current is None:
        beside = out.path.with_suffix(".json")
        if out.pack is None and beside.is_file():  # from `planner new --format json`
            note = (
                f"{beside.name} is the plan as JSON; render and check keep the "
                "Markdown plan"
            )
            return replace(status, state="missing", changes=(note,))
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
    import difflib  # only when a plan is stale

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


def _orphans(project: Path, config: PlannerConfig, targets: list[Target]) -> list[Path]:
    """Generated plans in plans_dir that no spec makes."""
    folder = project / config.plans_dir
    if not folder.is_dir():
        return []
    expected = {out.path.resolve() for t in targets for out in t.outputs}
    return [
        path
        for path in sorted(folder.glob("*.md"), key=lambda p: p.name)
        if path.resolve() not in expected
        and parse_header(read_text(path) or "") is not None
    ]


def _refuse_foreign(staged: list[_Staged]) -> None:
    """Refuse before writing anything when a plan is not planner's to replace."""
    foreign, refined = [], []
    for item in staged:
        if not item.read and item.error is not None:
            raise item.error  # the file could not be read
        plan, text = item.out, item.current
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


def _is_current(text: str | None, out: Output) -> bool:
    return text is not None and text == out.text
