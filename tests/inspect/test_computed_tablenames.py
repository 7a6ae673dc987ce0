"""A base that computes `__tablename__` names its tables as its code says."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inspect.targets import read_model
from tests.trees import write_tree

_ROUTES = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/tags")
def list_tags(): ...
"""

_BASE = """\
import re

from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr

from app.naming import CAMEL, snake


class NamedBase:
    @declared_attr
    def __tablename__(cls):
        return {body}


Base = declarative_base(cls=NamedBase)
"""

_NAMING = """\
import re

CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name):
    return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))
"""

_TABLES = """\
from sqlalchemy import Column, Integer

from app.db import Base


class ProjectTag(Base):
    id = Column(Integer, primary_key=True)
"""


def _tablename(root: Path, body: str) -> str:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "tags"\n',
            "app/__init__.py": "",
            "app/main.py": _ROUTES,
            "app/naming.py": _NAMING,
            "app/db.py": _BASE.replace("{body}", body),
            "app/models.py": _TABLES,
        },
    )
    model = read_model(root)
    assert model is not None
    return next(t.tablename for t in model.tables if t.name == "ProjectTag")


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("cls.__name__.lower()", "projecttag"),
        ('cls.__name__.lower() + "s"', "projecttags"),
        ('f"{snake(cls.__name__)}s"', "project_tags"),
        ('CAMEL.sub("_", cls.__name__).lower()', "project_tag"),
        ('re.sub(r"([a-z])([A-Z])", r"\\1_\\2", cls.__name__).lower()', "project_tag"),
    ],
)
def test_the_base_names_the_table_from_the_class(
    tmp_path: Path, body: str, name: str
) -> None:
    assert _tablename(tmp_path, body) == name


@pytest.mark.parametrize(
    "body",
    [
        # A library's inflector, a setting, a name open to the subclass: all
        # are for planner to say it does not know, never to guess.
        "inflection.tableize(cls.__name__)",
        "settings.PREFIX + cls.__name__.lower()",
        "cls.__table_prefix__ + cls.__name__.lower()",
    ],
)
def test_a_name_planner_cannot_follow_is_unknown(tmp_path: Path, body: str) -> None:
    assert _tablename(tmp_path, body) == ""
