"""A guard kept as a module-level `Depends(...)` object is a guard like any other."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.inspect.model import read_project
from tests.trees import write_tree

_DEPENDENCY = """\
from fastapi import Depends, Header, HTTPException


class AuthControl:
    @classmethod
    async def is_authed(cls, token: str = Header(...)) -> dict:
        if token != "ok":
            raise HTTPException(status_code=401, detail="Authentication failed")
        return {"id": 1}


DependAuth = Depends(AuthControl.is_authed)
"""

_ROLES = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/list")
async def list_roles() -> list[dict]:
    return []


@router.post("/create")
async def create_role() -> dict:
    return {}
"""


def _project(root: Path) -> Path:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "admin"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\n\nfrom app.core.dependency import "
                "DependAuth\nfrom app.roles import router as roles_router\n\n"
                "app = FastAPI()\napp.include_router(roles_router, "
                'prefix="/role", dependencies=[DependAuth])\n'
            ),
            "app/core/__init__.py": "",
            "app/core/dependency.py": _DEPENDENCY,
            "app/roles.py": _ROLES,
        },
    )
    return root


def test_a_depends_object_in_dependencies_is_read_as_a_guard(tmp_path: Path) -> None:
    model = read_project(_project(tmp_path), cache=False)
    guard = next(g for g in model.guards if g.name == "DependAuth")
    assert guard.file == "app/core/dependency.py"
    assert guard.reads == ("header:token",)
    assert guard.routes == 2


def test_a_new_resource_reuses_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "dept"\n'
        'operations = ["list", "create"]\n\n[[resource.fields]]\n'
        'name = "name"\ntype = "str"\n\n[auth]\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    text = "\n".join(g for f in plan.files for g in f.guidance)
    assert "existing `DependAuth`" in text
    assert "Add `get_current_user`" not in text
