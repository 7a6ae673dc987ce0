"""A project's own fixtures and helpers for signed-in users are reused, not re-made."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.inspect.project import inspect_project
from tests.trees import write_tree

_CONFTEST = """\
import pytest


@pytest.fixture
def test_client(): ...


@pytest.fixture
def user_repository(): ...


@pytest.fixture(
    scope="module",
)
def normal_user_token_headers(test_client): ...


@pytest.fixture
async def admin_settings(): ...
"""

_TEST = (
    "from tests.utils.users import create_user\n\n\n"
    "def test_{n}():\n    create_user()\n"
)

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/tags")


@router.get("/")
def list_tags(): ...
"""


def _project(root: Path, tests: dict[str, str]) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/tags.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import tags\n\n"
                "app = FastAPI()\napp.include_router(tags.router)\n"
            ),
            "tests/__init__.py": "",
            **tests,
        },
    )


def test_user_fixtures_and_shared_helpers_are_found(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "tests/conftest.py": _CONFTEST,
            "tests/utils/users.py": "def create_user(): ...\n",
            "tests/test_a.py": _TEST.format(n="a"),
            "tests/test_b.py": _TEST.format(n="b"),
        },
    )
    # Not `test_client` (no one signed in), `user_repository` or `admin_settings`.
    assert inspect_project(tmp_path).tests.user_fixtures == (
        "normal_user_token_headers",
        "create_user",
    )


def test_a_helper_one_test_defines_for_itself_is_not_shared(tmp_path: Path) -> None:
    own = "def create_user(): ...\n\n\ndef test_a():\n    create_user()\n"
    _project(
        tmp_path,
        {
            "tests/test_a.py": own,
            "tests/test_b.py": own.replace("test_a", "test_b"),
        },
    )
    assert inspect_project(tmp_path).tests.user_fixtures == ()


_SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "note"\nowned_by_user = true\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)


def test_an_owned_resource_reuses_them_and_leaves_the_conftest(
    tmp_path: Path,
) -> None:
    _project(tmp_path, {"tests/conftest.py": _CONFTEST})
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    paths = {f.path for f in plan.files}
    assert "tests/conftest.py" not in paths
    tests = next(f for f in plan.files if f.purpose == "tests for notes")
    assert any(
        "`normal_user_token_headers`; the ownership tests need a second user" in g
        for g in tests.guidance
    )


def test_without_them_the_conftest_gets_two_users(tmp_path: Path) -> None:
    _project(tmp_path, {"tests/conftest.py": "import pytest\n"})
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    conftest = next(f for f in plan.files if f.path == "tests/conftest.py")
    assert conftest.action == "modify"
    assert "Fixtures for two users" in conftest.guidance[0]


def test_auth_tests_build_their_credentials_on_them(tmp_path: Path) -> None:
    _project(tmp_path, {"tests/conftest.py": _CONFTEST})
    spec = parse_spec('kind = "auth"\nscheme = "api-key"\n').spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert "tests/conftest.py" not in {f.path for f in plan.files}
    tests = next(f for f in plan.files if f.purpose == "auth tests")
    assert any(
        "an expired key, each with its header, in this module, built on the "
        "project's own `normal_user_token_headers`" in g
        for g in tests.guidance
    )
