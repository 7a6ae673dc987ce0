"""Test steps name the project's client fixture, or say to add one."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.inspect.test_schema_suffixes import READ_IN, SPEC
from tests.trees import write_tree

TEST = "def test_tags() -> None:\n    assert True\n"


def _test_steps(root: Path) -> str:
    spec = parse_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return " ".join(g for f in plan.files if "test" in f.path for g in f.guidance)


def test_tests_without_a_client_fixture_are_told_to_add_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {**READ_IN, "tests/test_tags.py": TEST})
    steps = _test_steps(tmp_path)
    assert "Add a `client` fixture" in steps
    assert "Use the `client` fixture" not in steps


def test_the_project_client_fixture_is_used(tmp_path: Path) -> None:
    conftest = (
        "import pytest\nfrom fastapi.testclient import TestClient\n\n"
        "from app.main import app\n\n\n"
        "@pytest.fixture\ndef api_client() -> TestClient:\n"
        "    return TestClient(app)\n"
    )
    write_tree(
        tmp_path,
        {**READ_IN, "tests/test_tags.py": TEST, "tests/conftest.py": conftest},
    )
    assert "Use the `api_client` fixture" in _test_steps(tmp_path)
