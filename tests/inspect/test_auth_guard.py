"""A scheme added beside the project's guard is accepted where the guard was."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, prepare
from planner.inspect.model.authguard import MAX_GUARDED_MODULES
from planner.plan import Plan
from planner.spec import AuthSpec
from tests.trees import write_tree

_KEY = AuthSpec(kind="auth", scheme="api-key")
_GUARD = "from desk.deps.session import require_staff_user\n"


def _router(name: str) -> str:
    return (
        "from fastapi import APIRouter, Depends\n"
        + _GUARD
        + f"router = APIRouter(prefix='/{name}', "
        "dependencies=[Depends(require_staff_user)])\n"
        f"@router.get('')\ndef list_{name}(): ...\n"
        f"@router.post('')\ndef create_{name}(): ...\n"
    )


def _desk(guarded: list[str]) -> dict[str, str]:
    """A help desk whose staff routers all require the staff session."""
    names = [*guarded, "status"]
    files = {
        "pyproject.toml": '[project]\nname = "desk"\ndependencies = ["fastapi"]\n',
        "desk/__init__.py": "",
        "desk/deps/__init__.py": "",
        "desk/deps/session.py": "async def require_staff_user(): ...\n",
        "desk/deps/billing.py": (
            "from fastapi import Depends\n"
            + _GUARD
            + "def get_plan(user=Depends(require_staff_user)): ...\n"
        ),
        "desk/routers/__init__.py": "",
        "desk/routers/status.py": (
            "from fastapi import APIRouter\nrouter = APIRouter(prefix='/status')\n"
            "@router.get('')\ndef status(): ...\n"
        ),
        "desk/main.py": (
            "from fastapi import FastAPI\n"
            f"from desk.routers import {', '.join(names)}\n"
            "app = FastAPI()\n"
            + "".join(f"app.include_router({n}.router)\n" for n in names)
        ),
        "tests/__init__.py": "",
        "tests/conftest.py": "import pytest\n",
    }
    for name in guarded:
        files[f"desk/routers/{name}.py"] = _router(name)
        files[f"tests/test_{name}.py"] = "def test_list(): ...\n"
    return files


def _plan(tmp_path: Path, files: dict[str, str], spec: AuthSpec = _KEY) -> Plan:
    write_tree(tmp_path, files)
    return make_plan(spec, request=prepare(spec, project=tmp_path))


def _actions(plan: Plan) -> dict[str, str]:
    return {f.path: f.action for f in plan.files}


def test_few_guarded_modules_each_accept_the_key(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _desk(["tickets", "agents", "queues"]))
    actions = _actions(plan)
    for name in ("tickets", "agents", "queues"):
        assert actions[f"desk/routers/{name}.py"] == "modify"
        assert actions[f"tests/test_{name}.py"] == "modify"
    # A dependency built on the guard accepts the key too; the open router and
    # the guard itself stay as they are.
    assert actions["desk/deps/billing.py"] == "modify"
    assert "desk/routers/status.py" not in actions
    assert "desk/deps/session.py" not in actions
    tickets = next(f for f in plan.files if f.path == "desk/routers/tickets.py")
    assert "depend on `get_caller` in its place" in " ".join(tickets.guidance)
    assert any(
        a.startswith(
            "The project guards 6 routes in 3 router modules with "
            "`require_staff_user (desk.deps.session)`: at most 8"
        )
        for a in plan.assumptions
    )
    tests = {(t.file, t.name) for t in plan.tests}
    assert ("tests/test_agents.py", "test_key_accepted") in tests


def test_many_guarded_modules_change_the_guard_itself(tmp_path: Path) -> None:
    names = [f"area{i}" for i in range(MAX_GUARDED_MODULES + 1)]
    plan = _plan(tmp_path, _desk(names))
    actions = _actions(plan)
    assert actions["desk/deps/session.py"] == "modify"
    assert not any(p.startswith("desk/routers/area") for p in actions)
    assert not any(p.startswith("tests/test_area") for p in actions)
    guard = next(f for f in plan.files if f.path == "desk/deps/session.py")
    assert "Make `require_staff_user` accept the API key" in " ".join(guard.guidance)
    assert any(
        "more than 8, so the guard itself accepts" in a for a in plan.assumptions
    )


def test_a_password_scheme_beside_the_guard_is_accepted_where_it_was(
    tmp_path: Path,
) -> None:
    spec = AuthSpec(kind="auth", scheme="password-jwt")
    plan = _plan(tmp_path, _desk(["tickets"]), spec)
    actions = _actions(plan)
    assert actions["desk/routers/tickets.py"] == "modify"
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert "Accept the bearer token where `require_staff_user` was required" in (
        guidance
    )
    # Extended, not replaced: the plan does not also ask to rework the guard.
    assert "rather than adding a second current-user dependency" not in guidance


def test_a_router_dependency_that_identifies_nobody_is_no_guard(
    tmp_path: Path,
) -> None:
    files = _desk([])
    files["desk/deps/locale.py"] = "def set_locale(): ...\n"
    files["desk/routers/status.py"] = (
        "from fastapi import APIRouter, Depends\n"
        "from desk.deps.locale import set_locale\n"
        "router = APIRouter(prefix='/status', dependencies=[Depends(set_locale)])\n"
        "@router.get('')\ndef status(): ...\n"
    )
    plan = _plan(tmp_path, files)
    assert not any(f.path.startswith("desk/routers/") for f in plan.files)
    assert not any("The project guards" in a for a in plan.assumptions)


def test_routes_whose_guard_changes_are_listed_as_changed(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _desk(["tickets", "agents"]))
    changed = {
        (e.method, e.path): e
        for e in plan.endpoints
        if e.summary.startswith("Existing route, changed")
    }
    assert sorted(changed) == [
        ("GET", "/agents"),
        ("GET", "/tickets"),
        ("POST", "/agents"),
        ("POST", "/tickets"),
    ]
    tickets = changed[("GET", "/tickets")]
    # The route keeps its status and function; a call with neither credential
    # answers 401.
    assert (tickets.function, tickets.success_status) == ("list_tickets", 200)
    assert [e.status for e in tickets.errors] == [401]
    assert "require_staff_user" in tickets.auth
    # Their tests stay beside the routers' own tests, not in the auth tests.
    assert not any(t.name.startswith("test_list_tickets") for t in plan.tests)


def test_a_guard_changed_in_place_lists_no_routes(tmp_path: Path) -> None:
    names = [f"area{i}" for i in range(MAX_GUARDED_MODULES + 1)]
    plan = _plan(tmp_path, _desk(names))
    assert not any(e.path.startswith("/area") for e in plan.endpoints)


def test_the_either_dependency_is_a_module_of_its_own_with_its_test(
    tmp_path: Path,
) -> None:
    files = _desk(["tickets"])
    # The project tests its dependency modules one by one.
    files["tests/test_deps_session.py"] = "def test_staff(): ...\n"
    plan = _plan(tmp_path, files)
    actions = _actions(plan)
    assert actions["desk/deps/api_key.py"] == "create"
    assert actions["desk/deps/authentication.py"] == "create"
    assert actions["tests/test_deps_authentication.py"] == "create"
    either = next(f for f in plan.files if f.path == "desk/deps/authentication.py")
    assert "Add `get_caller`" in " ".join(either.guidance)
    tests = {(t.file, t.name) for t in plan.tests}
    assert ("tests/test_deps_authentication.py", "test_get_caller_accepts_either") in (
        tests
    )


def test_a_refusal_of_the_old_guard_stays_on_the_changed_routes(
    tmp_path: Path,
) -> None:
    # `require_staff_user` answers 403 to a caller it identifies who is not
    # staff: accepting a key as well does not change that.
    files = _desk(["tickets"])
    files["desk/deps/session.py"] = (
        "from fastapi import HTTPException, Request\n\n\n"
        "async def require_staff_user(request: Request):\n"
        "    user = request.cookies.get('session')\n"
        "    if user is None:\n"
        "        raise HTTPException(status_code=401)\n"
        "    if user != 'staff':\n"
        "        raise HTTPException(status_code=403)\n"
        "    return user\n"
    )
    plan = _plan(tmp_path, files)
    tickets = next(
        e
        for e in plan.endpoints
        if e.summary.startswith("Existing route, changed") and e.method == "GET"
    )
    assert [e.status for e in tickets.errors] == [401, 403]
