"""Hostile pyproject.toml files: refused in one line, never hung on or crashed by."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hardening.helpers import ITEMS_SPEC, cli, make_project, one_error_line


@pytest.mark.parametrize(
    ("make", "says"),
    [
        ("fifo", "not a regular file"),
        ("/dev/zero", "not a regular file"),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("tool = 5\n", "tool: must be a table"),
        ('[tool.planner]\nplans_dir = ".git/hooks"\n', "version control"),
        ('[tool.planner]\nplans_dir = ".GIT/hooks"\n', "version control"),
        ('[tool.planner]\nspecs_dir = "."\n', "folder of its own"),
    ],
)
def test_hostile_pyproject_is_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    make: str,
    says: str,
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / ".git").mkdir()
    pyproject = project / "pyproject.toml"
    if make == "fifo":
        os.mkfifo(pyproject)
    elif make.startswith("/dev/"):
        pyproject.symlink_to(make)
    else:
        pyproject.write_text(make, encoding="utf-8")
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    for args in (["inspect"], ["new", "crud-resource", "--spec", "items.toml",
                               "--no-input"], ["check"], ["render"]):  # fmt: skip
        ran = cli(capsys, monkeypatch, project, *args)
        assert ran.code == 2, (args, ran.err)
        assert says in one_error_line(ran.err), args
    assert not (project / ".claude").exists()


def test_a_plan_that_is_a_fifo_does_not_hang_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    assert cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
               "items.toml", "--no-input").code == 0  # fmt: skip
    plan = project / ".claude" / "docs" / "items-crud.md"
    plan.unlink()
    os.mkfifo(plan)
    ran = cli(capsys, monkeypatch, project, "check")
    assert ran.code in (2, 3)
    assert "not a regular file" in one_error_line(ran.err)


def test_a_missing_project_folder_is_bad_input_for_every_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for command in ("inspect", "render", "check"):
        ran = cli(capsys, monkeypatch, tmp_path, command, "--project", "nope")
        assert ran.code == 2, command


def test_a_context_symlink_out_of_the_project_is_never_quoted(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    secret = tmp_path / "credentials"
    secret.write_text("aws_secret_access_key = do-not-quote-me\n")
    context = project / ".claude" / "tasks" / "session_context_items-crud.md"
    context.parent.mkdir(parents=True)
    context.symlink_to(secret)
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "items.toml", "--no-input", "--out", "-")  # fmt: skip
    assert ran.code == 2
    assert "outside the project" in one_error_line(ran.err)
    assert "do-not-quote-me" not in ran.out + ran.err


def test_a_huge_context_name_in_a_plan_header_is_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    assert cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
               "items.toml", "--no-input").code == 0  # fmt: skip
    plan = project / ".claude" / "docs" / "items-crud.md"
    first, _, rest = plan.read_text().partition("\n")
    plan.write_text(
        first.replace(" -->", f" | context {'a' * 100_000} -->") + "\n" + rest
    )
    ran = cli(capsys, monkeypatch, project, "check")
    assert ran.code == 2
    assert "outside the project" in one_error_line(ran.err)
