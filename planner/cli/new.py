"""`planner new KIND`: plan a feature from a questionnaire or a spec file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.cli.refine import add_refine_options
from planner.errors import ExitCode, UsageError
from planner.kinds import KINDS

if TYPE_CHECKING:
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
        "--spec", type=Path, metavar="FILE", help="read answers from this TOML spec"
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
        help="allow --out to point outside the project on purpose",
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
    from planner.api import default_output, make_plan, prepare, render, uses_packs
    from planner.cli.refine import print_prompt, refine_or_keep
    from planner.config import load_config
    from planner.specfile import check_inside, write_atomic

    project: Path = args.project
    if not project.is_dir():
        raise UsageError(
            f"project folder {str(project)!r} does not exist",
            hint="pass --project DIR pointing at your FastAPI project",
        )
    spec = _obtain_spec(args)
    request = prepare(spec, project=project, context=args.context, read=args.in_project)
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
        sys.stdout.write(text)
        return code
    if args.out is None:
        target = default_output(project, spec.plan_name, fmt=args.format)
    else:
        target = Path(args.out)
        if not args.allow_outside:
            check_inside(project, target, what="--out")
    copy = _spec_copy(args, spec.plan_name)  # refuses before anything is written
    if packed is not None:
        packed.write(target, project=project, force=args.force)
    else:
        write_atomic(target, text, force=args.force)
    _print_summary(plan, project=project)
    if copy is not None:
        _keep_spec(args, copy, name=spec.plan_name)
    print(target.as_posix())
    return code


def _print_summary(plan: Plan, *, project: Path) -> None:
    """A few lines for a person at a terminal; scripts get only the paths."""
    from planner.cli.summary import summarize_plan

    if not sys.stderr.isatty():
        return
    sys.stdout.flush()
    sys.stderr.write(summarize_plan(plan, project=project))
    sys.stderr.flush()


def _keep_spec(args: argparse.Namespace, copy: Path, *, name: str) -> None:
    """Copy --spec FILE into specs_dir, where render and check find it."""
    from planner.api import default_output
    from planner.specfile import write_atomic

    # Byte for byte: the user's comments and layout are theirs.
    write_atomic(copy, args.spec.read_bytes().decode(), force=True)
    print(f"spec: {copy.as_posix()}")
    if args.format == "json":
        markdown = default_output(args.project, name, fmt="markdown").as_posix()
        print(
            f"note: `planner render` and `planner check` keep this spec's plan as"
            f" Markdown ({markdown}); run `planner render` to add it",
            file=sys.stderr,
        )


def _spec_copy(args: argparse.Namespace, name: str) -> Path | None:
    """Where to keep a copy of --spec FILE in specs_dir (None: no copy needed)."""
    from planner.sync.plans import spec_copy_target

    if args.spec is None:
        return None
    return spec_copy_target(args.project, args.spec, name, force=args.force)


def _obtain_spec(args: argparse.Namespace) -> AnySpec:
    from planner.specfile import load_spec

    if args.spec is not None:
        spec = load_spec(args.spec)
        if spec.kind != args.kind:
            raise UsageError(
                f"{args.spec} is a {spec.kind!r} spec, not {args.kind!r}",
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
