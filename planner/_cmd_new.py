"""What each CLI command does, over the library API; prints, never exits."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner._api import default_output, make_plan, prepare, render
from planner._store import check_inside, read_spec, write_atomic
from planner.blueprint import AnySpec
from planner.errors import ExitCode, UsageError


def run_new(args: argparse.Namespace) -> int:
    """`planner new KIND`: get a spec, build the plan, write it."""
    project: Path = args.project
    if not project.is_dir():
        raise UsageError(
            f"project folder {str(project)!r} does not exist",
            hint="pass --project DIR pointing at your FastAPI project",
        )
    spec = _obtain_spec(args)
    request = prepare(spec, project=project, context=args.context)
    text = render(make_plan(spec, request=request), fmt=args.format)
    if args.out == "-":
        sys.stdout.write(text)
        return ExitCode.OK
    if args.out is None:
        target = default_output(project, spec.plan_name, fmt=args.format)
    else:
        target = Path(args.out)
        if not args.allow_outside:
            check_inside(project, target, what="--out")
    write_atomic(target, text, force=args.force)
    print(target.as_posix())
    return ExitCode.OK


def _obtain_spec(args: argparse.Namespace) -> AnySpec:
    if args.spec is not None:
        spec = read_spec(args.spec).spec
        if spec.kind != args.kind:
            raise UsageError(
                f"{args.spec} is a {spec.kind!r} spec, not {args.kind!r}",
                hint=f"run `planner new {spec.kind} --spec {args.spec}`",
            )
        return spec
    if args.no_input:
        raise UsageError(
            "--no-input needs --spec FILE: there is nothing to plan from",
            hint=f"write a spec (see docs/spec.md) and run `planner new {args.kind} "
            "--spec FILE --no-input`",
        )
    # Imported here: only the interactive path may load questionary.
    from planner._questionnaire import run_questionnaire

    answered: AnySpec = run_questionnaire(
        args.kind, project=args.project, force=args.force
    )
    return answered
