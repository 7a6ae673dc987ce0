"""A notes service before and after its plan was implemented, and the plan."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner import make_plan, prepare, render_json
from planner.specfile import load_spec
from tests.paths import TESTS

FIXTURES = TESTS / "fixtures" / "verify"


@dataclass(frozen=True)
class Implemented:
    """The project after the change, and the JSON plan made before it."""

    project: Path
    plan: Path

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace `old` (which must be there) by `new` in a project file."""
        file = self.project / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def implemented(tmp_path: Path) -> Implemented:
    """The plan of `notes.toml` for the project before, and the project after."""
    before = tmp_path / "before"
    shutil.copytree(FIXTURES / "notes_before", before)
    spec = load_spec(FIXTURES / "notes.toml")
    plan = make_plan(spec, request=prepare(spec, project=before))
    plan_file = tmp_path / "notes-crud.json"
    plan_file.write_text(render_json(plan), encoding="utf-8")
    after = tmp_path / "after"
    shutil.copytree(FIXTURES / "notes_before", after)
    shutil.copytree(FIXTURES / "notes_after", after, dirs_exist_ok=True)
    return Implemented(after, plan_file)
