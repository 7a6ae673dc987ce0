"""A role check the project's routes apply is applied again, its module unchanged.

``Depends(get_admin_user)`` admits the admins as it is: the new routes take
it in their own module, and the module defining it is no file of the plan
unless the plan changes it.
"""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

_AUTH = """\
from fastapi import Depends, HTTPException


async def get_current_user(token: str = ""):
    return {{"token": token}}


async def {check}(user=Depends(get_current_user)):
    if not user:
        raise HTTPException(status_code=403)
    return user
"""

_ROUTES = """\
from fastapi import APIRouter, Depends

from app.api.auth import {check}

router = APIRouter(prefix="/{name}s")


@router.get("")
async def list_{name}s(user=Depends({check})):
    return []


@router.get("/{{{name}_id}}")
async def get_{name}({name}_id: int, user=Depends({check})):
    return None
"""


def _project(root: Path, check: str) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "app"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\n\n"
            "from app.routes import clusters, workers\n\n"
            "app = FastAPI()\napp.include_router(clusters.router)\n"
            "app.include_router(workers.router)\n"
        ),
        "app/api/__init__.py": "",
        "app/api/auth.py": _AUTH.format(check=check),
        "app/routes/__init__.py": "",
    }
    for name in ("cluster", "worker"):
        files[f"app/routes/{name}s.py"] = _ROUTES.format(name=name, check=check)
    write_tree(root, files)


def _plan(root: Path, spec: str) -> Plan:
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


_ENDPOINT = """\
kind = "endpoint"
method = "GET"
path = "/clusters/{cluster_id}/dashboard"
summary = "The dashboard of a cluster"
auth = { required = true, roles = ["admin"] }
"""


def test_an_admin_check_is_applied_in_the_router_and_its_module_kept(
    tmp_path: Path,
) -> None:
    _project(tmp_path, "get_admin_user")
    plan = _plan(tmp_path, _ENDPOINT)
    files = {f.path: " ".join(f.guidance) for f in plan.files}
    assert "app/api/auth.py" not in files
    router = files["app/routes/clusters.py"]
    assert "with the project's own `get_admin_user`" in router
    assert "its module does not change" in router
    # Its name says whom it admits: nothing to ask.
    assert not any("admit exactly" in q for q in plan.open_questions)


def test_a_check_named_for_no_role_of_the_spec_is_asked_about(tmp_path: Path) -> None:
    _project(tmp_path, "require_staff")
    plan = _plan(tmp_path, _ENDPOINT)
    assert "app/api/auth.py" not in {f.path for f in plan.files}
    assert any(
        "Does `require_staff` admit exactly the roles `admin`?" in q
        for q in plan.open_questions
    )


def test_a_scope_the_projects_check_is_named_for_takes_that_check(
    tmp_path: Path,
) -> None:
    """No scope machinery where the project admits those callers by a check."""
    _project(tmp_path, "get_current_super_admin")
    plan = _plan(
        tmp_path,
        'kind = "crud-resource"\n[resource]\nname = "inquiry"\n'
        'operations = ["list", "create"]\n'
        '[[resource.fields]]\nname = "message"\ntype = "str"\n'
        '[auth]\nrequired = true\noperation_scopes = { list = ["superadmin"] }\n',
    )
    files = {f.path: " ".join(f.guidance) for f in plan.files}
    assert "app/api/auth.py" not in files
    text = " ".join(files.values())
    assert "SecurityScopes" not in text
    assert "with the project's own `get_current_super_admin`" in text
