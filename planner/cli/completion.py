"""Shell completion scripts generated from the argument parser.

Each place completes its own words: commands after `planner`, a command's
options after `-`, kinds and other choices where a command takes them, spec
files (`*.toml`) where it takes specs, folders after `--project`, files after
options that take a file.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass, field
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `completion` command."""
    parser = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script for your shell.",
        epilog="examples:\n  planner completion bash >> ~/.bashrc\n"
        "  planner completion fish > ~/.config/fish/completions/planner.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("shell", choices=("bash", "zsh", "fish"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the completion script."""
    from planner.cli.main import build_parser

    sys.stdout.write(completion_script(args.shell, build_parser()))
    return 0


# What an argument's value is: words to offer, or a kind of path.
SPECS, FILES, DIRS, NOTHING = "@specs", "@files", "@dirs", "@nothing"


@dataclass
class Place:
    """One command (`new`, `packs show`): its options and what follows them."""

    options: list[str] = field(default_factory=list)
    values: dict[str, list[str] | str] = field(default_factory=dict)
    positional: list[str] | str = NOTHING


def _value_kind(action: argparse.Action) -> list[str] | str:
    if action.choices:
        return [str(choice) for choice in action.choices]
    metavar = str(action.metavar or "")
    if metavar == "DIR":
        return DIRS
    if metavar in {"SPEC", "FILE", "FILE|-"} and action.dest in {"spec", "specs"}:
        return SPECS
    return FILES if metavar else NOTHING


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public walk of its actions
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def places(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, Place]:
    """Return each command path's place ('' is `planner` itself)."""
    place = Place()
    found = {prefix: place}
    subs = _subparsers(parser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings:
            place.options.extend(action.option_strings)
            if action.nargs != 0:
                for option in action.option_strings:
                    place.values[option] = _value_kind(action)
        elif place.positional == NOTHING:
            place.positional = _value_kind(action)
    if subs:
        place.positional = sorted(subs)
        for name, sub in sorted(subs.items()):
            found.update(places(sub, f"{prefix} {name}".strip()))
    if prefix == "help":
        from planner.cli.main import COMMANDS

        place.positional = sorted([*COMMANDS, "spec"])
    return found


def _bash_words(value: list[str] | str) -> str:
    """A bash statement setting COMPREPLY for a value of this kind."""
    if value == DIRS:
        return 'COMPREPLY=( $(compgen -d -- "$cur") )'
    if value == SPECS:
        # The default specs_dir first: that is where `planner new` keeps specs.
        return (
            'COMPREPLY=( $(compgen -G ".planner/specs/${cur}*.toml") '
            '$(compgen -f -X "!*.toml" -- "$cur") $(compgen -d -S / -- "$cur") )'
        )
    if value == FILES:
        return 'COMPREPLY=( $(compgen -f -- "$cur") )'
    if value == NOTHING:
        return "COMPREPLY=()"
    return f'COMPREPLY=( $(compgen -W {shlex.quote(" ".join(value))} -- "$cur") )'


def _bash_place(path: str, place: Place) -> str:
    values = "\n".join(
        f"                {option}) {_bash_words(value)}; return ;;"
        for option, value in sorted(place.values.items())
    )
    options = shlex.quote(" ".join(sorted(place.options)))
    return f"""        {shlex.quote(path)})
            case "$prev" in
{values}
            esac
            if [[ "$cur" == -* ]]; then
                COMPREPLY=( $(compgen -W {options} -- "$cur") )
            else
                {_bash_words(place.positional)}
            fi ;;"""


def _bash(found: dict[str, Place]) -> str:
    deeper = sorted(path for path in found if " " in path)
    cases = "\n".join(_bash_place(path, place) for path, place in found.items())
    # The command path is the longest known path the words typed so far begin with.
    known = " ".join(shlex.quote(path) for path in deeper)
    return f"""_planner_complete() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" path="" word candidate i
    [ "$COMP_CWORD" -gt 0 ] && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        [[ "$word" == -* ]] && continue
        if [ -z "$path" ]; then
            path="$word"
        else
            for candidate in {known}; do
                [ "$candidate" = "$path $word" ] && path="$candidate"
            done
        fi
    done
    case "$path" in
{cases}
    esac
}}
"""


def _fish(found: dict[str, Place]) -> str:
    top = " ".join(found[""].positional)
    lines = [f"complete -c planner -f -n '__fish_use_subcommand' -a '{top}'"]
    for path, place in found.items():
        if not path:
            continue
        seen = f"__fish_seen_subcommand_from {path.split()[-1]}"
        if isinstance(place.positional, list):
            words = " ".join(place.positional)
            lines.append(f"complete -c planner -f -n '{seen}' -a '{words}'")
        elif place.positional in {SPECS, FILES}:
            lines.append(f"complete -c planner -F -n '{seen}'")
        for option in sorted(o for o in place.options if o.startswith("--")):
            value = place.values.get(option)
            flag = f"-l {option[2:]}"
            if isinstance(value, list):
                flag += f" -x -a '{' '.join(value)}'"
            elif value in {SPECS, FILES, DIRS}:
                flag += " -r -F"
            lines.append(f"complete -c planner -n '{seen}' {flag}")
    return "\n".join(lines) + "\n"


def completion_script(shell: str, parser: argparse.ArgumentParser) -> str:
    """Return a completion script for bash, zsh or fish."""
    found = places(parser)
    if shell == "fish":
        return _fish(found)
    body = _bash(found)
    if shell == "zsh":
        return (
            "autoload -U bashcompinit && bashcompinit\n"
            + body
            + "complete -o filenames -F _planner_complete planner\n"
        )
    return body + "complete -o filenames -F _planner_complete planner\n"
