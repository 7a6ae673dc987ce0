"""A paged list breaks ties on its table's own primary key."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_MODELS = """\
from sqlalchemy import Column, DateTime, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class WidgetModel(Base):
    __tablename__ = "widgets"

    widget_id = Column(String, primary_key=True)
    created_at = Column(DateTime)
"""

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/widgets")
def list_widgets() -> list[dict]:
    ...
"""


def test_the_tie_breaker_is_the_tables_primary_key(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "app/__init__.py": "",
            "app/models.py": _MODELS,
            "app/routes.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routes import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /widgets"\nstyle = "offset"\n'
        'sort = ["created_at"]\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert "`ORDER BY created_at ASC, widget_id ASC`" in text
    assert "the `widget_id` tie-breaker" in text
    assert " id ASC" not in text
