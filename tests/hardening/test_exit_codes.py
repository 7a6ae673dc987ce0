"""Exit 1 means stale and nothing else: crashes are 2 (bad input) or 3 (failure)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.helpers import ITEMS_SPEC, cli, make_project
from tests.paths import ROOT


def test_a_plan_to_a_full_standard_output_is_a_failure(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "planner", "new", "crud-resource", "--spec",
             "items.toml", "--no-input", "--out", "-"],
            cwd=project, env=env, stdout=full, stderr=subprocess.PIPE,
            timeout=30, check=False,
        )  # fmt: skip
    assert done.returncode == 3
    assert b"Traceback" not in done.stderr
    assert b"standard output" in done.stderr


def test_a_plan_goes_to_an_ascii_standard_output_unharmed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    spec = ITEMS_SPEC.replace(
        "owned_by_user = true", 'owned_by_user = true\ndescription = "Café ✓"'
    )
    (project / "items.toml").write_text(spec, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "planner", "new", "crud-resource", "--spec",
         "items.toml", "--no-input", "--out", "-"],
        cwd=project, env=env, capture_output=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Café ✓" in done.stdout.decode("utf-8")


def test_an_unexpected_crash_is_a_failure_not_stale(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")

    def crash(args: object) -> int:
        raise RuntimeError("a bug")

    from planner.cli import render

    monkeypatch.setattr(render, "run", crash)
    try:
        ran = cli(capsys, monkeypatch, project, "render")
    except RuntimeError:
        pytest.fail("the crash escaped main()")
    assert ran.code == 3
    assert "a bug" in ran.err
