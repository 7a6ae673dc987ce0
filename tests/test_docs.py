"""The docs promise what the code does: error table, exit codes, examples."""

from __future__ import annotations

import planner.errors as errors
from tests.paths import ROOT


def test_every_error_class_is_in_the_table() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for name in errors.__all__:
        if name == "ExitCode":
            continue
        cls = getattr(errors, name)
        assert f"| `{name}` | {int(cls.exit_code)} |" in text, name
    for code in errors.ExitCode:
        assert f"| {int(code)} | `{code.name}` |" in text


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```bash", 1)[1].split("```", 1)[0]
    commands = [
        line for line in block.splitlines() if line and not line.startswith("#")
    ]
    assert len(commands) == 2
    assert "pip install" in commands[0] and "planner new" in commands[0]
    assert "pytest" in commands[1]
