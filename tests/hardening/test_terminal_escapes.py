"""Terminal controls from specs, context and models are shown, never acted on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.render.escape import cell, code, inline, visible
from tests.hardening.helpers import ITEMS_SPEC, cli, make_project
from tests.hardening.model_server import answer_body, model_server, raw

CONTROLS = "\x1b[31m\x07\x00\u202e\x9b"


@pytest.mark.parametrize("helper", [visible, inline, code, cell])
def test_markdown_helpers_show_controls_as_code_points(helper: object) -> None:
    shown = helper(f"a{CONTROLS}b")  # type: ignore[operator]
    assert not any(c in shown for c in "\x1b\x07\x00\u202e\x9b")
    assert "U+001B" in shown and "U+202E" in shown


def test_plans_carry_no_terminal_controls_from_spec_or_context(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    text = json.dumps(f"Items{CONTROLS} end")
    spec = ITEMS_SPEC.replace(
        "owned_by_user = true", f"owned_by_user = true\ndescription = {text}"
    )
    (project / "items.toml").write_text(spec, encoding="utf-8")
    context = project / ".claude" / "tasks" / "session_context_items-crud.md"
    context.parent.mkdir(parents=True)
    context.write_text(f"note{CONTROLS}\n", encoding="utf-8")
    for fmt in ("markdown", "json"):
        args = ["--no-input", "--out", "-", "--format", fmt]
        ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
                  "items.toml", *args)  # fmt: skip
        assert ran.code == 0, ran.err
        assert not any(c in ran.out for c in "\x1b\x07\x00\u202e\x9b"), fmt
        assert "U+001B" in ran.out or "\\u001b" in ran.out


def test_a_models_answer_carries_no_terminal_controls(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with model_server(raw(answer_body(f"Add an index{CONTROLS}."))) as base_url:
        project = make_project(
            tmp_path / "p",
            pyproject=f'[tool.planner.llm]\nbase_url = "{base_url}"\nmodel = "m"\n',
        )
        (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
        ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
                  "items.toml", "--no-input", "--refine", "--strict")  # fmt: skip
    assert ran.code == 0, ran.err
    plan = (project / ".claude" / "docs" / "items-crud.md").read_text()
    assert "Add an index" in plan
    assert not any(c in plan for c in "\x1b\x07\x00\u202e\x9b")
