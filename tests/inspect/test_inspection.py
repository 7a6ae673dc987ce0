"""Inspection: facts and Layout for every fixture project, speed-free invariants."""

from __future__ import annotations

import ast
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import InspectionError
from planner.facts import ProjectFacts
from planner.inspect.detect import NO_APP_FINDING, layout_from_facts
from planner.inspect.layout import DEFAULT_LAYOUT, Layout
from planner.inspect.naming import Patterns, singularize
from planner.inspect.project import inspect_project
from planner.inspect.python import scan_module
from planner.render.data import to_data
from planner.spec import pluralize
from tests.paths import PROJECTS
from tests.trees import write_tree


def as_json(value: object) -> str:
    return json.dumps(to_data(value), indent=2)


FIXTURES = sorted(
    p.name for p in PROJECTS.iterdir() if p.is_dir() and not p.name.startswith(".")
)

# What a plan needs from each fixture: exactly these paths and names.
EXPECTED_LAYOUTS: dict[str, dict[str, object]] = {
    "fullstack": {
        "style": "layered (routes as package; single models.py module; "
        "single crud.py module)",
        "package": "backend/app",
        "main_module": "backend/app/main.py",
        "router_registry": "backend/app/api/main.py",
        "api_prefix": "/api/v1",
        "route_module": "backend/app/api/routes/{plural}.py",
        "model_module": "backend/app/models.py",
        "models_registry": None,
        "schema_module": "backend/app/models.py",
        "service_module": "backend/app/crud.py",
        "deps_module": "backend/app/api/deps.py",
        "settings_module": "backend/app/core/config.py",
        "security_module": "backend/app/core/security.py",
        "db_module": "backend/app/core/db.py",
        "test_module": "backend/tests/api/routes/test_{plural}.py",
        "conftest": "backend/tests/conftest.py",
        "migrations": "alembic",
        "migrations_dir": "backend/app/alembic/versions",
        "migrations_env": "backend/app/alembic/env.py",
        "migration_head": "9c0a54914c78",
        "orm": "sqlmodel",
        "session_dep": "SessionDep",
        "session_is_async": False,
        "current_user_dep": "CurrentUser",
        "pydantic_major": 2,
        "test_client_fixture": "client",
        "tests_async": False,
        "generated_client": "frontend/src/client",
        "pagination_library": None,
    },
    "domain_src": {
        "style": "domain (resource packages src/{plural}/ each with router.py)",
        "package": "src",
        "main_module": "src/main.py",
        "router_registry": "src/main.py",
        "api_prefix": "",
        "route_module": "src/{plural}/router.py",
        "model_module": "src/{plural}/models.py",
        "models_registry": "alembic/env.py",
        "schema_module": "src/{plural}/schemas.py",
        "service_module": "src/{plural}/service.py",
        "deps_module": "src/auth/dependencies.py",
        "settings_module": "src/config.py",
        "security_module": "src/auth/dependencies.py",
        "db_module": "src/database.py",
        "test_module": "tests/{plural}/test_router.py",
        "conftest": "tests/conftest.py",
        "migrations": "alembic",
        "migrations_dir": "alembic/versions",
        "migrations_env": "alembic/env.py",
        "migration_head": "a41c7e3f88d2",
        "orm": "sqlalchemy",
        "session_dep": "DbSession",
        "session_is_async": True,
        "current_user_dep": "CurrentUser",
        "pydantic_major": 2,
        "test_client_fixture": "client",
        "tests_async": True,
        "generated_client": None,
        "pagination_library": None,
    },
    "classic_layered": {
        "style": "layered (endpoints as package; models package; crud package)",
        "package": "app",
        "main_module": "app/main.py",
        "router_registry": "app/api/v1/api.py",
        "api_prefix": "/api/v1",
        "route_module": "app/api/v1/endpoints/{plural}.py",
        "model_module": "app/models/{singular}.py",
        "models_registry": "app/db/base.py",
        "schema_module": "app/schemas/{singular}.py",
        "service_module": "app/crud/crud_{singular}.py",
        "deps_module": "app/api/deps.py",
        "settings_module": "app/core/config.py",
        "security_module": "app/core/security.py",
        "db_module": "app/db/session.py",
        "test_module": "tests/api/api_v1/test_{plural}.py",
        "conftest": "tests/conftest.py",
        "migrations": "alembic",
        "migrations_dir": "alembic/versions",
        "migrations_env": "alembic/env.py",
        "migration_head": "1b2f0c6e9a11, 7e3d91b0c5f2",
        "orm": "sqlalchemy",
        "session_dep": "get_db",
        "session_is_async": False,
        "current_user_dep": "get_current_active_user",
        "pydantic_major": 2,
        "test_client_fixture": "client",
        "tests_async": False,
        "generated_client": None,
        "pagination_library": None,
    },
    "single_file": {
        "style": "single-module (everything in one module)",
        "package": ".",
        "main_module": "main.py",
        "router_registry": "main.py",
        "api_prefix": "",
        "route_module": "main.py",
        "model_module": "main.py",
        "models_registry": None,
        "schema_module": "main.py",
        "service_module": "main.py",
        "deps_module": "main.py",
        "settings_module": "main.py",
        "security_module": "main.py",
        "db_module": "main.py",
        "test_module": "test_main.py",
        "conftest": "conftest.py",
        "migrations": "none",
        "migrations_dir": "alembic/versions",
        "migrations_env": None,
        "migration_head": None,
        "current_user_dep": None,
        "pydantic_major": 2,
        "tests_async": False,
        "generated_client": None,
    },
    "per_resource": {
        "style": "per-resource-package (resource packages app/{plural}/ each with "
        "routes.py)",
        "package": "app",
        "main_module": "app/main.py",
        "router_registry": "app/api.py",
        "api_prefix": "/api",
        "route_module": "app/{plural}/routes.py",
        "model_module": "app/{plural}/models.py",
        "models_registry": "migrations/env.py",
        "schema_module": "app/{plural}/schemas.py",
        "service_module": "app/{plural}/service.py",
        "deps_module": "app/core/security.py",
        "settings_module": "app/core/config.py",
        "security_module": "app/core/security.py",
        "db_module": "app/core/database.py",
        "test_module": "tests/{plural}/test_routes.py",
        "conftest": "tests/conftest.py",
        "migrations": "alembic",
        "migrations_dir": "migrations/versions",
        "migrations_env": "migrations/env.py",
        "migration_head": "0002",
        "orm": "sqlalchemy",
        "session_dep": "SessionDep",
        "session_is_async": False,
        "current_user_dep": None,
        "test_client_fixture": "test_client",
        "tests_async": False,
        "pagination_library": "fastapi-pagination",
    },
    "controllers_repo": {
        "style": "layered (class-based controllers + repositories; controllers as "
        "package; models package; repositories package)",
        "package": "app",
        "main_module": "app/main.py",
        "router_registry": "app/routes.py",
        "api_prefix": "/api/v1",
        "route_module": "app/controllers/{singular}_controller.py",
        "model_module": "app/models/{singular}.py",
        "models_registry": "app/models/__init__.py",
        "schema_module": "app/schemas/{singular}.py",
        "service_module": "app/repositories/{singular}_repository.py",
        "deps_module": "app/dependencies.py",
        "security_module": "app/core/security.py",
        "db_module": "app/core/database.py",
        "test_module": "tests/controllers/test_{singular}_controller.py",
        "migrations": "none",
        "migrations_env": None,
        "session_dep": "AsyncSessionDep",
        "session_is_async": True,
        "current_user_dep": "CurrentUser",
        "test_client_fixture": "async_client",
        "tests_async": True,
    },
    "sync_sqlalchemy": {
        "style": "layered (routes in sql_app/main.py; single models.py module; "
        "single crud.py module)",
        "package": "sql_app",
        "router_registry": "sql_app/main.py",
        "route_module": "sql_app/main.py",
        "model_module": "sql_app/models.py",
        "models_registry": None,
        "schema_module": "sql_app/schemas.py",
        "service_module": "sql_app/crud.py",
        "deps_module": "sql_app/main.py",
        "settings_module": "sql_app/config.py",
        "db_module": "sql_app/database.py",
        "test_module": "sql_app/tests/test_{plural}.py",
        "conftest": "sql_app/tests/conftest.py",
        "migrations": "none",
        "orm": "sqlalchemy",
        "session_dep": "get_db",
        "session_is_async": False,
        "tests_async": False,
    },
    "async_sqlalchemy": {
        "style": "layered (routers as package; single models.py module; services "
        "package)",
        "router_registry": "app/main.py",
        "api_prefix": "/api",
        "route_module": "app/routers/{plural}_router.py",
        "model_module": "app/models.py",
        "schema_module": "app/schemas.py",
        "service_module": "app/services/{singular}_service.py",
        "deps_module": "app/auth.py",
        "settings_module": "app/settings.py",
        "db_module": "app/db.py",
        "test_module": "tests/test_{plural}_router.py",
        "session_dep": "get_async_session",
        "session_is_async": True,
        "current_user_dep": "get_current_active_user",
        "tests_async": True,
    },
    "pydantic_v1": {
        "style": "layered (routers as package; single models.py module; single "
        "crud.py module)",
        "router_registry": "app/main.py",
        "route_module": "app/routers/{plural}.py",
        "model_module": "app/models.py",
        "schema_module": "app/schemas.py",
        "service_module": "app/crud.py",
        "deps_module": "app/dependencies.py",
        "settings_module": "app/config.py",
        "security_module": "app/security.py",
        "db_module": "app/database.py",
        "test_module": "tests/test_{plural}.py",
        "session_dep": "get_db",
        "session_is_async": False,
        "current_user_dep": "get_current_user",
        "pydantic_major": 1,
        "tests_async": False,
    },
    "sql_scripts": {
        "style": "layered (routes as package)",
        "route_module": "app/routes/{plural}.py",
        "router_registry": "app/main.py",
        "deps_module": "app/db.py",
        "db_module": "app/db.py",
        "settings_module": "app/config.py",
        "test_module": "tests/test_{plural}.py",
        "migrations": "sql",
        "migrations_dir": "migrations",
        "migrations_env": None,
        "migration_head": "003_add_event_capacity.sql",
        "session_dep": "Connection",
        "session_is_async": True,
        "tests_async": True,
    },
}


@pytest.fixture(scope="module")
def inspected() -> dict[str, ProjectFacts]:
    return {name: inspect_project(PROJECTS / name) for name in FIXTURES}


def _layout(inspected: dict[str, ProjectFacts], name: str) -> Layout:
    return layout_from_facts(inspected[name])


def test_every_fixture_has_expectations() -> None:
    assert set(EXPECTED_LAYOUTS) == set(FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_layout_names_the_real_files(
    inspected: dict[str, ProjectFacts], name: str
) -> None:
    layout = _layout(inspected, name)
    expected = EXPECTED_LAYOUTS[name]
    assert layout.source == "detected"
    dumped = to_data(layout)
    assert {key: dumped[key] for key in expected} == expected


@pytest.mark.parametrize("name", FIXTURES)
def test_layout_points_at_files_that_exist(
    inspected: dict[str, ProjectFacts], name: str
) -> None:
    layout = _layout(inspected, name)
    for path in (layout.main_module, layout.router_registry, layout.deps_module):
        assert layout.action(path) == "modify", path
    existing_patterns = [layout.route_module, layout.model_module]
    sample = {"singular": "x", "plural": "xs"}
    for pattern in existing_patterns:
        if "{" not in pattern:
            assert pattern in layout.existing
        else:
            assert layout.path(pattern, **sample) not in layout.existing


@pytest.mark.parametrize("name", FIXTURES)
def test_facts_hold_no_absolute_paths(
    inspected: dict[str, ProjectFacts], name: str
) -> None:
    text = as_json(inspected[name])
    assert str(PROJECTS) not in text
    assert "\\\\" not in text
    assert all(not p.startswith("/") for p in inspected[name].existing)


def test_fullstack_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["fullstack"]
    assert facts.app is not None
    assert (facts.app.file, facts.app.name) == ("backend/app/main.py", "app")
    assert (facts.app_root, facts.project_dir) == ("backend/app", "backend")
    assert facts.style == "layered"
    assert facts.resources == ("item", "user")
    assert to_data(facts.router_naming) == {
        "pattern": "backend/app/api/routes/{plural}.py",
        "number": "plural",
        "suffix": "",
        "file_name": None,
    }
    registered = [(r.file, r.router, r.router_file) for r in facts.registrations]
    assert registered == [
        ("backend/app/api/main.py", f"{m}.router", f"backend/app/api/routes/{m}.py")
        for m in ("login", "users", "utils", "items", "private")
    ] + [("backend/app/main.py", "api_router", "backend/app/api/main.py")]
    outer = facts.registrations[-1]
    assert (outer.prefix, outer.prefix_source) == ("/api/v1", "settings.API_V1_STR")
    items = next(r for r in facts.routers if r.file.endswith("items.py"))
    assert (items.prefix, items.resource) == ("/items", "item")
    # A lock wins over the range pyproject.toml declares.
    assert facts.version("fastapi") == "0.115.6"
    fastapi = next(v for v in facts.versions if v.package == "fastapi")
    assert (fastapi.kind, fastapi.source) == ("locked", "backend/uv.lock")
    bcrypt = next(v for v in facts.versions if v.package == "bcrypt")
    assert (bcrypt.kind, bcrypt.source) == ("locked", "backend/uv.lock")
    assert to_data(facts.models) == {
        "modules": ["backend/app/models.py"],
        "classes": ["Item", "User"],
        "base": "SQLModel",
        "base_file": None,
    }
    assert facts.session_dependency is not None
    assert facts.session_dependency.function == "get_db"
    assert [(s.kind, s.variable) for s in facts.security_schemes] == [
        ("OAuth2PasswordBearer", "reusable_oauth2")
    ]
    assert facts.settings is not None
    assert (facts.settings.name, facts.settings.file) == (
        "Settings",
        "backend/app/core/config.py",
    )
    assert facts.alembic is not None
    assert to_data(facts.alembic) == {
        "config": "backend/alembic.ini",
        "script_location": "backend/app/alembic",
        "env": "backend/app/alembic/env.py",
        "env_imports_models": True,
        "versions_dir": "backend/app/alembic/versions",
        "revisions": 2,
        "heads": ["9c0a54914c78"],
        "trees": 1,
    }
    assert facts.generated_client is not None
    assert to_data(facts.generated_client) == {
        "path": "frontend/src/client",
        "generator": "@hey-api/openapi-ts",
        "config": "frontend/openapi-ts.config.ts",
        "schema_file": "frontend/openapi.json",
    }
    assert to_data(facts.tests) == {
        "folder": "backend/tests",
        "conftests": ["backend/tests/conftest.py"],
        "client_fixture": "client",
        "client_base_path": "",
        "client_headers": [],
        "own_clients": [],
        # The template's tests share the app's database and override nothing.
        "db_fixtures": ["db"],
        "overrides_dependencies": False,
        "user_fixtures": [
            "normal_user_token_headers",
            "superuser_token_headers",
            "authentication_token_from_email",
            "create_random_user",
            "create_user",
        ],
        "async_style": None,
        "uses_async_client": False,
        "file_pattern": "backend/tests/api/routes/test_{plural}.py",
        "naming": "test_*.py",
        "mirrored": True,
        "files": 4,
    }
    assert "backend/app/api/routes/items.py" in facts.existing
    assert "backend/uv.lock" in facts.existing
    assert not any(p.startswith("frontend/src/client") for p in facts.existing)


def test_domain_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["domain_src"]
    assert facts.style == "domain"
    assert facts.router_naming.file_name == "router.py"
    assert facts.resources == ("comment", "post", "user")
    assert [r.prefix for r in facts.registrations] == [
        "/auth",
        "/posts",
        "/posts/{post_id}/comments",
    ]
    assert facts.models.base == "DeclarativeBase"
    assert facts.models.base_file == "src/database.py"
    assert facts.settings is not None
    assert facts.settings.name == "Config"  # src/config.py wins over auth/config.py
    assert facts.tests.async_style == "asyncio"
    assert facts.tests.uses_async_client
    assert facts.tests.mirrored
    assert [h.name for h in facts.pagination.helpers] == ["Page", "paginate"]
    assert facts.pagination.library is None
    assert facts.version("pwdlib") == "0.2.0"
    assert facts.version("httpx") == "0.27.0"  # from [dependency-groups]


def test_classic_layered_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["classic_layered"]
    assert facts.alembic is not None
    assert facts.alembic.heads == ("1b2f0c6e9a11", "7e3d91b0c5f2")
    assert any("several heads" in line for line in facts.findings)
    assert facts.models.base == "as_declarative"
    assert facts.crud_modules == (
        "app/crud/base.py",
        "app/crud/crud_item.py",
        "app/crud/crud_user.py",
    )
    assert facts.version("sqlalchemy") == "2.0.29"
    assert facts.version("python-jose") == "3.3.0"
    # The superuser-only dependency is never offered as "the" current user.
    assert facts.current_user_dependency is not None
    assert facts.current_user_dependency.name == "get_current_active_user"


def test_per_resource_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["per_resource"]
    assert facts.style == "per-resource-package"
    assert facts.router_registry == "app/api.py"
    assert facts.pagination.library == "fastapi-pagination"
    assert [s.kind for s in facts.security_schemes] == ["APIKeyHeader"]
    assert facts.tests.file_pattern == "tests/{plural}/test_routes.py"
    assert facts.tests.mirrored
    assert facts.alembic is not None
    assert facts.alembic.script_location == "migrations"


def test_controllers_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["controllers_repo"]
    naming = facts.router_naming
    assert (naming.number, naming.suffix) == ("singular", "_controller")
    assert all(r.class_based for r in facts.routers if r.resource)
    assert {
        r.router_file for r in facts.registrations if r.file == "app/routes.py"
    } == {
        "app/controllers/auth_controller.py",
        "app/controllers/author_controller.py",
        "app/controllers/book_controller.py",
    }
    assert facts.tests.async_style == "anyio"
    assert facts.version("python-jose") == "3.3.0"


def test_async_and_sync_sqlalchemy(inspected: dict[str, ProjectFacts]) -> None:
    sync, concurrent = inspected["sync_sqlalchemy"], inspected["async_sqlalchemy"]
    assert (sync.orm, sync.session_async) == ("sqlalchemy", False)
    assert (concurrent.orm, concurrent.session_async) == ("sqlalchemy", True)
    assert sync.models.base == "declarative_base"
    assert concurrent.router_naming.suffix == "_router"
    assert [h.name for h in concurrent.pagination.helpers] == ["PaginatedResponse"]
    assert concurrent.version("fastapi") == "0.115.5"
    fastapi = next(v for v in sync.versions if v.package == "fastapi")
    assert (fastapi.kind, fastapi.version) == ("lower-bound", "0.100.0")


def test_pydantic_v1_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["pydantic_v1"]
    assert facts.pydantic_major == 1
    pydantic = next(v for v in facts.versions if v.package == "pydantic")
    assert (pydantic.version, pydantic.kind, pydantic.source) == (
        "1.10.13",
        "locked",
        "Pipfile.lock",
    )
    assert facts.version("fastapi") == "0.95.2"
    assert "Pydantic v1 (declared)" in facts.findings
    layout = layout_from_facts(facts)
    assert layout.version("pydantic") == "1.10.13"
    assert layout.version("psycopg2-binary") is None  # unpinned in Pipfile


def test_sql_scripts_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["sql_scripts"]
    assert facts.alembic is None
    assert facts.orm == "none"
    assert facts.sql_migrations is not None
    assert facts.sql_migrations.scripts == (
        "001_create_venues.sql",
        "002_create_events.sql",
        "003_add_event_capacity.sql",
    )
    assert "migrations/002_create_events.sql" in facts.existing


def test_single_file_facts(inspected: dict[str, ProjectFacts]) -> None:
    facts = inspected["single_file"]
    assert facts.style == "single-module"
    assert facts.app_root == "."
    assert facts.routers == ()
    assert facts.orm == "none"


# --- determinism ---------------------------------------------------------------


def _copy_tree(source: Path, target: Path, files: list[Path]) -> None:
    for rel in files:
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, destination)


def _fixture_files(name: str) -> list[Path]:
    """The fixture's own files; planner's cache, which other tests write, is not."""
    root = PROJECTS / name
    return sorted(
        rel
        for p in root.rglob("*")
        if p.is_file() and (rel := p.relative_to(root)).parts[0] != ".planner"
    )


def test_two_runs_are_identical() -> None:
    first = inspect_project(PROJECTS / "fullstack")
    second = inspect_project(PROJECTS / "fullstack")
    assert first == second
    assert as_json(first) == as_json(second)
    assert as_json(layout_from_facts(first)) == as_json(layout_from_facts(second))


def test_creation_order_does_not_matter(tmp_path: Path) -> None:
    files = _fixture_files("classic_layered")
    _copy_tree(PROJECTS / "classic_layered", tmp_path / "a", files)
    _copy_tree(PROJECTS / "classic_layered", tmp_path / "b", files[::-1])
    first, second = inspect_project(tmp_path / "a"), inspect_project(tmp_path / "b")
    assert as_json(first) == as_json(second)
    assert first == inspect_project(PROJECTS / "classic_layered")


@settings(max_examples=8, deadline=None)
@given(order=st.permutations(_fixture_files("domain_src")))
def test_any_creation_order_gives_the_same_facts(order: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _copy_tree(PROJECTS / "domain_src", Path(folder), order)
        facts = inspect_project(Path(folder))
    assert as_json(facts) == as_json(inspect_project(PROJECTS / "domain_src"))


def test_existing_serialises_sorted() -> None:
    facts = inspect_project(PROJECTS / "per_resource")
    dumped = to_data(facts)["existing"]
    assert dumped == sorted(dumped)


# --- robustness ----------------------------------------------------------------


APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"
ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"


def test_environments_caches_and_builds_are_skipped(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "service/main.py": APP,
            ".venv/lib/python3.12/site-packages/fastapi/applications.py": APP,
            ".venv/app.py": APP,
            "venv/main.py": APP,
            "env/main.py": APP,
            "myenv/pyvenv.cfg": "home = /usr/bin\n",
            "myenv/lib/site.py": APP,
            "node_modules/pkg/app.py": APP,
            "frontend/node_modules/x/main.py": APP,
            "build/lib/main.py": APP,
            "dist/main.py": APP,
            "__pycache__/main.py": APP,
            ".tox/py/main.py": APP,
            ".hidden/main.py": APP,
            "vendor/site-packages/main.py": APP,
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.app is not None
    assert facts.app.file == "service/main.py"
    assert facts.existing == {"service/main.py"}


def test_broken_files_are_tolerated(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/main.py": APP + "from app.routers import items\n"
            "app.include_router(items.router)\n",
            "app/routers/__init__.py": "",
            "app/routers/items.py": ROUTER,
            "app/routers/broken.py": "from fastapi import APIRouter\nrouter = (\n",
            "app/latin1.py": b"# coding: ascii\nx = '\xe9' # Depends(APIKey)\n",
            "app/nul.py": b"Depends\x00Annotated\x00",
            "app/huge.py": "# Depends\n" + "x = 1\n" * 200_000,
            "pyproject.toml": "[project\nname=",
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.router_registry == "app/main.py"
    assert facts.router_naming.pattern == "app/routers/{plural}.py"
    assert facts.unreadable == (
        "app/huge.py",
        "app/latin1.py",
        "app/nul.py",
        "app/routers/broken.py",
        "pyproject.toml",
    )
    # A syntax error is named as such: what the file holds is unknown, not absent.
    assert any(
        "could not parse 5 file(s) (a syntax error" in line and "unknown" in line
        for line in facts.findings
    )


def test_a_broken_module_that_states_no_fact_is_not_reported(tmp_path: Path) -> None:
    # A data-access module names sessions but no app, router, table, settings
    # or dependency: whatever its syntax, the facts have nothing to read in it.
    write_tree(
        tmp_path,
        {
            "app/main.py": APP,
            "app/db/items.py": "def count(db_session: Session) -> int:\n    return (\n",
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.unreadable == ()
    assert not any("unreadable" in line for line in facts.findings)


def test_user_code_is_never_imported_or_run(tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel.txt"
    code = (
        "import pathlib\n"
        f"pathlib.Path({str(sentinel)!r}).write_text('ran')\n"
        "raise SystemExit('imported')\n"
        "from fastapi import FastAPI, APIRouter, Depends\n"
        "app = FastAPI()\n"
    )
    write_tree(
        tmp_path,
        {
            "evilpkg_1b7c/__init__.py": code,
            "evilpkg_1b7c/main.py": code,
            "evilpkg_1b7c/conftest.py": code,
            "tests/conftest.py": code,
            "alembic/env.py": code,
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.app is not None
    assert facts.app.file == "evilpkg_1b7c/main.py"
    assert not sentinel.exists()
    assert not any(name.startswith("evilpkg_1b7c") for name in sys.modules)


def test_missing_root_raises_inspection_error(tmp_path: Path) -> None:
    with pytest.raises(InspectionError, match="does not exist") as caught:
        inspect_project(tmp_path / "nope")
    assert caught.value.hint is not None
    (tmp_path / "file.py").write_text(APP, encoding="utf-8")
    with pytest.raises(InspectionError):
        inspect_project(tmp_path / "file.py")


def test_no_app_gives_the_default_layout(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "lib/__init__.py": "",
            "lib/tools.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
            "requirements.txt": "pydantic==1.10.2\n",
        },
    )
    layout = layout_from_facts(inspect_project(tmp_path))
    assert layout.source == "default"
    assert layout.findings == (
        NO_APP_FINDING,
        "versions: pydantic 1.10.2 (pinned, requirements.txt)",
        "Pydantic v1 (declared)",
    )
    assert layout.route_module == DEFAULT_LAYOUT.route_module
    assert layout.existing == {"lib/__init__.py", "lib/tools.py", "requirements.txt"}
    assert layout.pydantic_major == 1
    assert layout.version("pydantic") == "1.10.2"


def test_empty_folder_gives_the_default_layout(tmp_path: Path) -> None:
    facts = inspect_project(tmp_path)
    assert facts.style == "unknown"
    layout = layout_from_facts(facts)
    assert layout.source == "default"
    assert layout.findings == (NO_APP_FINDING,)
    assert layout.existing == frozenset()


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real/main.py": APP})
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert inspect_project(tmp_path).existing == {"real/main.py"}


# --- naming ----------------------------------------------------------------------

WORDS = st.from_regex(r"[a-z]{2,8}(_[a-z]{2,8})?", fullmatch=True)


@given(word=WORDS)
def test_singularize_only_undoes_a_plural(word: str) -> None:
    single = singularize(word)
    assert single == word or pluralize(single) == word


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("items", "item"),
        ("categories", "category"),
        ("boxes", "box"),
        ("houses", "house"),
        ("people", "person"),
        ("order_items", "order_item"),
        ("status", "status"),
        ("news", "news"),
        ("caches", "cache"),
        ("licenses", "license"),
        ("export_cases", "export_case"),
    ],
)
def test_singularize_examples(plural: str, single: str) -> None:
    assert singularize(plural) == single


def test_patterns_need_a_single_resource() -> None:
    patterns = Patterns(["item", "user"])
    assert patterns.pattern("app/items/user_item.py") is None
    assert patterns.pattern("app/crud/crud_item.py") == (
        "app/crud/crud_{singular}.py",
        "item",
    )
    assert patterns.best(["app/a.py"]) is None


@pytest.mark.parametrize(
    ("source", "helper"),
    [
        ("class Page(BaseModel):\n    items: list[T]\n    total: int\n", True),
        ("class UsersPage(BaseModel):\n    data: List[User]\n    next: str\n", True),
        # Named like a page, holding no list of items and no paging field.
        ("class NotionPage(BaseModel):\n    id: str\n    title: str\n", False),
        ("class _Page(BaseModel):\n    items: list[T]\n    total: int\n", False),
    ],
)
def test_a_pagination_helper_is_a_page_of_items(source: str, helper: bool) -> None:
    scan = scan_module("app/pages.py", ast.parse(source))
    assert bool(scan.pagination_helpers) is helper


def test_alembic_ini_values_are_read_as_alembic_reads_them(tmp_path: Path) -> None:
    # Several databases in one ini: each section names its version folder
    # through `%(script_location)s`, and `%%` escapes a literal percent.
    write_tree(
        tmp_path,
        {
            "server/main.py": APP,
            "server/alembic.ini": (
                "[DEFAULT]\nscript_location = migrations\n"
                "file_template = %%(rev)s_%%(slug)s\n\n"
                "[alembic]\nscript_location = migrations\n"
                "version_locations = %(script_location)s/versions\n\n"
                "[tenants]\nscript_location = migrations_tenants\n"
                "version_locations = %(script_location)s/versions\n"
            ),
            "server/migrations/env.py": "from alembic import context\n",
            "server/migrations/versions/0001_start.py": (
                'revision = "0001"\ndown_revision = None\n'
            ),
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.alembic is not None
    assert facts.alembic.script_location == "server/migrations"
    assert facts.alembic.versions_dir == "server/migrations/versions"


def test_the_client_fixture_is_the_http_test_client(tmp_path: Path) -> None:
    # A mock of another service's client, and a client of another service,
    # beside the fixture the API tests call.
    write_tree(
        tmp_path,
        {
            "service/main.py": APP,
            "tests/conftest.py": (
                "from unittest.mock import MagicMock\n\n"
                "import pytest\nfrom fastapi.testclient import TestClient\n\n\n"
                "@pytest.fixture\ndef billing_client_mock() -> MagicMock:\n"
                "    return MagicMock()\n\n\n"
                "@pytest.fixture\ndef temporal_client():\n    return object()\n\n\n"
                "@pytest.fixture\ndef api_client_admin() -> TestClient:\n"
                "    return TestClient(object())\n"
            ),
            "tests/test_main.py": "def test_it() -> None:\n    assert True\n",
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.tests is not None
    assert facts.tests.client_fixture == "api_client_admin"


def test_no_http_client_fixture_is_none(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "service/main.py": APP,
            "tests/conftest.py": (
                "import pytest\n\n\n"
                "@pytest.fixture\ndef temporal_client():\n    return object()\n"
            ),
            "tests/test_main.py": "def test_it() -> None:\n    assert True\n",
        },
    )
    facts = inspect_project(tmp_path)
    assert facts.tests is not None
    assert facts.tests.client_fixture is None
