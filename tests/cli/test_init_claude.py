"""`planner init claude`: agent files Claude Code can read, never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli.main import main
from planner.kinds import KINDS


def front_matter(text: str) -> dict[str, str]:
    """The `key: value` lines between the leading `---` lines (Claude Code's form)."""
    lines = text.splitlines()
    assert lines[0] == "---", "front matter must open the file"
    end = lines.index("---", 1)
    pairs = [line.split(": ", 1) for line in lines[1:end]]
    # One plain `key: value` per line; a second ": " would not be YAML.
    assert all(len(p) == 2 and ": " not in p[1] for p in pairs), pairs
    return {key: value for key, value in pairs}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n', encoding="utf-8"
    )
    return tmp_path


def test_init_claude_writes_an_agent_and_a_command_per_kind(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "claude", "--project", str(project)]) == 0
    agent = front_matter(
        (project / ".claude/agents/fastapi-planner.md").read_text(encoding="utf-8")
    )
    assert agent["name"] == "fastapi-planner"
    assert "never the code" in agent["description"]
    assert "Bash" in agent["tools"].split(", ")
    commands = sorted(p.name for p in (project / ".claude/commands").iterdir())
    assert commands == sorted(
        [f"plan-{kind}.md" for kind in KINDS]
        + ["planner-check.md", "planner-verify.md"]
    )
    for name in commands:
        text = (project / ".claude/commands" / name).read_text(encoding="utf-8")
        meta = front_matter(text)
        assert meta["description"]
        assert "$ARGUMENTS" in text
    verify = (project / ".claude/commands/planner-verify.md").read_text(
        encoding="utf-8"
    )
    assert "planner verify $ARGUMENTS" in verify
    assert capsys.readouterr().out.count("wrote ") == len(commands) + 1


def test_init_claude_never_overwrites_a_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = project / ".claude/agents/fastapi-planner.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own agent\n", encoding="utf-8")
    assert main(["init", "claude", "--project", str(project)]) == 0
    assert main(["init", "claude", "--project", str(project)]) == 0
    assert mine.read_text(encoding="utf-8") == "my own agent\n"
    out = capsys.readouterr().out
    assert "kept .claude/agents/fastapi-planner.md (exists)" in out
    assert out.count("wrote ") == len(KINDS) + 2


def test_init_needs_a_known_tool(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "cursor", "--project", str(project)]) == 2
    assert "invalid choice" in capsys.readouterr().err
