"""`planner refine PLAN.md`: add a model's marked, guarded refinements to a plan."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import ExitCode, OutputExistsError, RefineError, UsageError

if TYPE_CHECKING:
    from planner.plan import Plan
    from planner.spec import AnySpec

EXAMPLES = """\
examples:
  planner refine .claude/docs/items-crud.md          refine in place
  planner refine .claude/docs/items-crud.md --show-prompt     send nothing
  planner refine .claude/docs/items-crud.md --strict    exit 3 if it fails
  planner new crud-resource --spec items.toml --no-input --refine

Configure the model in pyproject.toml ([tool.planner.llm] base_url, model,
api_key_env); see docs/llm.md. Nothing is ever sent without refine or --refine.
"""
# Compiled on first use (re's cache): only `refine` needs it.
_PLAN_FILE = r"^Plan file: `(?:[^`]*/)?([^/`]+)\.md`"


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `refine` command."""
    refine = commands.add_parser(
        "refine",
        help="add an LLM's refinements to a plan (optional; needs [tool.planner.llm])",
        description="Send a plan, its spec and the session context to the "
        "OpenAI-compatible model configured in [tool.planner.llm], check its answer "
        "against the plan, and add it as a marked section. On any failure the "
        "deterministic plan stands and the reason is printed.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    refine.add_argument("plan", type=Path, metavar="PLAN.md", help="a Markdown plan")
    refine.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project the plan belongs to (default: the nearest folder upward "
        "with a pyproject.toml or .git)",
    )
    refine.add_argument(
        "--spec",
        type=Path,
        metavar="FILE",
        help="the plan's spec (default: <project>/<specs_dir>/<name>.toml)",
    )
    refine.add_argument(
        "--context",
        type=Path,
        metavar="FILE",
        help="session context the plan was made with (default: "
        "<project>/.claude/tasks/session_context_<name>.md if present)",
    )
    refine.add_argument(
        "--out",
        metavar="PATH|-",
        help="write the refined plan here instead of replacing PLAN.md",
    )
    refine.add_argument(
        "--force",
        action="store_true",
        help="let --out PATH overwrite a file, and refine a refined plan that was "
        "edited by hand since (the edits are lost)",
    )
    add_refine_options(refine)
    refine.set_defaults(run=run)


def add_refine_options(parser: argparse.ArgumentParser) -> None:
    """Add the options `new --refine` and `refine` share."""
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when refinement fails or is rejected (the deterministic plan "
        "is still what gets written)",
    )
    parser.add_argument(
        "--show-prompt",
        action="store_true",
        help="print the exact prompt that would be sent; send and write nothing",
    )
    parser.add_argument(
        "--stream",
        action="store_true",
        help="ask the server to stream its answer (shows progress; the timeout "
        "bounds the whole call either way)",
    )
    parser.add_argument(
        "--api-key-env",
        metavar="NAME",
        help="read the API key from this environment variable (default: "
        "api_key_env in ~/.config/planner/config.toml, else PLANNER_LLM_API_KEY); "
        "a project's pyproject.toml cannot choose it",
    )
    parser.add_argument(
        "--trust-host",
        action="append",
        default=[],
        metavar="HOST",
        help="let the API key go to this host (repeatable; adds to trusted_hosts "
        "in ~/.config/planner/config.toml; loopback hosts are always trusted)",
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="allow plain http:// to a host other than this machine",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="ask the model even if .planner/cache/ holds an answer (and replace it)",
    )


def run(args: argparse.Namespace) -> int:
    """Rebuild the plan from its spec, refine it, and write it back."""
    from planner.api import make_plan, prepare
    from planner.config import load_config
    from planner.refine.guard import deterministic_part
    from planner.render.markdown import render_markdown
    from planner.specfile import load_spec

    project: Path = args.project
    if not project.is_dir():
        raise UsageError(
            f"project folder {str(project)!r} does not exist",
            hint="pass --project DIR pointing at your FastAPI project",
        )
    existing = _read_plan(args.plan)
    name = _plan_name(existing, args.plan)
    spec_file = args.spec or project / load_config(project).specs_dir / f"{name}.toml"
    if not spec_file.is_file():
        raise UsageError(
            f"no spec for plan {name!r} at {spec_file.as_posix()}",
            hint="pass --spec FILE (the spec the plan was made from)",
        )
    spec = load_spec(spec_file)
    plan = make_plan(spec, request=prepare(spec, project=project, context=args.context))
    if deterministic_part(existing) != render_markdown(plan):
        raise RefineError(
            f"{args.plan} is not the plan its spec gives now (stale or edited)",
            hint=f"regenerate it: planner new {spec.kind} --spec {spec_file} "
            "--no-input --force; then refine it",
        )
    if args.show_prompt:
        return print_prompt(plan, spec=spec, project=project)
    if not args.force:
        _refuse_edited(existing, plan, spec=spec, project=project, path=args.plan)
    refined, code = refine_or_keep(plan, spec=spec, project=project, args=args)
    if refined is plan and args.out is None:
        return code  # PLAN.md already holds the deterministic plan: leave it be
    _write(render_markdown(refined), args)
    return code


def print_prompt(plan: Plan, /, *, spec: AnySpec, project: Path) -> int:
    """Print what refinement would send (redacted, exactly); send nothing."""
    from planner.config import load_config
    from planner.refine.apply import build_prompt, show_prompt

    settings = load_config(project).llm
    prompt = build_prompt(plan, spec=spec, settings=settings, project=project)
    sys.stdout.write(show_prompt(prompt, settings=settings))
    return ExitCode.OK


def refine_or_keep(
    plan: Plan, /, *, spec: AnySpec, project: Path, args: argparse.Namespace
) -> tuple[Plan, int]:
    """Return the refined plan, or the deterministic one and why on stderr.

    The exit code is OK, or FAILURE with --strict when refinement failed.
    """
    from planner.config import load_config
    from planner.refine.apply import build_prompt, run_refinement
    from planner.refine.progress import StreamProgress
    from planner.refine.trust import Trust

    settings = load_config(project).llm
    prompt = build_prompt(plan, spec=spec, settings=settings, project=project)
    progress = StreamProgress(sys.stderr)
    if prompt.redactions:
        progress.note(f"refine: {prompt.redactions} secret value(s) redacted")
    try:
        refined = run_refinement(
            plan,
            prompt=prompt,
            settings=settings,
            project=project,
            use_cache=not args.no_cache,
            stream=args.stream,
            progress=progress,
            trust=Trust.load(
                api_key_env=args.api_key_env,
                hosts=args.trust_host,
                allow_http=args.allow_http,
            ),
        )
    except RefineError as err:
        label = "error" if args.strict else "refinement skipped"
        print(f"{label}: {err}", file=sys.stderr)
        if err.hint:
            print(f"hint: {err.hint}", file=sys.stderr)
        print("the deterministic plan stands", file=sys.stderr)
        return plan, ExitCode.FAILURE if args.strict else ExitCode.OK
    return refined, ExitCode.OK


def _refuse_edited(
    existing: str, plan: Plan, *, spec: AnySpec, project: Path, path: Path
) -> None:
    """Refuse a refined plan that is no longer what its cached answer gives.

    Its refinements section was edited by hand (or its cache entry is gone):
    refining again would replace the section, and the edits with it.
    """
    from planner.refine.apply import reapply_cached
    from planner.render.markdown import render_markdown
    from planner.render.provenance import parse_header

    header = parse_header(existing)
    if header is None or not header.is_refined:
        return
    cached = reapply_cached(plan, spec=spec, project=project)
    if cached is not None and render_markdown(cached) == existing:
        return
    raise OutputExistsError(
        f"{path} was edited since it was refined (or its cached answer is gone); "
        "refining again would replace those edits",
        hint="keep your edits elsewhere, or pass --force to refine it anyway",
    )


def _read_plan(path: Path) -> str:
    if path.suffix != ".md":
        raise UsageError(
            f"{path} is not a Markdown plan",
            hint="refine the .md plan; JSON plans come from `planner new --format "
            "json --refine`",
        )
    from planner.fileio import read_text
    from planner.sync.targets import MAX_PLAN_BYTES

    try:
        return read_text(path, limit=MAX_PLAN_BYTES)
    except FileNotFoundError as err:
        raise UsageError(
            f"plan {path} not found", hint="check the path, or run planner new"
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise UsageError(f"cannot read plan {path}: {reason}") from err


def _plan_name(text: str, path: Path) -> str:
    found = re.search(_PLAN_FILE, text, flags=re.MULTILINE)
    return found.group(1) if found else path.stem


def _write(text: str, args: argparse.Namespace) -> None:
    from planner.specfile import check_inside, write_atomic

    if args.out == "-":
        sys.stdout.write(text)
        return
    target = args.plan if args.out is None else Path(args.out)
    if args.out is not None:
        check_inside(args.project, target, what="--out")
    write_atomic(target, text, force=args.out is None or args.force)
    print(target.as_posix())
