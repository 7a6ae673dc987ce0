"""Session context: found by convention or named, quoted in the plan, stably."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli.main import main
from tests.paths import ROOT

ITEMS = str(ROOT / "examples" / "crud-items.toml")
CONTEXT = "# Session\nUsers want a to-do list.\n\nKeep `done` filterable | later.\n"


def plan_text(capsys: pytest.CaptureFixture[str], project: Path, *extra: str) -> str:
    argv = ["new", "crud-resource", "--spec", ITEMS, "--no-input", "--out", "-"]
    assert main([*argv, "--project", str(project), *extra]) == 0
    return capsys.readouterr().out


def test_conventional_context_file_is_quoted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tasks = tmp_path / ".claude" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / "session_context_items-crud.md").write_text(CONTEXT, encoding="utf-8")
    text = plan_text(capsys, tmp_path)
    section = text.split("## Context", 1)[1].split("\n## ", 1)[0]
    assert "> # Session\n> Users want a to-do list.\n>\n> Keep `done`" in section
    assert (
        "Session context read from `.claude/tasks/session_context_items-crud.md`"
        in (text)
    )
    assert str(tmp_path) not in text


def test_explicit_context_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Ship by Friday.\n", encoding="utf-8")
    text = plan_text(capsys, tmp_path, "--context", str(notes))
    assert "> Ship by Friday." in text
    assert "`notes.md`" in text


def test_missing_context_is_said_not_invented(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = plan_text(capsys, tmp_path)
    assert "No session context was given" in text


def test_context_does_not_change_with_the_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    texts = []
    for name in ("a", "b"):
        project = tmp_path / name
        tasks = project / ".claude" / "tasks"
        tasks.mkdir(parents=True)
        (tasks / "session_context_items-crud.md").write_text(CONTEXT, encoding="utf-8")
        texts.append(plan_text(capsys, project))
    assert texts[0] == texts[1]


def _new(project: Path, *extra: str) -> int:
    argv = ["new", "crud-resource", "--spec", ITEMS, "--no-input"]
    return main([*argv, "--project", str(project), *extra])


def _header(project: Path) -> str:
    plan = project / ".claude" / "docs" / "items-crud.md"
    return plan.read_text(encoding="utf-8").split("\n", 1)[0]


def test_a_named_context_is_kept_for_render_and_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`new --context FILE` in the project: check agrees, render keeps it."""
    notes = tmp_path / "notes" / "ticket.md"
    notes.parent.mkdir()
    notes.write_text("Ship by Friday.\n", encoding="utf-8")
    assert _new(tmp_path, "--context", str(notes)) == 0
    assert _header(tmp_path).endswith(" | context notes/ticket.md -->")
    project = ["--project", str(tmp_path)]
    assert main(["check", *project]) == 0
    assert main(["render", "--force", *project]) == 0
    assert "> Ship by Friday." in (tmp_path / ".claude/docs/items-crud.md").read_text()
    assert main(["check", *project]) == 0
    notes.write_text("Ship by Monday.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["check", *project]) == 1
    assert "+> Ship by Monday." in capsys.readouterr().out


def test_the_default_or_an_outside_context_is_not_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    tasks = project / ".claude" / "tasks"
    tasks.mkdir(parents=True)
    default = tasks / "session_context_items-crud.md"
    default.write_text(CONTEXT, encoding="utf-8")
    outside = tmp_path / "elsewhere.md"
    outside.write_text(CONTEXT, encoding="utf-8")
    for context in (default, outside):
        text = plan_text(capsys, project, "--context", str(context))
        assert " | context " not in text.split("\n", 1)[0]
        assert (
            '"context": '
            not in plan_text(
                capsys, project, "--context", str(context), "--format", "json"
            ).split('"provenance"', 1)[1]
        )


def test_a_header_naming_a_context_outside_the_project_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A hand-edited header cannot make render quote a file outside."""
    project = tmp_path / "project"
    notes = project / "notes.md"
    notes.parent.mkdir()
    notes.write_text("Ship by Friday.\n", encoding="utf-8")
    (tmp_path / "secret.md").write_text("not for plans\n", encoding="utf-8")
    assert _new(project, "--context", str(notes)) == 0
    plan = project / ".claude" / "docs" / "items-crud.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("context notes.md", "context ../secret.md", 1))
    capsys.readouterr()
    assert main(["render", "--force", "--project", str(project)]) == 2
    assert "outside the project" in capsys.readouterr().err
    assert "not for plans" not in plan.read_text(encoding="utf-8")


def test_secrets_in_the_session_context_are_redacted(tmp_path: Path) -> None:
    """The context is quoted into a file that gets committed: no secret in it."""
    from planner import make_plan, prepare, read_spec
    from planner.render.markdown import render_markdown
    from tests.paths import EXAMPLES

    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    tasks = tmp_path / ".claude" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / f"session_context_{spec.plan_name}.md").write_text(
        "Use the staging DB: DATABASE_PASSWORD=hunter2-staging-9f8e\n"
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\n",
        encoding="utf-8",
    )
    text = render_markdown(make_plan(spec, request=prepare(spec, project=tmp_path)))
    assert "hunter2-staging-9f8e" not in text
    assert "eyJhbGciOiJIUzI1NiJ9" not in text
    assert "[REDACTED]" in text
    assert "secret-looking value(s) replaced by `[REDACTED]`" in text
