"""`planner new KIND`: plan a feature from a questionnaire or a spec file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.cli.refine import add_refine_options
from planner.errors import ExitCode, UsageError
from planner.kinds import KINDS

STDIN = Path("-")

if TYPE_CHECKING:
    from planner.api import PlanRequest
    from planner.packs.apply import PackedPlan
    from planner.plan import Plan
    from planner.spec import AnySpec


EXAMPLES = """\
examples:
  planner new crud-resource                      ask questions, write the plan
  planner new crud-resource --spec items.toml --no-input
  planner new endpoint --spec cancel.toml --no-input --out -   plan to stdout
  planner new auth --spec auth.toml --no-input --format json --out plan.json
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `new` command."""
    new = commands.add_parser(
        "new",
        help="plan a new feature from a questionnaire or a spec file",
        description="Plan a new feature. Asks questions on a terminal, or reads "
        "--spec FILE. Keeps the spec in specs_dir (default .planner/specs), "
        "writes the plan to plans_dir (default .claude/docs/<name>.md) and "
        "prints its path last. Folders come from [tool.planner] in "
        "pyproject.toml.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("kind", choices=list(KINDS), help="what to plan")
    new.add_argument(
        "--spec",
        type=Path,
        metavar="FILE|-",
        help="read answers from this TOML spec; '-' for standard input",
    )
    new.add_argument(
        "--no-input",
        action="store_true",
        help="never prompt; missing answers are errors",
    )
    new.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the FastAPI project to plan for (default: the nearest folder upward "
        "with a pyproject.toml or .git)",
    )
    new.add_argument(
        "--out",
        metavar="PATH|-",
        help="where to write the plan; '-' for standard output "
        "(default: <project>/<plans_dir>/<name>.md; plans_dir is "
        "[tool.planner] plans_dir, .claude/docs unless set)",
    )
    new.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="plan format",
    )
    new.add_argument(
        "--force", action="store_true", help="overwrite an existing plan or spec"
    )
    new.add_argument(
        "--context",
        type=Path,
        metavar="FILE",
        help="session context to quote (default: "
        "<project>/.claude/tasks/session_context_<name>.md if present)",
    )
    new.add_argument(
        "--allow-outside",
        action="store_true",
        help="allow the plan, --out or the spec copy to lie outside the "
        "project on purpose (a symlinked .claude, say)",
    )
    new.add_argument(
        "--refine",
        action="store_true",
        help="then ask the model in [tool.planner.llm] for marked, checked "
        "refinements (docs/llm.md); nothing is ever sent without this",
    )
    add_refine_options(new)
    new.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="PATH_OR_URL[@REF]",
        help="render this blueprint pack (a copier template) beside the plan; "
        "repeatable; adds to [tool.planner] packs (docs/packs.md)",
    )
    new.add_argument(
        "--trust",
        action="store_true",
        help="let packs run copier tasks, migrations and Jinja extensions",
    )
    new.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Get a spec, build the plan, write it; print the plan's path last."""
    from planner.api import default_output, make_plan, render, uses_packs
    from planner.cli.refine import print_prompt, refine_or_keep
    from planner.config import load_config
    from planner.fileio import check_inside
    from planner.interrupt import handle_signals

    project: Path = args.project
    if not project.is_dir():
        raise UsageError(
            f"project folder {str(project)!r} does not exist",
            hint="pass --project DIR pointing at your FastAPI project",
        )
    spec = _obtain_spec(args)
    request = _prepare(args, spec)
    plan = make_plan(spec, request=request)
    if args.show_prompt:
        return print_prompt(plan, spec=spec, project=project)
    code: int = ExitCode.OK
    if args.refine:
        plan, code = refine_or_keep(plan, spec=spec, project=project, args=args)
    packed: PackedPlan | None = None
    if uses_packs(spec, config=load_config(project), extra=args.pack):
        # Imported here: plans without packs never load the pack modules.
        from planner.packs.apply import apply_packs

        packed = apply_packs(
            spec,
            plan,
            project=project,
            fmt=args.format,
            extra=args.pack,
            trust=args.trust,
            ask=args.spec is None,
        )
    text = packed.text if packed is not None else render(plan, fmt=args.format)
    if args.out == "-":
        write_stdout(text)
        return code
    if args.out is None:
        target = default_output(project, spec.plan_name, fmt=args.format)
        what = "the plan's path"
    else:
        target, what = Path(args.out), "--out"
    if not args.allow_outside:
        check_inside(project, target, what=what)
    copy = _spec_copy(args, spec.plan_name)  # refuses before anything is written
    with handle_signals():
        _write_both(args, target, text, packed, copy)
    _print_summary(plan, project=project)
    print(target.as_posix())
    return code


def _prepare(args: argparse.Namespace, spec: AnySpec) -> PlanRequest:
    """Read the project for the plan; say so when there is no project to read."""
    from planner.api import NO_PROJECT, prepare

    if not args.in_project:
        print(f"note: {NO_PROJECT}", file=sys.stderr)
    return prepare(
        spec, project=args.project, context=args.context, read=args.in_project
    )


def _write_both(
    args: argparse.Namespace,
    target: Path,
    text: str,
    packed: PackedPlan | None,
    copy: Path | None,
) -> None:
    """Write the plan (and pack files) and the spec copy: both, or neither."""
    from planner.fileio import (
        commit_new,
        commit_write,
        discard_write,
        make_folder,
        stage_write,
        write_atomic,
    )
    from planner.interrupt import deferred

    staged: Path | None = None
    if copy is not None:
        make_folder(copy)
        with deferred():  # a temporary file made is a temporary file recorded
            # Byte for byte, as read: the user's comments and layout are theirs.
            staged = stage_write(copy, _kept_spec_text(args))
    try:
        if packed is not None:
            packed.write(target, project=args.project, force=args.force)
        elif staged is not None:
            if target.is_dir() or (target.exists() and not args.force):
                write_atomic(target, text, force=args.force)  # raises
            make_folder(target)
            plan = stage_write(target, text)
            with deferred():
                (commit_write if args.force else commit_new)(plan, target)
        else:
            write_atomic(target, text, force=args.force)
        if staged is not None and copy is not None:
            commit_write(staged, copy)
            staged = None
    finally:
        if staged is not None:
            discard_write(staged)
    if copy is not None:
        _spec_kept(args, copy, name=target.stem)


def _kept_spec_text(args: argparse.Namespace) -> str:
    """The spec as read, its first line the `#:schema` line that works offline.

    Every other line is the user's, comments and layout included.
    """
    from planner.specfile import decode_spec, with_schema_line

    return with_schema_line(decode_spec(args.spec_bytes, "<spec>"), args.kind)


def _print_summary(plan: Plan, *, project: Path) -> None:
    """A few lines for a person at a terminal; scripts get only the paths."""
    from planner.cli.summary import summarize_plan

    if not sys.stderr.isatty():
        return
    sys.stdout.flush()
    sys.stderr.write(summarize_plan(plan, project=project))
    sys.stderr.flush()


def _spec_kept(args: argparse.Namespace, copy: Path, *, name: str) -> None:
    """Say where the spec copy is, where render and check find it."""
    from planner.api import default_output
    from planner.specfile import save_schema

    print(f"spec: {copy.as_posix()}")
    problem = save_schema(copy, args.kind, project=args.project)
    if problem:
        print(f"note: {problem}; editors will not check the spec", file=sys.stderr)
    if args.format == "json":
        markdown = default_output(args.project, name, fmt="markdown").as_posix()
        print(
            f"note: `planner render` and `planner check` keep this spec's plan as"
            f" Markdown ({markdown}); run `planner render` to add it",
            file=sys.stderr,
        )


def write_stdout(text: str) -> None:
    """Write a plan to standard output, whatever its encoding and however full.

    Raises:
        WriteError: Standard output refused the text (closed, full, or an
            encoding that cannot hold it).
    """
    from planner.errors import WriteError

    stream = sys.stdout
    try:
        if hasattr(stream, "buffer"):
            stream.flush()
            stream.buffer.write(text.encode("utf-8"))
            stream.buffer.flush()
        else:
            stream.write(text)
            stream.flush()
    except (OSError, UnicodeEncodeError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise WriteError(
            f"cannot write to standard output: {reason}", where="-"
        ) from err


def _spec_copy(args: argparse.Namespace, name: str) -> Path | None:
    """Where to keep a copy of --spec FILE in specs_dir (None: no copy needed)."""
    from planner.fileio import check_inside
    from planner.sync.plans import spec_copy_target

    if args.spec is None:
        return None
    source = None if args.spec == STDIN else args.spec
    copy = spec_copy_target(
        args.project, source, name, data=args.spec_bytes, force=args.force
    )
    if copy is not None and not args.allow_outside:
        check_inside(args.project, copy, what="the spec copy")
    return copy


def _obtain_spec(args: argparse.Namespace) -> AnySpec:
    from planner.specfile import decode_spec, read_spec_bytes, spec_from_text

    if args.spec is not None:
        # Read once: a pipe gives its bytes once, and the copy kept in
        # specs_dir must be what was planned from.
        if args.spec == STDIN:
            args.spec_bytes, source = _read_stdin(), "<stdin>"
        else:
            args.spec_bytes, source = read_spec_bytes(args.spec), str(args.spec)
        spec = spec_from_text(decode_spec(args.spec_bytes, source), source=source)
        if spec.kind != args.kind:
            raise UsageError(
                f"{source} is a {spec.kind!r} spec, not {args.kind!r}",
                hint=f"run `planner new {spec.kind} --spec {args.spec}`",
            )
        return spec
    if args.no_input:
        raise UsageError(
            "--no-input needs --spec FILE: there is nothing to plan from",
            hint=f"write a spec (`planner help spec {args.kind}` lists its keys) "
            f"and run `planner new {args.kind} --spec FILE --no-input`",
        )
    # Imported here: only the interactive path may load questionary.
    from planner.interactive.questionnaire import run_questionnaire

    answered: AnySpec = run_questionnaire(
        args.kind, project=args.project, force=args.force
    )
    return answered


def _read_stdin() -> bytes:
    """Read a spec from standard input, bounded like a spec file."""
    from planner.errors import SpecError
    from planner.specfile import MAX_SPEC_BYTES

    try:
        data: bytes = sys.stdin.buffer.read(MAX_SPEC_BYTES + 1)
    except (OSError, ValueError, AttributeError) as err:
        raise SpecError("cannot read standard input", where="<stdin>") from err
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(
            f"spec is over {MAX_SPEC_BYTES:,} bytes, the limit", where="<stdin>"
        )
    return data
