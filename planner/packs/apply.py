"""Blueprint packs: copier templates rendered with the spec and plan as their data."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import __version__
from planner.api import Format, default_output, render
from planner.errors import OutputExistsError, PackError
from planner.packs.manifest import PackManifest, check_fit, read_manifest
from planner.packs.source import FetchedPack, PackRef, fetch_pack, parse_pack_ref
from planner.plan import PackSource, Plan
from planner.render.data import to_data
from planner.render.json import render_json
from planner.render.markdown import render_markdown
from planner.spec import AnySpec, PackUse
from planner.specfile import check_inside, dump_spec, read_spec, write_atomic

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

__all__ = [
    "LoadedPack",
    "PackFile",
    "PackedPlan",
    "apply_packs",
    "inspect_packs",
    "load_packs",
    "pack_refs",
]


@dataclass(frozen=True)
class PackFile:
    """A file a pack renders, at a path relative to the project."""

    path: str
    text: str
    pack: str


@dataclass(frozen=True)
class LoadedPack:
    """A fetched pack and its manifest, ready to check and render."""

    ref: PackRef
    fetched: FetchedPack
    manifest: PackManifest
    origin: str

    @property
    def name(self) -> str:
        """The pack's name: `_planner.name`, else its folder or repository name."""
        return self.manifest.name

    @property
    def source(self) -> PackSource:
        """What the plan's provenance records about this pack."""
        return PackSource(
            name=self.name,
            source=self.ref.source,
            ref=self.ref.ref or "",
            commit=self.fetched.commit,
            sha256=self.fetched.sha256,
        )


@dataclass(frozen=True)
class PackedPlan:
    """A plan after its packs ran: its text, the packs' files, the final spec.

    Attributes:
        spec: The spec, with pack answers added if they were asked.
        plan: The plan, with the packs in its provenance.
        text: The plan rendered (Markdown possibly replaced by a pack).
        files: Files the packs add, relative to the project, in path order.
        spec_file: Where to save `spec` again because answers were asked.
    """

    spec: AnySpec
    plan: Plan
    text: str
    files: tuple[PackFile, ...] = ()
    spec_file: Path | None = field(default=None)

    def write(self, target: Path, *, project: Path, force: bool) -> None:
        """Write the plan to `target` and the pack files into `project`.

        Raises:
            OutputExistsError: A file exists and `force` is false; nothing is
                written then.
            PackError: A pack file would replace the plan itself.
        """
        targets = [(project / item.path, item.text) for item in self.files]
        if target.exists() and not force:
            write_atomic(target, self.text)  # raises OutputExistsError
        for path, _ in targets:
            if path.resolve() == target.resolve():
                raise PackError(
                    f"a pack renders {path.as_posix()!r}, the plan's own file",
                    hint="declare `_planner.markdown` in the pack to replace the "
                    "plan's Markdown instead",
                )
            if path.exists() and not force:
                raise OutputExistsError(
                    "file exists; refusing to overwrite it",
                    where=str(path),
                    hint="pass --force to replace it and the plan",
                )
        write_atomic(target, self.text, force=force)
        for path, text in targets:
            write_atomic(
                check_inside(project, path, what="pack file"), text, force=True
            )
        if self.spec_file is not None:
            # Keep the questionnaire's file as written, comments and all.
            exists = self.spec_file.is_file()
            document = read_spec(self.spec_file).document if exists else None
            write_atomic(
                self.spec_file, dump_spec(self.spec, document=document), force=True
            )

    def stale_files(self, project: Path) -> tuple[str, ...]:
        """Return the pack files missing from `project` or differing from it."""
        stale: list[str] = []
        for item in self.files:
            path = project / item.path
            try:
                current = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                current = None
            if current != item.text:
                stale.append(item.path)
        return tuple(stale)


def pack_refs(
    project: Path, *, spec: AnySpec | None = None, extra: Sequence[str] = ()
) -> tuple[tuple[PackRef, str], ...]:
    """Return the packs in use and where each is named ("config", "spec", "flag").

    `[tool.planner] packs` come first, then the spec's `[packs.<name>] source`,
    then `extra` (`--pack`). Relative paths of the first two are read from the
    project, those of `extra` from the current folder. Nothing is fetched.
    """
    # Imported here: the project config is read only when packs are asked about.
    from planner.config import load_config

    refs: list[tuple[PackRef, str]] = [
        (parse_pack_ref(text, base=project), "config")
        for text in load_config(project).packs
    ]
    if spec is not None:
        refs.extend(
            (parse_pack_ref(use.source, base=project), "spec")
            for use in spec.packs.values()
            if use.source
        )
    refs.extend((parse_pack_ref(text, base=Path()), "flag") for text in extra)
    return tuple(refs)


def inspect_packs(refs: Sequence[tuple[PackRef, str]]) -> tuple[LoadedPack, ...]:
    """Fetch packs only to read their manifests (for `planner packs`)."""
    with tempfile.TemporaryDirectory(prefix="planner-packs-") as scratch:
        return load_packs(refs, workdir=Path(scratch))


def load_packs(
    refs: Sequence[tuple[PackRef, str]], *, workdir: Path
) -> tuple[LoadedPack, ...]:
    """Fetch each pack into `workdir` and read its manifest; later names win."""
    loaded: dict[str, LoadedPack] = {}
    for index, (ref, origin) in enumerate(refs):
        folder = workdir / f"pack-{index}"
        folder.mkdir(parents=True)
        fetched = fetch_pack(ref, workdir=folder)
        manifest = read_manifest(fetched.root, fallback_name=ref.source, shown=ref.text)
        loaded[manifest.name] = LoadedPack(ref, fetched, manifest, origin)
    return tuple(loaded.values())


def apply_packs(
    spec: AnySpec,
    plan: Plan,
    /,
    *,
    project: Path,
    fmt: Format,
    extra: Sequence[str] = (),
    trust: bool = False,
    ask: bool = False,
    input: Input | None = None,
    output: Output | None = None,
) -> PackedPlan:
    """Render a plan with the packs its project, spec and `extra` name.

    With no packs this is `render(plan, fmt=fmt)` and copier is not imported.

    Args:
        spec: The validated spec; `[packs.<name>.answers]` answer pack questions.
        plan: The plan built from `spec`.
        project: The project folder (config, relative pack paths, output).
        fmt: The plan's format; a pack replaces only Markdown.
        extra: `--pack PATH_OR_URL[@REF]` values.
        trust: Allow copier tasks, migrations and Jinja extensions (`--trust`).
        ask: Ask pack questions on the terminal and record the answers, and
            `extra` sources, in the spec saved by the questionnaire.
        input: prompt_toolkit input for the questions (tests); the terminal
            by default.
        output: prompt_toolkit output for the questions (tests).

    Raises:
        PackError: A pack cannot be fetched, does not fit, is unsafe without
            `trust`, lacks answers, or fails to render.
    """
    refs = pack_refs(project, spec=spec, extra=extra)
    if not refs:
        return PackedPlan(spec=spec, plan=plan, text=render(plan, fmt=fmt))
    _require_copier()
    with tempfile.TemporaryDirectory(prefix="planner-packs-") as scratch:
        workdir = Path(scratch)
        packs = load_packs(refs, workdir=workdir)
        for pack in packs:
            check_fit(
                pack.manifest,
                kind=spec.kind,
                version=__version__,
                trust=trust,
                shown=pack.ref.text,
            )
        spec_file = None
        if ask:
            spec = _ask_answers(
                spec, packs, project=project, input=input, output=output
            )
            from planner.interactive.questionnaire import spec_path

            spec_file = spec_path(project, spec.plan_name)
        plan = _with_packs(plan, spec, packs)
        files, markdown = _render_all(spec, plan, packs, project, workdir, trust)
    text = markdown if markdown is not None and fmt == "markdown" else None
    return PackedPlan(
        spec=spec,
        plan=plan,
        text=text if text is not None else render(plan, fmt=fmt),
        files=files,
        spec_file=spec_file,
    )


def _require_copier() -> None:
    try:
        import copier  # noqa: F401  # only checks that the extra is installed
    except ImportError as err:
        raise PackError(
            "blueprint packs need copier, which is not installed",
            hint="pip install 'fastapi-planner[packs]'",
        ) from err


def _ask_answers(
    spec: AnySpec,
    packs: Sequence[LoadedPack],
    *,
    project: Path,
    input: Input | None,
    output: Output | None,
) -> AnySpec:
    from planner.packs.questions import ask_answers

    uses = dict(spec.packs)
    for pack in packs:
        use = uses.get(pack.name, PackUse())
        answers = ask_answers(
            pack.manifest,
            kind=spec.kind,
            previous=use.answers,
            input=input,
            output=output,
        )
        source = _portable(pack.ref, project) if pack.origin == "flag" else use.source
        uses[pack.name] = PackUse(source=source, answers=answers)
    return spec.model_copy(update={"packs": uses})


def _portable(ref: PackRef, project: Path) -> str:
    """Name a `--pack` source so that it reads the same from the project."""
    if ref.is_remote:
        return ref.text
    import os.path

    # os.path.relpath: pathlib cannot walk up ("../packs") before Python 3.12.
    relative = Path(os.path.relpath(ref.folder.resolve(), project.resolve()))
    text = relative.as_posix()
    return f"{text}@{ref.ref}" if ref.ref else text


def _with_packs(plan: Plan, spec: AnySpec, packs: Sequence[LoadedPack]) -> Plan:
    """Record the packs, and hash the spec again: asked answers are part of it."""
    from planner.engine.run import digest

    provenance = dataclasses.replace(
        plan.provenance,
        packs=tuple(pack.source for pack in packs),
        spec_sha256=digest(spec),
    )
    return dataclasses.replace(plan, provenance=provenance)


def _render_all(
    spec: AnySpec,
    plan: Plan,
    packs: Sequence[LoadedPack],
    project: Path,
    workdir: Path,
    trust: bool,
) -> tuple[tuple[PackFile, ...], str | None]:
    from planner.packs.questions import check_answers
    from planner.packs.render import collect_output, run_copier

    shared = _shared_data(spec, plan, project)
    files: dict[str, PackFile] = {}
    markdown: tuple[str, str] | None = None
    for index, pack in enumerate(packs):
        answers = spec.packs[pack.name].answers if pack.name in spec.packs else {}
        check_answers(pack.manifest, answers, where=pack.ref.text)
        planner_data = {**shared["planner"], "pack": to_data(pack.source)}
        data = {**answers, **shared, "planner": planner_data}
        staging = workdir / f"out-{index}"
        run_copier(
            pack.fetched.root, staging, data=data, trust=trust, shown=pack.ref.text
        )
        output, replaced = collect_output(staging, pack.manifest, shown=pack.ref.text)
        if replaced is not None:
            if markdown is not None:
                raise PackError(
                    f"packs {markdown[0]!r} and {pack.name!r} both replace the "
                    "plan's Markdown",
                    hint="keep `_planner.markdown` in one pack only",
                )
            markdown = (pack.name, replaced)
        for path, text in output:
            if path in files:
                raise PackError(
                    f"packs {files[path].pack!r} and {pack.name!r} both render "
                    f"{path!r}",
                    hint="rename the file in one of the packs",
                )
            files[path] = PackFile(path=path, text=text, pack=pack.name)
    ordered = tuple(files[path] for path in sorted(files))
    return ordered, markdown[1] if markdown else None


def _shared_data(spec: AnySpec, plan: Plan, project: Path) -> dict[str, Any]:
    """Return the data every pack sees: `spec`, `plan` and `planner`."""
    plan_file = default_output(project, plan.name, fmt="markdown")
    plan_path = plan_file.relative_to(project).as_posix()
    spec_data: Mapping[str, Any] = spec.model_dump(mode="json", exclude={"packs"})
    return {
        "spec": dict(spec_data),
        "plan": json.loads(render_json(plan)),
        "planner": {
            "version": __version__,
            "markdown": render_markdown(plan),
            "plan_path": plan_path,
            "plans_dir": plan_path.rpartition("/")[0],
        },
    }
