"""The wheel carries its blueprints and question sets as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_bundles_blueprints_and_questions(tmp_path: Path) -> None:
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
    (wheel,) = tmp_path.glob("planner-*.whl")
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
