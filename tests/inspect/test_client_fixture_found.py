"""The client fixture is found where pytest finds it, and the API's is picked."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.project import inspect_project
from tests.trees import write_tree

MAIN = (
    "from fastapi import APIRouter, FastAPI\n\n"
    "router = APIRouter(prefix='/tags')\n\n\n"
    "@router.get('/')\ndef list_tags() -> list[str]:\n    return []\n\n\n"
    "app = FastAPI()\napp.include_router(router)\n"
)
FIXTURE = (
    "import httpx\nimport pytest\n\n\n"
    "@pytest.fixture\nasync def {name}(app):\n"
    "    async with httpx.AsyncClient(app=app) as c:\n        yield c\n"
)


def _fixture(root: Path, files: dict[str, str]) -> str | None:
    write_tree(root, {"app/__init__.py": "", "app/main.py": MAIN, **files})
    return inspect_project(root).tests.client_fixture


def test_a_fixture_star_imported_by_the_conftest_is_found(tmp_path: Path) -> None:
    files = {
        "tests/__init__.py": "",
        "tests/conftest.py": "from .fixtures.api import *  # noqa\n",
        "tests/fixtures/__init__.py": "",
        "tests/fixtures/api.py": FIXTURE.format(name="client"),
        "tests/test_tags.py": "def test_tags(client):\n    pass\n",
    }
    assert _fixture(tmp_path, files) == "client"


def test_a_fixture_of_a_pytest_plugin_is_found(tmp_path: Path) -> None:
    files = {
        "tests/conftest.py": 'pytest_plugins = ["testing.fixtures"]\n',
        "src/testing/__init__.py": "",
        "src/testing/fixtures.py": FIXTURE.format(name="api_client"),
        "tests/test_tags.py": "def test_tags(api_client):\n    pass\n",
    }
    assert _fixture(tmp_path, files) == "api_client"


def test_a_fixture_a_test_module_defines_for_its_tests_is_found(
    tmp_path: Path,
) -> None:
    server = (
        "import pytest\nfrom fastapi.testclient import TestClient\n\n"
        "from app.main import app\n\n\n"
        "@pytest.fixture\ndef test_client():\n    return TestClient(app)\n\n\n"
        + "".join(f"def test_{n}(test_client):\n    pass\n\n\n" for n in "abc")
    )
    cookie = (
        "import pytest\n\n\n@pytest.fixture\ndef client(test_app):\n"
        "    return test_app\n\n\ndef test_cookie(client):\n    pass\n"
    )
    files = {
        "tests/conftest.py": "import pytest\n",
        "tests/test_server.py": server,
        "tests/auth/test_cookie.py": cookie,
    }
    # The fixture most tests take, not the shortest name.
    assert _fixture(tmp_path, files) == "test_client"


def test_the_fixture_named_for_the_api_app_wins(tmp_path: Path) -> None:
    admin = (
        "from fastapi import APIRouter, FastAPI\n\n"
        "router = APIRouter(prefix='/tags')\n\n\n"
        "@router.get('/')\ndef list_tags() -> list[str]:\n    return []\n\n\n"
        "app = FastAPI()\napp.include_router(router)\n"
    )
    conftest = FIXTURE.format(name="test_client_admin") + FIXTURE.format(
        name="test_client_auth"
    ).replace("import httpx\nimport pytest\n", "")
    uses = "".join(f"def test_{n}(test_client_auth):\n    pass\n\n\n" for n in "abc")
    files = {
        "app/main.py": "",
        "app/apps/__init__.py": "",
        "app/apps/admin/__init__.py": "",
        "app/apps/admin/app.py": admin,
        "tests/conftest.py": conftest,
        "tests/test_auth.py": uses,
        "tests/test_admin_tags.py": "def test_x(test_client_admin):\n    pass\n",
    }
    # The auth app's client is used more, but the API's routers are admin's.
    assert _fixture(tmp_path, files) == "test_client_admin"
