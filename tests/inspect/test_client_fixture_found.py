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


def test_a_fixture_a_test_module_defines_for_itself_is_not_shared(
    tmp_path: Path,
) -> None:
    server = (
        "import pytest\nfrom fastapi.testclient import TestClient\n\n"
        "from app.main import app\n\n\n"
        "@pytest.fixture\ndef client():\n    return TestClient(app)\n\n\n"
        + "".join(f"def test_{n}(client):\n    pass\n\n\n" for n in "abc")
    )
    # An SDK client of a running server, not the API in process.
    sdk = (
        "import pytest\n\nfrom app.sdk import create_client\n\n\n"
        "@pytest.fixture\ndef client():\n    return create_client('http://x')\n"
    )
    files = {
        "tests/conftest.py": "import pytest\n",
        "tests/test_server.py": server,
        "tests/test_sdk.py": sdk,
    }
    write_tree(tmp_path, {"app/__init__.py": "", "app/main.py": MAIN, **files})
    tests = inspect_project(tmp_path).tests
    # No other test module can take it: new modules build their own.
    assert tests.client_fixture is None
    assert tests.own_clients == (("tests/test_server.py", "client", "fixture"),)


def test_helpers_and_module_clients_that_call_the_app_are_read(
    tmp_path: Path,
) -> None:
    helper = (
        "from fastapi import FastAPI\nfrom fastapi.testclient import TestClient\n\n"
        "from app.main import router\n\n\n"
        "def _build_client(monkeypatch):\n    app = FastAPI()\n"
        "    app.include_router(router)\n    return TestClient(app)\n"
    )
    module = (
        "import httpx\n\nfrom app.main import app\n\n"
        "client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))\n"
    )
    # A client over a mock transport calls another service.
    outgoing = (
        "import httpx\n\n\ndef _fake():\n"
        "    return httpx.AsyncClient(transport=httpx.MockTransport(print))\n"
    )
    files = {
        "tests/routes/test_update_tag.py": helper,
        "tests/test_async.py": module,
        "tests/test_sheets.py": outgoing,
    }
    write_tree(tmp_path, {"app/__init__.py": "", "app/main.py": MAIN, **files})
    assert inspect_project(tmp_path).tests.own_clients == (
        ("tests/routes/test_update_tag.py", "_build_client", "helper"),
        ("tests/test_async.py", "client", "module"),
    )


def test_the_shared_fixture_base_url_and_headers_are_read(tmp_path: Path) -> None:
    conftest = (
        "import pytest\nfrom httpx import AsyncClient\n\nfrom app.main import app\n\n\n"
        "@pytest.fixture\nasync def client():\n"
        "    async with AsyncClient(\n        app=app,\n"
        '        base_url="http://testserver/v1",\n'
        '        headers={"Content-Type": "application/json", "X-Token": "s3cret"},\n'
        "    ) as c:\n        yield c\n"
    )
    files = {"tests/conftest.py": conftest, "tests/test_tags.py": "def test_x(): ...\n"}
    write_tree(tmp_path, {"app/__init__.py": "", "app/main.py": MAIN, **files})
    tests = inspect_project(tmp_path).tests
    assert (tests.client_fixture, tests.client_base_path) == ("client", "/v1")
    # A credential is named, never copied into a plan.
    assert tests.client_headers == ("Content-Type: application/json", "X-Token")


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


def test_a_fixture_is_known_by_the_name_its_decorator_gives(tmp_path: Path) -> None:
    """`@pytest.fixture(name="client")` on `fixture_client`: tests ask for `client`."""
    conftest = (
        "import httpx\nimport pytest\n\n\n"
        '@pytest.fixture(name="client")\nasync def fixture_client(app):\n'
        "    async with httpx.AsyncClient(app=app) as c:\n        yield c\n\n\n"
        '@pytest.fixture(name="default_user")\nasync def fixture_default_user():\n'
        "    return object()\n"
    )
    files = {
        "tests/__init__.py": "",
        "tests/conftest.py": conftest,
        "tests/test_tags.py": "def test_tags(client, default_user):\n    pass\n",
    }
    write_tree(tmp_path, {"app/__init__.py": "", "app/main.py": MAIN, **files})
    tests = inspect_project(tmp_path).tests
    assert tests.client_fixture == "client"
    assert tests.user_fixtures == ("default_user",)
