"""Endpoints in real router layouts: POST lists, sibling prefixes, shared routers."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.spec import EndpointSpec
from tests.trees import write_tree

_VOLUMES = """\
from fastapi import APIRouter

root_router = APIRouter(prefix="/api/volumes", tags=["volumes"])
project_router = APIRouter(prefix="/api/project/{project_name}/volumes")


@root_router.post("/list")
async def list_all_volumes(): ...


@project_router.post("/list")
async def list_volumes(project_name: str): ...


@project_router.post("/get")
async def get_volume(project_name: str): ...
"""

_SPEC = """\
kind = "endpoint"
method = "POST"
path = "/project/{project_name}/imports/list"
summary = "List the imports of a project"
"""


def test_a_post_to_a_list_action_reads_a_list() -> None:
    spec = parse_spec(_SPEC).spec
    assert isinstance(spec, EndpointSpec)
    assert spec.effect_or_default == "list"


def test_a_new_module_takes_the_prefix_shape_of_its_siblings_router(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "ops"\n',
            "ops/__init__.py": "",
            "ops/app.py": (
                "from fastapi import FastAPI\n"
                "from ops.routers import fleets, volumes\n\n"
                "app = FastAPI()\n"
                + "".join(
                    f"app.include_router({m}.{r})\n"
                    for m in ("fleets", "volumes")
                    for r in ("root_router", "project_router")
                )
            ),
            "ops/routers/__init__.py": "",
            "ops/routers/volumes.py": _VOLUMES,
            "ops/routers/fleets.py": _VOLUMES.replace("volume", "fleet"),
        },
    )
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert [(e.method, e.path) for e in plan.endpoints] == [
        ("POST", "/api/project/{project_name}/imports/list")
    ]
    assert plan.endpoints[0].function == "list_project_imports"
    router = " ".join(
        g for f in plan.files if f.path == "ops/routers/imports.py" for g in f.guidance
    )
    assert 'APIRouter(prefix="/api/project/{project_name}/imports"' in router
    assert '`@router.post("/list"' in router


def test_a_route_on_a_shared_router_is_written_below_its_mount(tmp_path: Path) -> None:
    # `scripts.py` puts its routes on `base_router`, declared elsewhere and
    # mounted at `/v1`: the new decorator path is `/scripts/...`, not
    # `/v1/scripts/...`, which would be served at `/v1/v1/...`, and it is
    # `@base_router`, the object the module has, not a `router` it lacks.
    routes = (
        "from app.routers import base_router\n\n\n"
        '@base_router.get("/{name}/{{item_id}}")\n'
        "async def get_{one}(item_id: str): ...\n\n\n"
        '@base_router.post("/{name}")\nasync def create_{one}(): ...\n'
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "sky"\n',
            "app/__init__.py": "",
            "app/routers.py": (
                "from fastapi import APIRouter\n\nbase_router = APIRouter()\n"
            ),
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routers import base_router\n"
                "from app import scripts, tasks  # noqa: F401\n\n"
                "app = FastAPI()\n"
                'app.include_router(base_router, prefix="/v1")\n'
            ),
            "app/scripts.py": routes.format(name="scripts", one="script"),
            "app/tasks.py": routes.format(name="tasks", one="task"),
        },
    )
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "DELETE"\n'
        'path = "/scripts/{script_id}/cache"\nsummary = "Clear the cache"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert [e.path for e in plan.endpoints] == ["/v1/scripts/{script_id}/cache"]
    guidance = " ".join(
        g for f in plan.files if f.path == "app/scripts.py" for g in f.guidance
    )
    assert '("/scripts/{script_id}/cache"' in guidance, guidance
    # On the router the module's routes sit on, by its own name.
    assert '`@base_router.delete("/scripts/{script_id}/cache"' in guidance
