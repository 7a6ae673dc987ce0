"""Plans follow the tests' database habit: the project's fixtures, not overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.plan import Plan
from tests.inspect.test_schema_suffixes import READ_IN, SPEC
from tests.inspect.test_test_database import CONFTEST, TESTING
from tests.trees import write_tree

ENDPOINT = (
    'kind = "endpoint"\nmethod = "POST"\npath = "/tags/{tag_id}/archive"\n'
    'summary = "Archive a tag"\neffect = "action"\n'
)
REAL_DB = {
    **READ_IN,
    "app/testing/__init__.py": "",
    "app/testing/conf.py": TESTING,
    "tests/conftest.py": CONFTEST,
    "tests/test_tags.py": "async def test_x(client, session): ...\n",
}
OVERRIDE = (
    "from app.main import app\n\n\n"
    "def test_y(client):\n    app.dependency_overrides.clear()\n"
)


def _plan(root: Path, spec_text: str) -> tuple[str, Plan]:
    spec = parse_spec(spec_text).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    steps = " ".join(g for f in plan.files if "test" in f.path for g in f.guidance)
    return steps, plan


@pytest.mark.parametrize("spec_text", [SPEC, ENDPOINT], ids=["crud", "endpoint"])
def test_tests_on_a_real_database_keep_to_it(tmp_path: Path, spec_text: str) -> None:
    write_tree(tmp_path, REAL_DB)
    steps, plan = _plan(tmp_path, spec_text)
    assert "real database set up by `test_db`, `session`" in steps
    assert "override the session" not in steps
    # Nor does a note advise what the project's tests never do.
    assert all("dependency_overrides[" not in n.text for n in plan.notes)
    # One test that overrides a dependency is habit enough for the advice.
    write_tree(tmp_path, {"tests/test_other.py": OVERRIDE})
    steps, _ = _plan(tmp_path, spec_text)
    assert "real database" not in steps
    assert "`app.dependency_overrides`" in steps
