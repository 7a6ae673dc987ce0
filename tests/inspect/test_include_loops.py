"""Routers included in a loop over a literal list are served, each at its prefix."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model.project import read_project
from tests.trees import write_tree

_RESOURCES = {
    f"app/routes/{name}.py": (
        "from fastapi import APIRouter\n\n"
        "router = APIRouter()\n\n\n"
        f'@router.get("")\ndef list_{name}(): ...\n'
    )
    for name in ("users", "teams", "clusters")
}


def _served(tmp_path: Path, routes: str) -> list[tuple[str, bool]]:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/routes/__init__.py": "",
            **_RESOURCES,
            "app/auth.py": "def get_admin_user(): ...\n",
            "app/routes/routes.py": routes,
            "app/main.py": (
                "from fastapi import FastAPI\n"
                "from app.routes.routes import api_router\n\n"
                "app = FastAPI()\napp.include_router(api_router)\n"
            ),
        },
    )
    model = read_project(tmp_path)
    return sorted((r.path, r.served) for r in model.routes)


def test_routers_included_from_a_list_of_keyword_dicts(tmp_path: Path) -> None:
    routes = (
        "from fastapi import APIRouter, Depends\n"
        "from app.auth import get_admin_user\n"
        "from app.routes import clusters, teams, users\n\n"
        'base_routers = [{"router": users.router, "prefix": "/users"}]\n'
        "admin_routers = base_routers + [\n"
        '    {"router": teams.router, "prefix": "/teams", "tags": ["Teams"]},\n'
        '    {"router": clusters.router, "prefix": "/clusters"},\n'
        "]\n"
        "admin = APIRouter(dependencies=[Depends(get_admin_user)])\n"
        "for entry in admin_routers:\n"
        "    admin.include_router(**entry)\n\n"
        "api_router = APIRouter()\n"
        'api_router.include_router(admin, prefix="/v2")\n'
    )
    assert _served(tmp_path, routes) == [
        ("/v2/clusters", True),
        ("/v2/teams", True),
        ("/v2/users", True),
    ]


def test_routers_included_from_a_tuple_of_pairs(tmp_path: Path) -> None:
    routes = (
        "from fastapi import APIRouter\n"
        "from app.routes import clusters, teams, users\n\n"
        "api_router = APIRouter()\n"
        "for router, prefix in (\n"
        '    (users.router, "/users"),\n'
        '    (teams.router, "/teams"),\n'
        '    (clusters.router, "/clusters"),\n'
        "):\n"
        '    api_router.include_router(router, prefix="/api" + prefix)\n'
    )
    assert _served(tmp_path, routes) == [
        ("/api/clusters", True),
        ("/api/teams", True),
        ("/api/users", True),
    ]
