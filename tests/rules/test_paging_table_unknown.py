"""A list whose table planner could not find says so, instead of naming one."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_ROUTES = """\
from fastapi import APIRouter

from app.db import fetch_all

router = APIRouter(prefix="/payments")


@router.get("")
async def list_payments() -> list[dict]:
    return await fetch_all("SELECT * FROM apipayments")
"""

_MODELS = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


@pytest.mark.parametrize("tabled", [False, True])
def test_the_listed_table_is_named_only_when_found(
    tmp_path: Path, tabled: bool
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "bank"\n',
            "app/__init__.py": "",
            "app/db.py": "async def fetch_all(sql): ...\n",
            "app/payments.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import payments\n\n"
                "app = FastAPI()\napp.include_router(payments.router)\n"
            ),
            **({"app/models.py": _MODELS} if tabled else {}),
        },
    )
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /payments"\nstyle = "offset"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    found = any("live in the `payments` table" in a for a in plan.assumptions)
    guessed = any("found no table class" in a for a in plan.assumptions)
    assert (found, guessed) == (tabled, not tabled)
