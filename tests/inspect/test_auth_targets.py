"""Auth plans on fixture projects: the project's own files and served paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner import make_plan, prepare
from planner.spec import AuthSpec
from tests.paths import TESTS
from tests.trees import write_tree

PROJECTS = TESTS / "fixtures" / "projects"
_WRITE_TIME = re.compile(r"<(?:year|month|day|hour|minute|second|date)>")


def _plan(project: Path) -> tuple[list[str], list[str]]:
    spec = AuthSpec(kind="auth", scheme="password-jwt", registration=True)
    plan = make_plan(spec, request=prepare(spec, project=project))
    files = [f"{f.action} {f.path}" for f in plan.files]
    return files, [f"{e.method} {e.path}" for e in plan.endpoints]


def test_sign_in_goes_into_the_existing_users_router() -> None:
    files, endpoints = _plan(PROJECTS / "fullstack")
    assert "modify backend/app/api/routes/users.py" in files
    assert "modify backend/app/core/security.py" in files
    assert "modify backend/app/api/deps.py" in files
    # `POST /users/` creates users for superusers only: sign-up gets its own.
    assert endpoints == [
        "POST /api/v1/users/register",
        "POST /api/v1/users/token",
        "GET /api/v1/users/me",
    ]


def test_a_new_users_router_is_named_and_registered_like_its_siblings() -> None:
    files, endpoints = _plan(PROJECTS / "async_sqlalchemy")
    assert "create app/routers/users_router.py" in files
    assert "modify app/main.py" in files
    assert "modify app/auth.py" in files
    assert "create tests/test_auth_router.py" in files
    assert endpoints == [
        "POST /api/users/",
        "POST /api/users/token",
        "GET /api/users/me",
    ]


@pytest.mark.parametrize("project", sorted(p.name for p in PROJECTS.iterdir()))
def test_auth_plans_name_no_placeholder_paths(project: str) -> None:
    files, _ = _plan(PROJECTS / project)
    # Only the date and time Alembic writes a revision at stay open.
    named = [_WRITE_TIME.sub("", f) if "/versions/" in f else f for f in files]
    assert not [f for f in named if "{" in f or "<" in f or "%(" in f]


MODEL = TESTS / "fixtures" / "model"


def _plan_files(project: Path) -> dict[str, tuple[str, str]]:
    spec = AuthSpec(kind="auth", scheme="password-jwt", registration=True)
    plan = make_plan(spec, request=prepare(spec, project=project))
    return {f.path: (f.action, " ".join(f.guidance)) for f in plan.files}


def test_sign_in_errors_go_into_the_projects_user_errors_module() -> None:
    files = _plan_files(MODEL / "kiosk")
    assert files["core/exceptions/user.py"][0] == "modify"
    assert files["core/exceptions/__init__.py"][0] == "modify"


def test_an_existing_token_helper_is_the_security_module_not_middleware() -> None:
    files = _plan_files(MODEL / "kiosk")
    assert files["core/utils/token_helper.py"][0] == "modify"
    assert "core/security.py" not in files
    assert "core/middlewares/authentication.py" not in files


def test_packages_go_into_the_projects_own_dependency_file() -> None:
    files = _plan_files(MODEL / "kiosk")
    assert "pyproject.toml" not in files
    action, guidance = files["Pipfile"]
    assert action == "modify"
    # pyjwt is declared, and passlib does the job pwdlib would do.
    assert "pyjwt" not in guidance
    assert "pwdlib" not in guidance
    # Sign-in takes JSON beside the project's own token helper: no form parser.
    assert "python-multipart" not in guidance
    assert "email-validator" in guidance


def _refresh_plan(project: Path) -> tuple[dict[str, str], list[str], set[str]]:
    spec = AuthSpec(kind="auth", scheme="password-jwt", refresh_tokens=True)
    plan = make_plan(spec, request=prepare(spec, project=project))
    files: dict[str, str] = {f.path: f.action for f in plan.files}
    model = plan.data_model
    tables = {t.name for t in model.tables} if model is not None else set()
    return files, [f"{e.method} {e.path}" for e in plan.endpoints], tables


def test_refresh_routes_get_an_auth_router_shaped_like_the_users() -> None:
    files, endpoints, _ = _refresh_plan(MODEL / "kiosk")
    # Sign-in stays on the users router; token routes get their own router,
    # service and schemas, in folders named like the user resource's.
    assert files["api/user/v1/user.py"] == "modify"
    for path in (
        "api/auth/__init__.py",
        "api/auth/v1/__init__.py",
        "api/auth/v1/auth.py",
        "app/auth/__init__.py",
        "app/auth/services/__init__.py",
        "app/auth/services/auth.py",
        "app/auth/schemas/__init__.py",
        "app/auth/schemas/auth.py",
    ):
        assert files[path] == "create", path
    # Included where its siblings are, not in the application module.
    assert files["api/__init__.py"] == "modify"
    assert "POST /api/v1/users/login" in endpoints
    assert "POST /api/v1/auth/refresh" in endpoints


def test_sign_in_beside_a_token_helper_takes_json_at_login() -> None:
    spec = AuthSpec(kind="auth", scheme="password-jwt")
    plan = make_plan(spec, request=prepare(spec, project=MODEL / "kiosk"))
    login = next(e for e in plan.endpoints if e.function == "login")
    assert (login.method, login.path) == ("POST", "/api/v1/users/login")
    assert login.request_schema == "LoginRequest"
    assert "LoginRequest" in {s.name for s in plan.schemas}
    deps = " ".join(
        g for f in plan.files if f.purpose == "shared dependencies" for g in f.guidance
    )
    assert "OAuth2PasswordBearer(" not in deps


def test_sign_in_without_a_token_helper_takes_the_oauth2_form_at_token() -> None:
    spec = AuthSpec(kind="auth", scheme="password-jwt")
    plan = make_plan(spec, request=prepare(spec, project=PROJECTS / "async_sqlalchemy"))
    login = next(e for e in plan.endpoints if e.function == "login")
    assert login.path == "/api/users/token"
    assert login.request_schema is not None
    assert login.request_schema.startswith("OAuth2PasswordRequestForm")


def test_a_token_helper_and_a_stored_password_need_no_table_or_migration() -> None:
    files, _, tables = _refresh_plan(MODEL / "kiosk")
    assert "refresh_tokens" not in tables
    assert "users" not in tables
    assert "app/user/models/user.py" not in files
    assert not [p for p in files if p.startswith("migrations/versions/")]


def _till(helpers: str) -> dict[str, str]:
    """A small shop whose shared helpers live in one module or a package."""
    return {
        "pyproject.toml": '[project]\nname = "till"\ndependencies = ["fastapi"]\n',
        "till/__init__.py": "",
        helpers: "def short_id() -> str: ...\n",
        "till/main.py": (
            "from fastapi import FastAPI\nfrom till.views import router\n"
            "app = FastAPI()\napp.include_router(router, prefix='/api')\n"
        ),
        "till/views.py": (
            "from fastapi import APIRouter\nrouter = APIRouter(prefix='/sales')\n"
            "@router.get('')\ndef list_sales(): ...\n"
        ),
    }


@pytest.mark.parametrize(
    ("helpers", "security"),
    [
        ("till/helpers.py", "modify till/helpers.py"),
        ("till/utils/__init__.py", "create till/security.py"),
    ],
)
def test_hashing_joins_the_projects_one_helpers_module(
    tmp_path: Path, helpers: str, security: str
) -> None:
    write_tree(tmp_path, _till(helpers))
    files, _ = _plan(tmp_path)
    assert security in files
