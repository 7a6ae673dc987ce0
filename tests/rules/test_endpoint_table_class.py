"""An endpoint queries the table the path names by the project's own class name."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_MODELS = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ProjectModel(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)


class ImportModel(Base):
    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(primary_key=True)
"""

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/projects")


@router.get("/{project_id}")
async def read_project(project_id: int): ...
"""


def test_the_list_selects_the_projects_class(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "ship"\n',
            "app/__init__.py": "",
            "app/models.py": _MODELS,
            "app/projects.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import projects\n\n"
                "app = FastAPI()\napp.include_router(projects.router)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "GET"\npath = "/projects/{project_id}/imports"\n'
        'summary = "List imports"\neffect = "list"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert "`select(ImportModel)`" in guidance
    assert "ImportModelNotFound" not in guidance
