"""A new table in a project whose base names its tables is named by that base."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare, render_markdown
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "email_template"\n'
    'operations = ["list", "create", "read", "delete"]\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\nunique = true\n'
    '[[resource.fields]]\nname = "parent"\ntype = "ref"\n'
    'references = "email_template"\nrequired = false\n'
    '[[resource.fields]]\nname = "project"\ntype = "ref"\nreferences = "project"\n'
    '[pagination]\nstyle = "cursor"\nsort = ["-created_at"]\n'
)

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/projects")


@router.get("/")
def list_projects(): ...


@router.get("/{project_id}")
def read_project(project_id: int): ...
"""

# The full-stack template's `app/db/base_class.py`: the class's name, lowered.
_LOWERED = """\
from typing import Any

from sqlalchemy.ext.declarative import as_declarative, declared_attr


@as_declarative()
class Base:
    id: Any
    __name__: str

    @declared_attr
    def __tablename__(cls) -> str:
        return cls.__name__.lower()
"""

_LOWERED_MODELS = """\
from sqlalchemy import Column, Integer, String

from app.db.base_class import Base


class Project(Base):
    id = Column(Integer, primary_key=True)
    name = Column(String)
"""

# `declarative_base(cls=CustomBase)` with a snake-case helper, and a mixin.
_SNAKE = """\
import re

from sqlalchemy import Column, DateTime
from sqlalchemy.orm import declarative_base, declared_attr


def resolve_table_name(name):
    names = re.split("(?=[A-Z])", name)
    return "_".join([x.lower() for x in names if x])


class CustomBase:
    @declared_attr
    def __tablename__(self):
        return {body}


Base = declarative_base(cls=CustomBase)


class TimeStampMixin:
    created_at = Column(DateTime)
    updated_at = Column(DateTime)
"""

_SNAKE_MODELS = """\
from sqlalchemy import Column, Integer, String

from app.db.base_class import Base, TimeStampMixin


class Project(Base, TimeStampMixin):
    id = Column(Integer, primary_key=True)
    name = Column(String)
"""

_INI = "[alembic]\nscript_location = alembic\n"
_FIRST = """\
revision = "aaaa00000001"
down_revision = None


def upgrade():
    pass
"""


def _plan(root: Path, base: str, models: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "mail"\n',
            "alembic.ini": _INI,
            "alembic/env.py": "",
            "alembic/versions/aaaa00000001_add_projects.py": _FIRST,
            "app/__init__.py": "",
            "app/db/__init__.py": "",
            "app/db/base_class.py": base,
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


def _table(plan: Plan) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The new table's name, its index names and its self-reference's key."""
    (table,) = plan.data_model.tables if plan.data_model else ()
    parent = next(c for c in table.columns if c.name == "parent_id")
    return table.name, tuple(i.name for i in table.indexes), parent.constraints


def _model_guidance(plan: Plan) -> str:
    return " ".join(
        g for f in plan.files if f.purpose.endswith("table model") for g in f.guidance
    )


def _migration(plan: Plan) -> tuple[str, str]:
    path = next(f.path for f in plan.files if f.path.startswith("alembic/versions/"))
    steps = " ".join(plan.data_model.migration if plan.data_model else ())
    return path, steps


def test_a_lowering_base_names_the_new_table(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _LOWERED, _LOWERED_MODELS)
    name, indexes, parent = _table(plan)
    assert name == "emailtemplate"
    assert "uq_emailtemplate_title" in indexes
    assert all(i.startswith("ix_emailtemplate_") for i in indexes if "uq_" not in i)
    assert parent == ("FK → emailtemplate.id ON DELETE RESTRICT",)
    # The key to its own table points at the table the plan makes.
    assert "The referenced tables exist already: `project`." in plan.assumptions
    guidance = _model_guidance(plan)
    assert "with no `__tablename__` (the project's `Base` names it" in guidance
    assert "names it `emailtemplate`" in guidance
    assert "__tablename__ = " not in guidance
    path, steps = _migration(plan)
    assert path.endswith("_add_emailtemplate.py")
    assert '-m "add emailtemplate"' in steps
    # The prose, the diagram and the steps name no table the base would not make.
    text = render_markdown(plan)
    assert "`email_templates` table" not in text
    assert "email_templates {" not in text
    assert "emailtemplate {" in text


def test_a_snake_case_base_names_the_new_table(tmp_path: Path) -> None:
    body = "resolve_table_name(self.__name__)"
    plan = _plan(tmp_path, _SNAKE.replace("{body}", body), _SNAKE_MODELS)
    name, indexes, parent = _table(plan)
    assert name == "email_template"
    assert "uq_email_template_title" in indexes
    assert parent == ("FK → email_template.id ON DELETE RESTRICT",)
    guidance = _model_guidance(plan)
    # Declared as `Project` is (its mixin's columns left out), and unnamed.
    assert "`class EmailTemplate(Base, TimeStampMixin)`" in guidance
    assert "No `__tablename__`: the project's `CustomBase` names it" in guidance
    assert "names it `email_template`" in guidance
    assert "__tablename__ = " not in guidance
    assert _migration(plan)[0].endswith("_add_email_template.py")
    assert "The `email_template` table takes" in " ".join(plan.assumptions)


def test_a_base_planner_cannot_follow_keeps_the_plural_and_says_so(
    tmp_path: Path,
) -> None:
    base = _SNAKE.replace("{body}", "naming.table(self)")
    plan = _plan(tmp_path, base, _SNAKE_MODELS)
    assert _table(plan)[0] == "email_templates"
    guidance = _model_guidance(plan)
    assert "computes its tables' names in code planner could not follow" in guidance
    assert "in place of `email_templates`" in guidance
    assert _migration(plan)[0].endswith("_add_email_templates.py")


def test_a_model_read_back_from_its_cache_names_the_table_alike(
    tmp_path: Path,
) -> None:
    body = "resolve_table_name(self.__name__)"
    first = _plan(tmp_path, _SNAKE.replace("{body}", body), _SNAKE_MODELS)
    assert list((tmp_path / ".planner/cache/model").glob("*"))
    spec = parse_spec(SPEC).spec
    again = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert _table(again) == _table(first)
    assert _table(again)[0] == "email_template"
