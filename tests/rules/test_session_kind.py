"""A new route takes the session the project's routes take, sync or async."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare, render_markdown
from tests.trees import write_tree

_DB = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)
db_session = scoped_session(SessionLocal)
Base = declarative_base()


def get_db():
    db = db_session()
    try:
        yield db
    finally:
        db.close()
"""

_MODELS = """\
from sqlalchemy import Column, Integer, String

from shop.database import Base


class {cls}(Base):
    __tablename__ = "{plural}"
    id = Column(Integer, primary_key=True)
    name = Column(String)
"""

# Handlers written `async def`, as many are, over the sync session.
_ROUTER = """\
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from shop.database import get_db
from shop.models.{plural} import {cls}

router = APIRouter(prefix="/{plural}")


@router.get("/")
async def list_{plural}({param}):
    return db.query({cls}).all()


@router.post("/", status_code=201)
async def create_{plural}({param}):
    return None


@router.get("/{{item_id}}")
def read_{plural}(item_id: int, {param}):
    return db.get({cls}, item_id)
"""

_SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "coupon"\n'
    'operations = ["list", "create", "read"]\n'
    '[[resource.fields]]\nname = "code"\ntype = "str"\nrequired = true\n'
)


def _plan_text(root: Path, param: str) -> str:
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/database.py": _DB,
        "shop/models/__init__.py": "",
        "shop/routers/__init__.py": "",
        "shop/main.py": (
            "from fastapi import FastAPI\n\n"
            "from shop.routers import orders, products\n\n"
            "app = FastAPI()\n"
            "app.include_router(orders.router)\napp.include_router(products.router)\n"
        ),
    }
    for cls, plural in (("Order", "orders"), ("Product", "products")):
        files[f"shop/models/{plural}.py"] = _MODELS.format(cls=cls, plural=plural)
        files[f"shop/routers/{plural}.py"] = _ROUTER.format(
            cls=cls, plural=plural, param=param
        )
    write_tree(root, files)
    spec = parse_spec(_SPEC).spec
    return render_markdown(make_plan(spec, request=prepare(spec, project=root)))


@pytest.mark.parametrize(
    "param", ["db: Session = Depends(get_db)", "db=Depends(get_db)"]
)
def test_async_handlers_over_a_sync_session_take_the_sync_session(
    tmp_path: Path, param: str
) -> None:
    text = _plan_text(tmp_path, param)
    assert "AsyncSession" not in text
    assert "Annotated[Session, Depends(get_db)]" in text
    assert "(awaited)" not in text
