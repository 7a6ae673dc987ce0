"""`planner refine` never drops hand edits to a refined plan without --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.helpers import ITEMS_SPEC, cli, make_project, one_error_line
from tests.hardening.model_server import answer_body, model_server, raw

PLAN = ".claude/docs/items-crud.md"


def test_an_edited_refined_plan_is_refused_without_force(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with model_server(raw(answer_body("Add an index on title."))) as base_url:
        project = make_project(
            tmp_path / "p",
            pyproject=f'[tool.planner.llm]\nbase_url = "{base_url}"\nmodel = "m"\n',
        )
        (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
        ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
                  "items.toml", "--no-input", "--refine", "--strict")  # fmt: skip
        assert ran.code == 0, ran.err
        plan = project / PLAN
        assert cli(capsys, monkeypatch, project, "refine", PLAN).code == 0  # unedited
        edited = plan.read_text().replace("Add an index", "My own note. Add an index")
        plan.write_text(edited)
        ran = cli(capsys, monkeypatch, project, "refine", PLAN)
        assert ran.code == 2
        assert "edited" in one_error_line(ran.err)
        assert plan.read_text() == edited
        ran = cli(capsys, monkeypatch, project, "refine", PLAN, "--force")
        assert ran.code == 0, ran.err
        assert "My own note" not in plan.read_text()
