"""The wheel carries its blueprints and question sets as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.paths import ROOT


def _build_wheel(tmp_path: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--outdir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("fastapi_planner-*.whl")
    return wheel


@pytest.mark.slow
def test_wheel_bundles_blueprints_and_questions(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = sorted(n for n in names if n.startswith("planner/_bundled/"))
    assert "planner/_bundled/blueprints/crud-resource/blueprint.toml" in bundled
    assert "planner/_bundled/blueprints/templates/plan.md.j2" in bundled
    assert "planner/_bundled/blueprints/knowledge.toml" in bundled
    sources = {
        p.relative_to(ROOT).as_posix()
        for folder in ("blueprints", "questions")
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
    }
    assert {f"planner/_bundled/{s}" for s in sources} <= names


def _plan_from(path_entry: Path, cwd: Path) -> str:
    """Run `planner new` with only `path_entry` providing the planner package."""
    code = (
        "import sys, planner, planner.cli.main; "
        f"assert planner.__file__.startswith({str(path_entry)!r}), planner.__file__; "
        "sys.exit(planner.cli.main.main(sys.argv[1:]))"
    )
    spec = ROOT / "examples" / "crud-items.toml"
    args = ["new", "crud-resource", "--spec", str(spec), "--no-input", "--out", "-"]
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={"PYTHONPATH": str(path_entry), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.slow
def test_the_installed_wheel_plans_from_a_folder_and_from_a_zip(
    tmp_path: Path,
) -> None:
    # Bundled data is found both ways: read from the folder directly, and
    # through importlib.resources when the package is imported from a zip.
    wheel = _build_wheel(tmp_path / "dist")
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    project = tmp_path / "project"
    project.mkdir()
    from_folder = _plan_from(unpacked, project)
    assert from_folder == _plan_from(wheel, project)
    assert from_folder.startswith("<!-- planner ")
    assert "## API contract" in from_folder
