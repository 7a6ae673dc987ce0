"""Which plan `verify` reads: a name, a Markdown plan with its spec, a JSON plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.verify import load_plan
from planner.verify.run import REBUILT
from tests.verify.conftest import FIXTURES


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """The project after the change, with the spec and Markdown plan made before."""
    before = tmp_path / "before"
    shutil.copytree(FIXTURES / "notes_before", before)
    code = main(
        [
            "new",
            "crud-resource",
            "--spec",
            str(FIXTURES / "notes.toml"),
            "--no-input",
            "--project",
            str(before),
        ]
    )
    assert code == 0
    shutil.copytree(FIXTURES / "notes_after", before, dirs_exist_ok=True)
    return before


def test_a_plan_name_finds_the_markdown_plan_and_rebuilds_it_from_its_spec(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(["verify", "notes-crud", "--project", str(planned)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[0] == (
        "verify notes-crud (.claude/docs/notes-crud.md, rebuilt from "
        ".planner/specs/notes-crud.toml)"
    )
    assert f"note: {REBUILT}" in out


def test_a_markdown_plan_without_its_spec_is_bad_input(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (planned / ".planner/specs/notes-crud.toml").unlink()
    code = main(
        [
            "verify",
            str(planned / ".claude/docs/notes-crud.md"),
            "--project",
            str(planned),
        ]
    )
    assert code == 2
    assert "no spec for this plan" in capsys.readouterr().err


def test_a_json_plan_in_the_plans_folder_comes_before_the_markdown_one(
    planned: Path,
) -> None:
    json_plan = planned / ".claude/docs/notes-crud.json"
    assert (
        main(
            [
                "new",
                "crud-resource",
                "--spec",
                str(FIXTURES / "notes.toml"),
                "--no-input",
                "--project",
                str(planned),
                "--format",
                "json",
                "--out",
                str(json_plan),
            ]
        )
        == 0
    )
    found = load_plan(planned, "notes-crud")
    assert found.source == ".claude/docs/notes-crud.json"
    assert not found.rebuilt
