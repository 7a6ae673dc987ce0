"""Writes: exclusive without --force, modes kept, both or neither, never outside."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from planner.errors import OutputExistsError
from planner.fileio import write_atomic
from tests.hardening.helpers import (
    ITEMS_SPEC,
    cli,
    make_project,
    one_error_line,
)

PLAN = Path(".claude/docs/items-crud.md")
KEPT = Path(".planner/specs/items-crud.toml")


def new_items(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    project: Path,
    *extra: str,
) -> tuple[int, str, str]:
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "items.toml", "--no-input", *extra)  # fmt: skip
    return ran.code, ran.out, ran.err


def test_of_ten_racing_writers_without_force_exactly_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    barrier = threading.Barrier(10)
    won: list[int] = []
    refused: list[int] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            write_atomic(target, f"writer {n}\n")
            won.append(n)
        except OutputExistsError:
            refused.append(n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(refused) == 9
    assert target.read_text() == f"writer {won[0]}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]  # no temp files


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.md", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o640


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old\n")
    target.chmod(0o604)
    write_atomic(target, "new\n", force=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert target.read_text() == "new\n"


def test_out_naming_a_folder_says_so(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    code, _, err = new_items(capsys, monkeypatch, project, "--out", ".")
    assert code == 3
    assert "is a folder" in one_error_line(err)


def test_plan_and_spec_copy_are_written_both_or_neither(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    (project / ".planner").mkdir()
    (project / ".planner" / "specs").write_text("a file where a folder goes")
    code, _, err = new_items(capsys, monkeypatch, project)
    assert code == 3
    one_error_line(err)
    assert not (project / PLAN).exists()
    assert not (project / ".claude").exists()


@pytest.mark.parametrize("link", [".claude", ".claude/docs", ".planner/specs"])
def test_symlinked_folders_leading_out_are_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    link: str,
) -> None:
    project = make_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(elsewhere, target_is_directory=True)
    code, _, err = new_items(capsys, monkeypatch, project)
    assert code == 2
    assert "outside the project" in one_error_line(err)
    assert list(elsewhere.rglob("*")) == []
    assert not (project / PLAN).exists()


def test_allow_outside_follows_a_symlinked_claude_on_purpose(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    elsewhere = tmp_path / "shared-docs"
    elsewhere.mkdir()
    (project / ".claude").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = new_items(capsys, monkeypatch, project, "--allow-outside")
    assert code == 0, err
    assert (elsewhere / "docs" / "items-crud.md").is_file()


def test_render_refuses_a_plans_folder_leading_out(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    assert new_items(capsys, monkeypatch, project)[0] == 0
    (project / PLAN).unlink()
    (project / ".claude" / "docs").rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".claude" / "docs").symlink_to(elsewhere, target_is_directory=True)
    ran = cli(capsys, monkeypatch, project, "render")
    assert ran.code == 2
    assert "outside the project" in one_error_line(ran.err)
    assert list(elsewhere.iterdir()) == []
