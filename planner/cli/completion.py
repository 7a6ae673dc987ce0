"""Shell completion scripts generated from the argument parser."""

from __future__ import annotations

import argparse
import sys
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


def _words(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Return each command's completable words (options and choices)."""
    found: dict[str, list[str]] = {"": []}
    for action in parser._actions:  # argparse exposes no public walk of its actions
        found[""].extend(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in sorted(action.choices.items()):
                found[""].append(name)
                words: list[str] = []
                for sub_action in sub._actions:
                    words.extend(sub_action.option_strings)
                    if sub_action.choices and not sub_action.option_strings:
                        words.extend(str(c) for c in sub_action.choices)
                found[name] = sorted(set(words))
    found[""] = sorted(set(found[""]))
    return found


def completion_script(shell: str, parser: argparse.ArgumentParser) -> str:
    """Return a completion script for bash, zsh or fish."""
    words = _words(parser)
    commands = [w for w in words[""] if not w.startswith("-")]
    if shell == "fish":
        top = " ".join(commands)
        lines = [f"complete -c planner -f -n '__fish_use_subcommand' -a '{top}'"]
        for command in commands:
            lines.append(
                f"complete -c planner -f -n '__fish_seen_subcommand_from {command}' "
                f"-a '{' '.join(words[command])}'"
            )
        return "\n".join(lines) + "\n"
    cases = "\n".join(
        f'        {command}) opts="{" ".join(words[command])}" ;;'
        for command in commands
    )
    body = f"""_planner_complete() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" opts="{" ".join(words[""])}"
    case "${{COMP_WORDS[1]}}" in
{cases}
    esac
    COMPREPLY=( $(compgen -W "$opts" -f -- "$cur") )
}}
"""
    if shell == "zsh":
        return (
            "autoload -U bashcompinit && bashcompinit\n"
            + body
            + "complete -F _planner_complete planner\n"
        )
    return body + "complete -F _planner_complete planner\n"
