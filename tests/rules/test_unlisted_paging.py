"""Paging a list the project lacks: placed by analogy, flagged, no table invented."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

# Resources live in packages (`shop/tags/`); tables in `shop/db/tables.py`,
# which also maps `labels`, a table no route lists yet.
PROJECT = {
    "pyproject.toml": (
        '[project]\nname = "shop"\ndependencies = ["fastapi==0.110.0", '
        '"sqlalchemy==2.0.20", "alembic==1.13.0"]\n'
    ),
    "alembic.ini": "[alembic]\nscript_location = migrations\n",
    "migrations/env.py": "from shop.db.tables import Base\n",
    "migrations/versions/1a2b3c4d5e6f_init.py": (
        'revision = "1a2b3c4d5e6f"\ndown_revision = None\n'
    ),
    "shop/__init__.py": "",
    "shop/db/__init__.py": "",
    "shop/db/session.py": (
        "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
        "async def get_session() -> AsyncSession:\n    ...\n"
    ),
    "shop/db/tables.py": (
        "from datetime import datetime\n\n"
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "class Tag(Base):\n"
        '    __tablename__ = "tags"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    name: Mapped[str]\n\n\n"
        "class Label(Base):\n"
        '    __tablename__ = "labels"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    created_at: Mapped[datetime]\n"
    ),
    "shop/tags/__init__.py": "",
    "shop/tags/schemas.py": (
        "from pydantic import BaseModel\n\n\n"
        "class TagPublic(BaseModel):\n    id: int\n    name: str\n"
    ),
    "shop/tags/service.py": (
        "from sqlalchemy import select\n\n"
        "from shop.db.tables import Tag\n\n\n"
        "async def list_tags(session):\n"
        "    return (await session.scalars(select(Tag))).all()\n"
    ),
    "shop/tags/router.py": (
        "from typing import Annotated\n\n"
        "from fastapi import APIRouter, Depends\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n\n"
        "from shop.db.session import get_session\n"
        "from shop.tags import service\n"
        "from shop.tags.schemas import TagPublic\n\n"
        'router = APIRouter(prefix="/tags")\n\n\n'
        '@router.get("")\n'
        "async def list_tags(\n"
        "    session: Annotated[AsyncSession, Depends(get_session)],\n"
        ") -> list[TagPublic]:\n"
        "    return await service.list_tags(session)\n\n\n"
        '@router.get("/{tag_id}")\n'
        "async def read_tag(\n"
        "    tag_id: int, session: Annotated[AsyncSession, Depends(get_session)]\n"
        ") -> TagPublic:\n"
        "    ...\n"
    ),
    "shop/main.py": (
        "from fastapi import FastAPI\n\n"
        "from shop.tags.router import router as tags_router\n\n"
        "app = FastAPI()\n"
        "app.include_router(tags_router)\n"
    ),
    "tests/__init__.py": "",
    "tests/test_tags.py": "def test_list_tags(client):\n    ...\n",
}

CURSOR = (
    'kind = "pagination"\ntarget = "GET /{name}"\nstyle = "cursor"\n'
    'default_size = 20\nmax_size = 100\nsort = ["created_at", "id"]\n'
)
PRODUCTS = (
    'kind = "endpoint"\nmethod = "GET"\npath = "/products"\n'
    'summary = "List products"\netag = true\n'
    '[paginated]\nstyle = "cursor"\nsort = ["-created_at", "-id"]\n'
)


def _plan(root: Path, spec: str) -> Plan:
    write_tree(root, PROJECT)
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _files(plan: Plan) -> dict[str, str]:
    return {f.path: f.action for f in plan.files}


def test_an_unserved_list_goes_where_resources_live(tmp_path: Path) -> None:
    plan = _plan(tmp_path, CURSOR.format(name="items"))
    assert _files(plan) == {
        "shop/items/__init__.py": "create",
        "shop/items/router.py": "create",
        "shop/items/schemas.py": "create",
        "shop/items/service.py": "create",
        "shop/main.py": "modify",
        "tests/test_items.py": "create",
    }
    assert plan.risks == (
        "planner found no `GET /items` among the routes the project serves; the "
        "closest lists it serves are `GET /tags`. Check the spec's `target` "
        "before following this plan: it adds the list where a new resource's "
        "modules go, then pages it.",
    )


def test_no_table_is_altered_that_the_project_lacks(tmp_path: Path) -> None:
    plan = _plan(tmp_path, CURSOR.format(name="items"))
    assert plan.data_model is None or not plan.data_model.tables
    assert not any(f.path.startswith("migrations/") for f in plan.files)
    assert (
        "No `items` table was found in the project: which table holds these "
        "rows? Declare `ix_items_created_at_id` on (created_at, id) with it, in "
        "the migration that creates it or in a new one."
    ) in plan.open_questions


def test_an_unserved_list_over_an_existing_table_indexes_it(tmp_path: Path) -> None:
    plan = _plan(tmp_path, CURSOR.format(name="labels"))
    files = _files(plan)
    assert files["shop/db/tables.py"] == "modify"
    migrations = [p for p in files if p.startswith("migrations/versions/")]
    assert len(migrations) == 1 and migrations[0].endswith("_alter_labels.py")
    assert files["shop/labels/router.py"] == "create"


def test_a_new_paged_endpoint_alters_no_missing_table(tmp_path: Path) -> None:
    plan = _plan(tmp_path, PRODUCTS)
    assert not any(f.path.startswith("migrations/") for f in plan.files)
    assert "shop/db/tables.py" not in _files(plan)
    assert plan.data_model is None or not plan.data_model.tables
    assert any(
        q.startswith("No `products` table was found in the project")
        for q in plan.open_questions
    )
