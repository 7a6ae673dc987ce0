"""Golden plans: whole Markdown and JSON outputs, compared byte for byte.

Each case is a folder `tests/golden/<case>/` with `spec.toml` and, optionally,
`project.txt` naming a fixture project under `tests/fixtures/projects/`.
Regenerate with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec, render_json, render_markdown
from tests.paths import GOLDEN, PROJECTS

CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.toml").is_file())


def _project(case: Path, tmp_path: Path) -> Path:
    marker = case / "project.txt"
    if marker.is_file():
        return PROJECTS / marker.read_text(encoding="utf-8").strip()
    return tmp_path


@pytest.mark.parametrize("case", CASES)
def test_golden_plan(case: str, tmp_path: Path, update_golden: bool) -> None:
    folder = GOLDEN / case
    spec = read_spec(folder / "spec.toml").spec
    plan = make_plan(spec, request=prepare(spec, project=_project(folder, tmp_path)))
    outputs = {"plan.md": render_markdown(plan), "plan.json": render_json(plan)}
    for name, text in outputs.items():
        target = folder / name
        if update_golden:
            target.write_text(text, encoding="utf-8", newline="\n")
            continue
        assert target.is_file(), f"missing {target}; run pytest --update-golden"
        assert text == target.read_text(encoding="utf-8"), (
            f"{case}/{name} differs; if intended, run "
            "`pytest tests/test_golden.py --update-golden` and review the diff"
        )


def test_there_are_golden_cases_for_every_kind() -> None:
    kinds = {read_spec(GOLDEN / c / "spec.toml").spec.kind for c in CASES}
    assert "crud-resource" in kinds


@pytest.mark.parametrize("case", CASES)
def test_every_planned_file_says_what_changes_in_it(case: str, tmp_path: Path) -> None:
    # A file listed with no guidance leaves the implementer to guess why it
    # is in the plan at all.
    folder = GOLDEN / case
    spec = read_spec(folder / "spec.toml").spec
    plan = make_plan(spec, request=prepare(spec, project=_project(folder, tmp_path)))
    assert [f.path for f in plan.files if not f.guidance] == []


@pytest.mark.parametrize("case", CASES)
def test_the_order_of_work_names_only_planned_files(case: str, tmp_path: Path) -> None:
    # A step that names a file the plan does not list sends the implementer
    # to a file nobody said to touch (or one that does not exist).
    import re

    folder = GOLDEN / case
    spec = read_spec(folder / "spec.toml").spec
    plan = make_plan(spec, request=prepare(spec, project=_project(folder, tmp_path)))
    files = {f.path for f in plan.files}
    named = {
        path
        for step in plan.steps
        for path in re.findall(r"`([\w./-]+\.py)`", f"{step.title} {step.detail}")
    }
    assert sorted(named - files) == []
