"""`planner check` goes stale for real drift only (issue: plans a reviewer signs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.cli.main import main
from tests.paths import EXAMPLES, TESTS

SHOP = TESTS / "fixtures" / "model" / "shop"


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> int:
    capsys.readouterr()
    code = main(["check", "--project", str(project)])
    capsys.readouterr()
    return code


@pytest.fixture
def planned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The shop fixture with a CRUD plan written and checked."""
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project)
    spec = str(EXAMPLES / "crud-items.toml")
    argv = ["new", "crud-resource", "--spec", spec, "--no-input"]
    assert main([*argv, "--project", str(project)]) == 0
    assert check(project, capsys) == 0
    return project


def test_an_unrelated_test_file_is_no_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (planned / "tests" / "test_unrelated.py").write_text("def test_x(): ...\n")
    assert check(planned, capsys) == 0


def test_another_plans_session_context_is_no_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = planned / ".claude" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / "session_context_other.md").write_text("notes\n", encoding="utf-8")
    assert check(planned, capsys) == 0


def test_a_changed_spec_is_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = planned / ".planner" / "specs" / "items-crud.toml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("max_length = 200", "max_length = 80"), "utf-8")
    assert check(planned, capsys) == 1


def test_a_renamed_session_dependency_is_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in sorted((planned / "shop").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "get_session" in text:
            path.write_text(text.replace("get_session", "get_db"), encoding="utf-8")
    assert check(planned, capsys) == 1
