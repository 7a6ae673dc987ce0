"""A create answers with `Location` only where a route reads the new item."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

_USERS = """\
from fastapi import APIRouter

router = APIRouter(prefix="/users")


@router.get("/{user_id}")
def read_user_by_id(user_id: int): ...
"""


def _plan(root: Path, path: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "app/__init__.py": "",
            "app/users.py": _USERS,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import users\n\n"
                "app = FastAPI()\napp.include_router(users.router)\n"
            ),
        },
    )
    spec = parse_spec(
        f'kind = "endpoint"\nmethod = "POST"\npath = "{path}"\n'
        'summary = "Create one"\neffect = "create"\n'
    ).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _guidance(plan: Plan) -> str:
    return " ".join(g for f in plan.files for g in f.guidance)


def test_location_names_the_projects_read_route(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "/private/users")
    (ep,) = plan.endpoints
    assert any(h.startswith("Location:") for h in ep.success_headers)
    assert 'request.url_for("read_user_by_id", ...)' in _guidance(plan)


def test_no_location_where_no_route_reads_the_item(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "/feedbacks")
    (ep,) = plan.endpoints
    assert not any(h.startswith("Location:") for h in ep.success_headers)
    assert "no URL for a `Location` header" in _guidance(plan)
    assert "with `Location`" not in plan.summary
    assert not any("GET on `Location`" in t.checks for t in plan.tests)
