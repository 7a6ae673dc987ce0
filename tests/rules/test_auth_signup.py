"""Sign-up reuses the route that already creates accounts for anyone."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

SPEC = 'kind = "auth"\nscheme = "password-jwt"\nregistration = true\n'


def _project(root: Path, *, guarded: bool) -> None:
    guard = ", dependencies=[Depends(require_admin)]" if guarded else ""
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "desk"\ndependencies = ["fastapi"]\n',
            "app/__init__.py": "",
            "app/deps.py": "def require_admin() -> None:\n    return None\n",
            "app/users.py": (
                "from fastapi import APIRouter, Depends\n\n"
                "from app.deps import require_admin\n\n"
                'router = APIRouter(prefix="/users")\n\n\n'
                f'@router.post(""{guard})\n'
                "def create_user(body: dict[str, str]) -> dict[str, str]:\n"
                "    return body\n\n\n"
                '@router.get("/{user_id}")\n'
                "def read_user(user_id: int) -> dict[str, str]:\n    return {}\n"
            ),
            "app/main.py": (
                "from fastapi import FastAPI\n\nfrom app import users\n\n"
                "app = FastAPI()\napp.include_router(users.router)\n"
            ),
        },
    )


def _plan(root: Path) -> Plan:
    spec = parse_spec(SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def test_an_open_create_route_becomes_the_sign_up(tmp_path: Path) -> None:
    _project(tmp_path, guarded=False)
    plan = _plan(tmp_path)
    posts = [(e.path, e.function) for e in plan.endpoints if e.method == "POST"]
    assert ("/users", "create_user") in posts
    assert not any(fn == "register" for _, fn in posts)
    router = next(f for f in plan.files if f.path == "app/users.py")
    assert any("make it the sign-up" in g for g in router.guidance)


def test_an_admin_only_create_route_is_left_alone(tmp_path: Path) -> None:
    _project(tmp_path, guarded=True)
    plan = _plan(tmp_path)
    register = next(e for e in plan.endpoints if e.function == "register")
    # Not `/users/` beside the admin's `POST /users`: a path of its own.
    assert (register.method, register.path) == ("POST", "/users/register")
    assert not any("make it the sign-up" in g for f in plan.files for g in f.guidance)
