"""A new foreign key points at the referenced table as the project names it."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "email_template"\n'
    '[[resource.fields]]\nname = "project"\ntype = "ref"\n'
    'references = "project"\non_delete = "cascade"\n'
)

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/projects")


@router.get("/")
def list_projects(): ...


@router.get("/{project_id}")
def read_project(project_id: int): ...
"""

_MODELS = """\
import re

from sqlalchemy import Column, Integer, String
from sqlalchemy.ext.declarative import declarative_base, declared_attr


def table_name(name):
    parts = re.split("(?=[A-Z])", name)
    return "_".join([p.lower() for p in parts if p])


class CustomBase:
    @declared_attr
    def __tablename__(self):
        return {body}


Base = declarative_base(cls=CustomBase)


class Project(Base):
    id = Column(Integer, primary_key=True)
    name = Column(String)
"""


def _plan(root: Path, models: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "mail"\n',
            "app/__init__.py": "",
            "app/models.py": models,
            "app/projects.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import projects\n\n"
                "app = FastAPI()\napp.include_router(projects.router)\n"
            ),
        },
    )
    spec = parse_spec(SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _key(plan: Plan) -> tuple[str, ...]:
    return next(
        c.constraints
        for t in (plan.data_model.tables if plan.data_model else ())
        for c in t.columns
        if c.name == "project_id"
    )


def test_the_key_points_at_the_table_the_base_names(tmp_path: Path) -> None:
    # `declarative_base(cls=CustomBase)` names `Project`'s table `project`:
    # a key to `projects.id` would fail when the migration runs.
    plan = _plan(tmp_path, _MODELS.replace("{body}", "table_name(self.__name__)"))
    assert _key(plan) == ("FK → project.id ON DELETE CASCADE",)
    assert "The referenced tables exist already: `project`." in plan.assumptions


def test_a_written_table_name_is_the_key_s_table(tmp_path: Path) -> None:
    models = _MODELS.replace(
        "    id = Column(Integer, primary_key=True)\n    name",
        '    __tablename__ = "project_rows"\n'
        "    id = Column(Integer, primary_key=True)\n    name",
        1,
    ).replace("{body}", "table_name(self.__name__)")
    assert _key(_plan(tmp_path, models)) == ("FK → project_rows.id ON DELETE CASCADE",)


def test_an_unread_table_name_is_said_so(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _MODELS.replace("{body}", "naming.table(self)"))
    assert _key(plan) == ("FK → the `Project` table's `id` ON DELETE CASCADE",)


def test_the_key_is_the_referenced_tables_own_primary_key(tmp_path: Path) -> None:
    models = _MODELS.replace(
        "    id = Column(Integer, primary_key=True)\n    name",
        "    project_key = Column(Integer, primary_key=True)\n    name",
        1,
    ).replace("{body}", "table_name(self.__name__)")
    assert _key(_plan(tmp_path, models)) == (
        "FK → project.project_key ON DELETE CASCADE",
    )
