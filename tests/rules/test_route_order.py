"""A new route in a module with a catch-all, below a prefix planner cannot read."""

from __future__ import annotations

import pytest

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

_SERVER = """\
from fastapi import APIRouter, FastAPI

from app.config import settings

app = FastAPI()
router = APIRouter(prefix=settings.root_path)


@router.get("/project/settings")
def project_settings(): ...


@router.get("/project/translations")
def project_translations(): ...


@router.get("/{full_path:path}")
def serve(full_path: str): ...


app.include_router(router)
"""

_SPEC = """\
kind = "endpoint"
method = "GET"
path = "/health"
summary = "Report that the server is up"
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    root = tmp_path_factory.mktemp("ui")
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "ui"\n',
            "app/__init__.py": "",
            "app/config.py": (
                "class Settings:\n    root_path = ''\n\n\nsettings = Settings()\n"
            ),
            "app/server.py": _SERVER,
        },
    )
    spec = parse_spec(_SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _guidance(plan: Plan) -> str:
    return "\n".join(
        g for f in plan.files if f.path == "app/server.py" for g in f.guidance
    )


def test_a_new_route_is_declared_above_the_catch_all(plan: Plan) -> None:
    text = _guidance(plan)
    assert "`GET /{full_path:path}` (`app/server.py:" in text
    assert "declare the new route above it" in text


def test_a_prefix_planner_cannot_read_is_not_called_empty(plan: Plan) -> None:
    text = _guidance(plan)
    assert "with no prefix on the router" not in text
    assert "below the prefix `router` is given (no constant planner could read)" in text


def test_a_response_class_the_project_lacks_is_not_said_to_be_reused(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The table exists, but the schema module its siblings' pattern names
    # (`ops/schemas/imports.py`) does not, so neither does `ImportPublic`.
    root = tmp_path_factory.mktemp("ops")
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "ops"\n',
            "ops/__init__.py": "",
            "ops/tables.py": (
                "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column"
                "\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\n"
                "class Import(Base):\n    __tablename__ = 'imports'\n"
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
            "ops/app.py": (
                "from fastapi import FastAPI\nfrom ops import volumes\n\n"
                "app = FastAPI()\napp.include_router(volumes.router)\n"
            ),
            "ops/schemas/__init__.py": "",
            "ops/schemas/volumes.py": (
                "from pydantic import BaseModel\n\n\n"
                "class VolumePublic(BaseModel):\n    id: int\n"
            ),
            "ops/volumes.py": (
                "from fastapi import APIRouter\n\n"
                "from ops.schemas.volumes import VolumePublic\n\n"
                'router = APIRouter(prefix="/volumes")\n\n\n'
                '@router.get("/{volume_id}")\n'
                "def read_volume(volume_id: int) -> VolumePublic: ...\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "GET"\npath = "/imports/{import_id}"\n'
        'summary = "Read an import"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    assert not any("reuses `ImportPublic`" in a for a in plan.assumptions)
    assert any(
        "`ImportPublic`, which planner did not find" in a for a in plan.assumptions
    )
