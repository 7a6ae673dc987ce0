"""A project of feature packages: one folder per resource in each layer.

`api/<name>/v1/<name>.py` routers are included by `api/__init__.py` (the
only sibling router it can list is the one there is), the app runs a logging
dependency for every route, routes admit callers through a permission class
from a dependencies package, and each resource keeps its tables in its own
`app/<name>/models/` package re-exported with a star import.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.cli.main import main
from planner.inspect.model.project import read_project
from planner.plan import Plan
from tests.trees import write_tree

CLUB = {
    "pyproject.toml": (
        '[project]\nname = "clubhouse"\ndependencies = ["fastapi", "sqlalchemy"]\n'
    ),
    "svc/__init__.py": "",
    "svc/server.py": (
        "from fastapi import Depends, FastAPI\n\n"
        "from api import router\n"
        "from api.health.health import health_router\n"
        "from core.deps import AuditTrail\n\n\n"
        "def build() -> FastAPI:\n"
        "    site = FastAPI(dependencies=[Depends(AuditTrail)])\n"
        "    site.include_router(health_router)\n"
        "    site.include_router(router)\n"
        "    return site\n\n\n"
        "site = build()\n"
    ),
    "api/__init__.py": (
        "from fastapi import APIRouter\n\n"
        "from api.member.v1.member import member_router\n\n"
        "router = APIRouter()\n"
        'router.include_router(member_router, prefix="/api/v1/members")\n'
    ),
    "api/health/__init__.py": "",
    "api/health/health.py": (
        "from fastapi import APIRouter, Depends\n\n"
        "from core.deps import AnyCaller, PermissionGate\n\n"
        "health_router = APIRouter()\n\n\n"
        '@health_router.get("/ping",'
        " dependencies=[Depends(PermissionGate([AnyCaller]))])\n"
        "async def ping() -> dict[str, str]:\n"
        '    return {"ok": "yes"}\n'
    ),
    "api/member/__init__.py": "",
    "api/member/v1/__init__.py": "",
    "api/member/v1/member.py": (
        "from fastapi import APIRouter, Depends\n\n"
        "from app.member.schemas import MemberOut, NewMember\n"
        "from app.member.services import MemberService\n"
        "from core.deps import PermissionGate, SignedIn\n\n"
        "member_router = APIRouter()\n"
        "\n\n"
        '@member_router.get("", response_model=list[MemberOut],'
        " dependencies=[Depends(PermissionGate([SignedIn]))])\n"
        "async def list_members():\n"
        "    return await MemberService().list_members()\n\n\n"
        '@member_router.post("", response_model=MemberOut,'
        " dependencies=[Depends(PermissionGate([SignedIn]))])\n"
        "async def create_member(body: NewMember):\n"
        "    return await MemberService().create_member(body)\n"
    ),
    "app/__init__.py": "",
    "app/member/__init__.py": "",
    "app/member/models/__init__.py": "from .member import *\n",
    "app/member/models/member.py": (
        "from sqlalchemy import Column, Integer, String\n\n"
        "from core.db import Base\n\n\n"
        "class Member(Base):\n"
        '    __tablename__ = "members"\n'
        "    id = Column(Integer, primary_key=True)\n"
        "    handle = Column(String(40))\n"
    ),
    "app/member/schemas/__init__.py": "from .member import *\n",
    "app/member/schemas/member.py": (
        "from pydantic import BaseModel\n\n\n"
        "class NewMember(BaseModel):\n    handle: str\n\n\n"
        "class MemberOut(BaseModel):\n    id: int\n    handle: str\n"
    ),
    "app/member/services/__init__.py": "from .member import *\n",
    "app/member/services/member.py": (
        "from sqlalchemy import select\n\n"
        "from app.member.models import Member\n"
        "from core.db import session\n\n\n"
        "class MemberService:\n"
        "    async def list_members(self):\n"
        "        return (await session.execute(select(Member))).scalars().all()\n\n"
        "    async def create_member(self, body):\n"
        "        session.add(Member(handle=body.handle))\n"
    ),
    "core/__init__.py": "",
    "core/db.py": (
        "from sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n"
        "session = None\n"
    ),
    "core/deps/__init__.py": (
        "from .audit import AuditTrail\n"
        "from .permission import AnyCaller, PermissionGate, SignedIn\n"
    ),
    "core/deps/audit.py": (
        "from fastapi import BackgroundTasks\n\n\n"
        "class AuditTrail:\n"
        "    def __init__(self, tasks: BackgroundTasks) -> None:\n"
        "        tasks.add_task(print, 'request')\n"
    ),
    "core/deps/permission.py": (
        "from fastapi import HTTPException, Request\n\n\n"
        "class SignedIn:\n"
        "    def allows(self, request: Request) -> bool:\n"
        "        return request.user.id is not None\n\n\n"
        "class AnyCaller:\n"
        "    def allows(self, request: Request) -> bool:\n"
        "        return True\n\n\n"
        "class PermissionGate:\n"
        "    def __init__(self, checks) -> None:\n"
        "        self.checks = checks\n\n"
        "    async def __call__(self, request: Request) -> None:\n"
        "        if not all(c().allows(request) for c in self.checks):\n"
        "            raise HTTPException(status_code=401)\n"
    ),
}

_SPEC = (
    'kind = "crud-resource"\n\n[resource]\nname = "badge"\nowned_by_user = true\n\n'
    '[[resource.fields]]\nname = "label"\ntype = "str"\n\n[auth]\nrequired = true\n'
)


@pytest.fixture
def club(tmp_path: Path) -> Path:
    write_tree(tmp_path, CLUB)
    return tmp_path


def _plan(root: Path) -> tuple[Plan, str]:
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return plan, render_markdown(plan)


def _files(plan: Plan) -> dict[str, str]:
    return {f.path: f.action for f in plan.files}


def test_a_new_router_is_registered_where_its_sibling_is_included(club: Path) -> None:
    plan, text = _plan(club)
    assert _files(plan)["api/__init__.py"] == "modify"
    assert (
        "**Router**: Add `api/badge/v1/badge.py` and register it in "
        "`api/__init__.py`." in text
    )
    assert "- routers are registered in api/__init__.py" in text


def test_a_new_table_goes_into_its_own_models_package(club: Path) -> None:
    plan, _ = _plan(club)
    files = _files(plan)
    assert files["app/badge/models/badge.py"] == "create"
    assert files["app/badge/models/__init__.py"] == "create"
    assert "app/member/models/member.py" not in files


def test_routes_guarded_by_a_permission_class_are_not_told_to_sign_in(
    club: Path,
) -> None:
    plan, text = _plan(club)
    files = _files(plan)
    assert "core/deps/audit.py" not in files
    assert "No current-user dependency was found" not in text
    assert "`PermissionGate` (from `core.deps`)" in text


def test_an_app_wide_dependency_is_not_a_routers_guard(
    club: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = read_project(club, cache=False)
    member = next(r for r in model.routers if r.file == "api/member/v1/member.py")
    assert member.guards == ()
    assert main(["inspect", "--project", str(club)]) == 0
    out = capsys.readouterr().out
    assert "AuditTrail" not in out
    assert "/api/v1/members  api/member/v1/member.py:member_router\n" in out


def test_without_an_app_the_plan_asks_where_routers_are_registered(
    tmp_path: Path,
) -> None:
    router = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/{name}s")\n\n\n'
        '@router.get("/")\n'
        "def list_{name}s(): ...\n"
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "kiosk"\n',
            "kiosk/__init__.py": "",
            "kiosk/routers/__init__.py": "",
            "kiosk/routers/tills.py": router.format(name="till"),
            "kiosk/routers/receipts.py": router.format(name="receipt"),
        },
    )
    plan, text = _plan(tmp_path)
    assert "and register it in `kiosk/routers/badges.py`" not in text
    assert (
        "Where are routers registered? planner found no FastAPI app nor any "
        "module that includes routers." in plan.open_questions
    )
