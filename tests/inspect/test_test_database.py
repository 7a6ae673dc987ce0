"""The tests' database habit: a real database from shared fixtures, or overrides."""

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
# Fixtures in a package module, imported into the conftest by name.
TESTING = (
    "import pytest\nfrom sqlalchemy.ext.asyncio import create_async_engine\n\n"
    "from app.models import Base\n\n\n"
    "@pytest.fixture\nasync def test_db():\n"
    "    engine = create_async_engine('sqlite+aiosqlite://')\n"
    "    async with engine.begin() as conn:\n"
    "        await conn.run_sync(Base.metadata.create_all)\n"
    "    yield engine\n\n\n"
    "@pytest.fixture\nasync def session(test_db):\n    yield test_db\n\n\n"
    "@pytest.fixture\ndef settings_mock():\n    return {}\n"
)
CONFTEST = (
    "import httpx\nimport pytest\n\n"
    "from app.main import app\n"
    "from app.testing.conf import session, test_db  # noqa: F401\n\n\n"
    "@pytest.fixture\ndef client():\n"
    "    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app))\n"
)


def _tree(root: Path, **more: str) -> dict[str, str]:
    files = {
        "app/__init__.py": "",
        "app/main.py": MAIN,
        "app/testing/__init__.py": "",
        "app/testing/conf.py": TESTING,
        "tests/conftest.py": CONFTEST,
        "tests/test_tags.py": "async def test_x(client, session): ...\n",
        **more,
    }
    write_tree(root, files)
    return files


def test_fixtures_a_conftest_imports_by_name_give_a_real_database(
    tmp_path: Path,
) -> None:
    _tree(tmp_path)
    tests = inspect_project(tmp_path).tests
    # The fixture making the tables, then the one built on it; not the mock.
    assert tests.db_fixtures == ("test_db", "session")
    assert tests.overrides_dependencies is False


def test_a_client_fixture_that_resets_the_tables_is_the_database(
    tmp_path: Path,
) -> None:
    conftest = (
        "import pytest\nfrom httpx import AsyncClient\n\n"
        "from app.db import engine\nfrom app.main import app\n"
        "from app.models import Base\n\n\n"
        "async def start_db():\n    async with engine.begin() as conn:\n"
        "        await conn.run_sync(Base.metadata.create_all)\n\n\n"
        "@pytest.fixture\nasync def client():\n"
        "    async with AsyncClient(app=app) as c:\n"
        "        await start_db()\n        yield c\n"
    )
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/main.py": MAIN,
            "tests/conftest.py": conftest,
            "tests/test_tags.py": "async def test_x(client): ...\n",
        },
    )
    assert inspect_project(tmp_path).tests.db_fixtures == ("client",)


def test_tests_that_override_a_dependency_are_seen(tmp_path: Path) -> None:
    override = (
        "from app.main import app, get_session\n\n\n"
        "def test_y(client):\n"
        "    app.dependency_overrides[get_session] = lambda: None\n"
    )
    _tree(tmp_path, **{"tests/test_other.py": override})
    assert inspect_project(tmp_path).tests.overrides_dependencies is True
