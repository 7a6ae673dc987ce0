"""A route's new test goes where the project tests routers, of tied folders."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_ROUTER = (
    "from fastapi import APIRouter\n\n"
    "from app.schemas.{name} import {cls}\n\n"
    "router = APIRouter()\n\n\n"
    '@router.get("")\ndef list_{name}() -> list[{cls}]: ...\n'
)


def test_a_new_route_is_tested_beside_the_router_tests(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/schemas/__init__.py": "",
            **{
                f"app/schemas/{name}.py": (
                    "from sqlmodel import Field, SQLModel\n\n\n"
                    f"class {cls}(SQLModel, table=True):\n"
                    "    id: int | None = Field(default=None, primary_key=True)\n"
                )
                for name, cls in (("clusters", "Cluster"), ("workers", "Worker"))
            },
            "app/routes/__init__.py": "",
            "app/routes/clusters.py": _ROUTER.format(cls="Cluster", name="clusters"),
            "app/routes/workers.py": _ROUTER.format(cls="Worker", name="workers"),
            "app/main.py": (
                "from fastapi import FastAPI\n\n"
                "from app.routes import clusters, workers\n\n"
                "app = FastAPI()\n"
                'app.include_router(clusters.router, prefix="/clusters")\n'
                'app.include_router(workers.router, prefix="/workers")\n'
            ),
            # Each uses the clusters' table; only one folder tests routers.
            "tests/controller/test_provisioning.py": (
                "from app.schemas.clusters import Cluster\n\n\n"
                "def test_provision() -> None:\n    assert Cluster\n"
            ),
            "tests/routers/test_workers.py": (
                "from app.routes import workers\n"
                "from app.schemas.clusters import Cluster\n\n\n"
                "def test_workers() -> None:\n    assert workers.router and Cluster\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "GET"\npath = "/clusters/{id}/dashboard"\n'
        'summary = "The dashboard of a cluster"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    tests = [f.path for f in plan.files if f.path.startswith("tests/")]
    assert tests == ["tests/routers/test_clusters.py"]
