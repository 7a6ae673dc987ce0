"""A paged route is planned with the classes and functions it names today."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.plan import Plan
from tests.trees import write_tree

_SCHEMAS = """\
from typing import Optional

from pydantic import BaseModel


class Run(BaseModel):
    id: int


class ListRunsRequest(BaseModel):
    project_name: Optional[str]
"""

_SERVICE = """\
async def list_user_runs(session, project_name):
    return []
"""

_ROUTES = """\
from typing import List

from fastapi import APIRouter, Depends

from app.db import get_session
from app.schemas.runs import ListRunsRequest, Run
from app.services import runs

router = APIRouter(prefix="/api/runs")


@router.post("/list")
async def list_runs(body: ListRunsRequest, session=Depends(get_session)) -> List[Run]:
    return await runs.list_user_runs(session=session, project_name=body.project_name)
"""


def _plan(root: Path) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "runs"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routers.runs import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "app/db.py": "async def get_session():\n    yield None\n",
            "app/schemas/__init__.py": "",
            "app/schemas/runs.py": _SCHEMAS,
            "app/services/__init__.py": "",
            "app/services/runs.py": _SERVICE,
            "app/routers/__init__.py": "",
            "app/routers/runs.py": _ROUTES,
        },
    )
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /api/runs/list"\nstyle = "offset"\n'
        'links = "none"\n'
    ).spec
    return make_plan(spec, request=prepare(spec, project=root))


def test_the_route_classes_and_the_called_function_are_named(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    ep = plan.endpoints[0]
    assert (ep.method, ep.request_schema, ep.response_schema) == (
        "POST",
        "ListRunsRequest",
        "list[Run]",
    )
    files = {f.path: " ".join(f.guidance) for f in plan.files}
    assert "`list_runs` calls `list_user_runs` here" in files["app/services/runs.py"]
    assert "RunListRequest" not in str(plan)


def test_a_post_list_takes_its_paging_in_the_body_only(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    route = " ".join(
        g for f in plan.files if f.path == "app/routers/runs.py" for g in f.guidance
    )
    assert "from `ListRunsRequest`" in route
    assert "Query(" not in route
    checks = [t.checks for t in plan.tests if t.name == "test_list_runs_200"]
    assert checks and checks[0].startswith("`POST /api/runs/list`")
