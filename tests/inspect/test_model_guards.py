"""Guards: the dependencies every route runs, wherever they are declared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.inspect.model.guards import Dep, identity_tier
from planner.inspect.model.parse import parse_source
from planner.inspect.model.project import read_project
from planner.inspect.model.records import ProjectModel
from tests.trees import write_tree

_AUTH = "from clinic.deps.auth import get_current_clinic_user\n"

# A clinic whose routes are guarded in four ways: a router's own
# `dependencies=`, an include's, a decorator's and a parameter's. The sign-in
# routes depend on a flow object (named for auth, identifying nobody) more
# often than any route depends on the staff user.
CLINIC = {
    "pyproject.toml": '[project]\nname = "clinic"\ndependencies = ["fastapi"]\n',
    "clinic/__init__.py": "",
    "clinic/deps/__init__.py": "",
    "clinic/deps/auth.py": (
        "from clinic.models import StaffUser\n"
        "async def get_current_clinic_user() -> StaffUser: ...\n"
        "def get_auth_flow(): ...\n"
    ),
    "clinic/deps/billing.py": (
        "from fastapi import Depends\n"
        + _AUTH
        + "def get_payer(user=Depends(get_current_clinic_user)): ...\n"
    ),
    "clinic/models.py": "class StaffUser: ...\n",
    "clinic/main.py": (
        "from fastapi import Depends, FastAPI\n"
        + _AUTH
        + "from clinic.routers import login, patients, rooms, visits\n"
        "from clinic.status import app as status_app\n"
        "app = FastAPI()\n"
        "app.include_router(patients.router)\n"
        "app.include_router(visits.router)\n"
        "app.include_router(login.router)\n"
        "app.include_router(\n"
        "    rooms.router, dependencies=[Depends(get_current_clinic_user)]\n"
        ")\n"
        "app.mount('/status', status_app)\n"
    ),
    "clinic/status.py": (
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "@app.get('/')\ndef status(): ...\n"
    ),
    "clinic/routers/__init__.py": "",
    "clinic/routers/patients.py": (
        "from fastapi import APIRouter, Depends\n" + _AUTH + "router = APIRouter(\n"
        "    prefix='/patients', dependencies=[Depends(get_current_clinic_user)]\n"
        ")\n"
        "@router.get('')\ndef list_patients(): ...\n"
        "@router.get('/{patient_id}')\ndef read_patient(patient_id: int): ...\n"
    ),
    "clinic/routers/visits.py": (
        "from fastapi import APIRouter, Depends\n"
        + _AUTH
        + "router = APIRouter(prefix='/visits')\n"
        "@router.get('', dependencies=[Depends(get_current_clinic_user)])\n"
        "def list_visits(): ...\n"
        "@router.post('')\n"
        "def create_visit(user: StaffUser = Depends(get_current_clinic_user)): ...\n"
    ),
    "clinic/routers/rooms.py": (
        "from fastapi import APIRouter\n"
        "router = APIRouter(prefix='/rooms')\n"
        "@router.get('')\ndef list_rooms(): ...\n"
    ),
    "clinic/routers/login.py": (
        "from fastapi import APIRouter, Depends\n"
        "from clinic.deps.auth import get_auth_flow\n"
        "router = APIRouter(prefix='/login')\n"
        + "".join(
            f"@router.post('/{n}')\ndef step_{n}(flow=Depends(get_auth_flow)): ...\n"
            for n in ("start", "code", "consent", "finish", "cancel", "retry")
        )
    ),
    "tests/__init__.py": "",
    "tests/test_patients.py": _AUTH + "def test_list(): ...\n",
}

GUARD = "get_current_clinic_user (clinic.deps.auth)"


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> ProjectModel:
    root = tmp_path_factory.mktemp("clinic")
    write_tree(root, CLINIC)
    return read_project(root, cache=False)


def _guards_of(model: ProjectModel, function: str) -> tuple[str, ...]:
    return next(r.guards for r in model.routes if r.function == function)


def test_a_router_dependency_guards_each_of_its_routes(clinic: ProjectModel) -> None:
    assert _guards_of(clinic, "list_patients") == (GUARD,)
    assert _guards_of(clinic, "read_patient") == (GUARD,)
    router = next(r for r in clinic.routers if r.file.endswith("patients.py"))
    assert router.guards == (GUARD,)


def test_an_include_dependency_guards_the_included_router(
    clinic: ProjectModel,
) -> None:
    assert _guards_of(clinic, "list_rooms") == (GUARD,)


def test_a_decorator_dependency_guards_its_route_alone(clinic: ProjectModel) -> None:
    assert _guards_of(clinic, "list_visits") == (GUARD,)
    # A parameter gives the route a value: it is no `dependencies=` guard.
    assert _guards_of(clinic, "create_visit") == ()


def test_a_mounted_app_runs_none_of_its_parents_dependencies(
    clinic: ProjectModel,
) -> None:
    assert _guards_of(clinic, "status") == ()


def test_the_current_user_vote_prefers_who_the_caller_is_over_a_flow(
    clinic: ProjectModel,
) -> None:
    vote = clinic.convention("current_user_dependency")
    # Six sign-in routes depend on the flow, five routes on the staff user.
    assert vote.counts == ((GUARD, 5),)
    assert "6 uses of other user or auth dependencies left out" in vote.note


def test_a_guard_lists_every_module_that_uses_it(clinic: ProjectModel) -> None:
    guard = clinic.guards[0]
    assert guard.label == GUARD
    assert guard.file == "clinic/deps/auth.py"
    assert guard.kind == "current-user"
    assert guard.routes == 5
    assert guard.files == (
        "clinic/deps/billing.py",
        "clinic/main.py",
        "clinic/routers/patients.py",
        "clinic/routers/visits.py",
    )
    assert guard.routers == (
        "clinic/main.py",
        "clinic/routers/patients.py",
        "clinic/routers/visits.py",
    )


def test_parsing_records_router_and_include_dependencies() -> None:
    src = (
        b"from fastapi import APIRouter, Depends, Security\n"
        b"router = APIRouter(dependencies=[Depends(auth.user), Security(scoped)])\n"
        b"app.include_router(router, dependencies=[Depends(require_role('a'))])\n"
        b"@router.get('/', dependencies=[Depends(check)])\ndef f(): ...\n"
    )
    summary = parse_source(src, "m", is_package=False)
    assert summary.routers[0].dependencies == ("auth.user", "scoped")
    assert summary.includes[0].dependencies == ("require_role()",)
    assert summary.routes[0].dependencies == ("check",)


@pytest.mark.parametrize(
    ("name", "annotation", "tier"),
    [
        ("get_current_user", "", 2),
        ("current_active_user", "", 2),
        ("get_account", "AccountUser", 2),
        ("get_user", "", 1),
        ("current_admin_user", "", 1),  # identifies the caller, not every caller
        ("get_user_by_id_or_404", "User", 0),  # a lookup of a resource
        ("get_user_manager", "UserManager", 0),
        ("get_auth_flow", "", 0),
        ("get_db_user", "", -1),  # the session vote's
        ("get_settings", "", -1),
    ],
)
def test_identity_tiers(name: str, annotation: str, tier: int) -> None:
    dep = Dep(f"{name} (m)", name, "m", "m", annotation)
    assert identity_tier(dep) == tier


def test_routes_without_a_guard_give_no_guards(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "open"\n',
            "open/__init__.py": "",
            "open/main.py": (
                "from fastapi import FastAPI\napp = FastAPI()\n"
                "@app.get('/')\ndef root(): ...\n"
            ),
        },
    )
    model = read_project(tmp_path, cache=False)
    assert model.guards == ()
    assert model.convention("current_user_dependency").winner is None


def test_inspect_shows_each_routers_guards_and_who_uses_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, CLINIC)
    assert main(["inspect", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"  /patients  clinic/routers/patients.py:router  [runs {GUARD}]" in out
    assert (
        f"  {GUARD} in clinic/deps/auth.py: current-user, 5 routes; "
        "used by 3 router modules and 1 other module"
    ) in out
    assert "    clinic/deps/billing.py" in out
    assert main(["inspect", "--project", str(tmp_path), "--format", "json"]) == 0
    model = json.loads(capsys.readouterr().out)["model"]
    assert model["guards"][0]["name"] == "get_current_clinic_user"
    assert model["guards"][0]["routers"][0] == "clinic/main.py"
    rooms = next(r for r in model["routes"] if r["function"] == "list_rooms")
    assert rooms["guards"] == [GUARD]
