"""`planner packs list|show`: describe the blueprint packs a project uses."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from planner.packs.apply import LoadedPack
    from planner.packs.manifest import PackQuestion

EXAMPLES = """\
examples:
  planner packs list                         packs in [tool.planner] packs
  planner packs list --spec .planner/specs/items-crud.toml
  planner packs show example                 a configured pack, by name
  planner packs show packs/example           any pack folder
  planner packs show https://github.com/acme/planner-pack.git@v2
"""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `packs` command and its `list` and `show` subcommands."""
    packs = commands.add_parser(
        "packs",
        help="describe the blueprint packs in use",
        description="Describe blueprint packs (copier templates planner renders "
        "beside a plan): their source, pinned ref, kinds, planner versions and "
        "questions. See docs/packs.md.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = packs.add_subparsers(
        dest="packs_command", metavar="ACTION", parser_class=type(packs)
    )
    listing = actions.add_parser("list", help="list the packs a project uses")
    listing.add_argument(
        "--spec", type=Path, metavar="FILE", help="also list this spec's packs"
    )
    show = actions.add_parser("show", help="describe one pack in detail")
    show.add_argument(
        "pack", metavar="NAME_OR_PATH", help="a configured pack's name, or a pack"
    )
    for parser in (listing, show):
        parser.add_argument(
            "--project",
            type=Path,
            default=None,
            metavar="DIR",
            help="the project whose [tool.planner] packs to read "
            "(default: the nearest project upward)",
        )
    packs.set_defaults(run=run, packs_parser=packs)


def run(args: argparse.Namespace) -> int:
    """List or show packs; print a short description of each."""
    from planner.packs.apply import inspect_packs, pack_refs

    if args.packs_command is None:
        args.packs_parser.print_help()
        return ExitCode.INVALID_INPUT
    project: Path = args.project
    if not project.is_dir():
        raise UsageError(
            f"project folder {str(project)!r} does not exist",
            hint="pass --project DIR pointing at your FastAPI project",
        )
    if args.packs_command == "show":
        print(describe(_find(args.pack, project), detailed=True), end="")
        return ExitCode.OK
    spec = None
    if args.spec is not None:
        from planner.specfile import load_spec

        spec = load_spec(args.spec)
    loaded = inspect_packs(pack_refs(project, spec=spec))
    if not loaded:
        print(
            'no packs in use; add packs = ["PATH_OR_URL[@REF]"] under '
            "[tool.planner] in pyproject.toml, or pass --pack to `planner new`"
        )
    for pack in loaded:
        print(describe(pack, detailed=False), end="")
    return ExitCode.OK


def _find(wanted: str, project: Path) -> LoadedPack:
    """A configured pack named `wanted`, else `wanted` read as PATH_OR_URL[@REF]."""
    from planner.packs.apply import inspect_packs, pack_refs
    from planner.packs.source import parse_pack_ref

    configured = pack_refs(project)
    for ref, origin in configured:
        if wanted in (ref.text, ref.source):
            return inspect_packs([(ref, origin)])[0]
    looks_like_name = "/" not in wanted and not Path(wanted).exists()
    if looks_like_name and configured:
        for pack in inspect_packs(configured):
            if pack.name == wanted:
                return pack
    if looks_like_name and "@" not in wanted and ":" not in wanted:
        raise UsageError(
            f"no pack named {wanted!r} in [tool.planner] packs, and no folder "
            "of that name",
            hint="`planner packs list` shows the configured packs; or give a "
            "pack's path or git URL",
        )
    return inspect_packs([(parse_pack_ref(wanted, base=Path()), "flag")])[0]


# Where a pack was named; a pack named on the command line needs no note.
_ORIGINS = {"config": "  (config)", "spec": "  (spec)"}


def describe(pack: LoadedPack, *, detailed: bool) -> str:
    """Describe a pack in a few indented lines."""
    meta, source = pack.manifest.meta, pack.source
    pinned = (
        f"ref {source.ref or 'HEAD'} = commit {source.commit}"
        if source.commit
        else "folder as it is on disk"
    )
    lines = [
        f"{pack.name}  {source.source}{_ORIGINS.get(pack.origin, '')}",
        f"  pinned: {pinned}; content sha256:{source.sha256[:16]}",
        f"  kinds: {', '.join(meta.kinds)}; planner {meta.planner}",
    ]
    if meta.description:
        lines.insert(1, f"  {meta.description}")
    if meta.markdown:
        lines.append(f"  replaces the plan's Markdown when it renders {meta.markdown}")
    risky = ", ".join(pack.manifest.unsafe)
    lines.append(f"  needs --trust: {risky}" if risky else "  needs --trust: no")
    questions = pack.manifest.questions
    if not detailed:
        names = ", ".join(q.name for q in questions) or "none"
        lines.append(f"  questions: {names}")
    else:
        lines.append("  questions:" if questions else "  questions: none")
        lines.extend(f"    {_question_line(q)}" for q in questions)
        lines.append(f"  answers go in the spec under [packs.{pack.name}.answers]")
    return "\n".join(lines) + "\n"


def _question_line(question: PackQuestion) -> str:
    parts = [question.name, f"({question.type or 'yaml'})"]
    if question.help:
        parts.append(f"{question.help};")
    if question.choices:
        parts.append(f"one of {', '.join(str(c) for c in question.choices)};")
    if question.has_default:
        parts.append(f"default {json.dumps(question.default)}")
    else:
        parts.append("required")
    if question.conditional:
        parts.append("(asked only `when` its condition holds)")
    return " ".join(parts).rstrip(";")
