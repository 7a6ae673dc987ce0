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


def test_a_module_own_client_is_built_as_that_module_does(tmp_path: Path) -> None:
    own = (
        "import pytest\nfrom fastapi.testclient import TestClient\n\n"
        "from app.main import app\n\n\n"
        "@pytest.fixture\ndef client():\n    return TestClient(app)\n\n\n"
        "def test_tags(client) -> None:\n    assert client\n"
    )
    write_tree(tmp_path, {**READ_IN, "tests/test_tags.py": own})
    steps = _test_steps(tmp_path)
    # No other module can take the fixture: the new one builds its own.
    assert "Build the client as `tests/test_tags.py` does" in steps
    assert "Use the `client` fixture" not in steps


AUTH = 'kind = "auth"\nscheme = "password-jwt"\nregistration = true\n'
BASE_URL_CONFTEST = (
    "import pytest\nfrom httpx import ASGITransport, AsyncClient\n\n"
    "from app.main import app\n\n\n"
    "@pytest.fixture\nasync def client():\n"
    "    async with AsyncClient(\n"
    "        transport=ASGITransport(app=app),\n"
    '        base_url="http://testserver/tags",\n'
    '        headers={"Content-Type": "application/json"},\n'
    "    ) as c:\n        yield c\n"
)


def _auth_steps(root: Path, base_url: str) -> str:
    conftest = BASE_URL_CONFTEST.replace("/tags", base_url)
    write_tree(
        root, {**READ_IN, "tests/test_tags.py": TEST, "tests/conftest.py": conftest}
    )
    spec = parse_spec(AUTH).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return " ".join(g for f in plan.files if "test" in f.path for g in f.guidance)


def test_paths_are_relative_to_the_fixture_base_url_and_forms_set_their_type(
    tmp_path: Path,
) -> None:
    steps = _auth_steps(tmp_path, "/users")
    # httpx would send `/users/token` to `/users/users/token`.
    assert "relative to it (`/token`, not `/users/token`)" in steps
    # The form-encoded sign-in overrides the fixture's JSON content type.
    assert 'headers={"Content-Type": "application/x-www-form-urlencoded"}' in steps


def test_a_path_outside_the_base_url_is_requested_by_its_absolute_url(
    tmp_path: Path,
) -> None:
    steps = _auth_steps(tmp_path, "/tags")
    assert "request `/users/` by its absolute URL" in steps


def test_a_paged_list_is_tested_with_the_nearest_module_own_client(
    tmp_path: Path,
) -> None:
    helper = (
        "from fastapi import FastAPI\nfrom fastapi.testclient import TestClient\n\n"
        "from app.routers.tags import router\n\n\n"
        "def _build_client():\n    app = FastAPI()\n"
        "    app.include_router(router)\n    return TestClient(app)\n\n\n"
        "def test_update_tag() -> None:\n    assert _build_client()\n"
    )
    other = "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n"
    write_tree(
        tmp_path,
        {
            **READ_IN,
            "tests/routers/test_update_tag.py": helper,
            "tests/other/test_health.py": other + "client = TestClient(app)\n",
        },
    )
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /tags/"\nstyle = "offset"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    tests = [f for f in plan.files if f.path.startswith("tests/routers/")]
    assert tests, [f.path for f in plan.files]
    assert (
        "Build the client as `tests/routers/test_update_tag.py` does, with a "
        "helper like its `_build_client()`" in " ".join(tests[0].guidance)
    )
