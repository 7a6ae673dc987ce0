"""Routers wrapped one per resource package are registered where the wrappers are."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.inspect.detect import layout_from_facts
from planner.inspect.project import inspect_project
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "dept"\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)


def _package(name: str) -> dict[str, str]:
    # Each package's __init__ wraps its module's router, as its only include.
    return {
        f"app/api/v1/{name}/__init__.py": (
            "from fastapi import APIRouter\n\n"
            "from .views import router\n\n"
            f"{name}_router = APIRouter()\n"
            f'{name}_router.include_router(router, tags=["{name}"])\n'
        ),
        f"app/api/v1/{name}/views.py": (
            "from fastapi import APIRouter\n\n"
            "router = APIRouter()\n\n\n"
            f'@router.get("/list")\nasync def list_{name}(): ...\n\n\n'
            f'@router.post("/create")\nasync def create_{name}(): ...\n'
        ),
    }


def _project(root: Path) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "admin"\n',
            "app/__init__.py": (
                "from fastapi import FastAPI\n\nfrom app.api.v1 import v1_router\n\n"
                'app = FastAPI()\napp.include_router(v1_router, prefix="/api/v1")\n'
            ),
            "app/api/__init__.py": "",
            "app/api/v1/__init__.py": (
                "from fastapi import APIRouter\n\n"
                "from .apis import apis_router\n"
                "from .roles import roles_router\n"
                "from .users import users_router\n\n"
                "v1_router = APIRouter()\n"
                'v1_router.include_router(apis_router, prefix="/api")\n'
                'v1_router.include_router(roles_router, prefix="/role")\n'
                'v1_router.include_router(users_router, prefix="/user")\n'
            ),
            **_package("apis"),
            **_package("roles"),
            **_package("users"),
        },
    )


def test_the_module_including_the_wrappers_registers_the_routers(
    tmp_path: Path,
) -> None:
    _project(tmp_path)
    layout = layout_from_facts(inspect_project(tmp_path))
    assert layout.router_registry == "app/api/v1/__init__.py"
    spec = parse_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    changed = [f.path for f in plan.files if f.action == "modify"]
    assert "app/api/v1/__init__.py" in changed
    assert not any(
        p.endswith(("apis/__init__.py", "users/__init__.py")) for p in changed
    )
