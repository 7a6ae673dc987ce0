"""Guidance writes parameters in the form the project's FastAPI version reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

# A project pinned to FastAPI 0.81: `Annotated` parameters came in 0.95.
OLD = {
    "pyproject.toml": (
        '[project]\nname = "shop"\ndependencies = ["fastapi==0.81.0", '
        '"sqlalchemy==2.0.20"]\n'
    ),
    "app/__init__.py": "",
    "app/db.py": (
        "from sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
        "async def get_db() -> AsyncSession:\n    ...\n"
    ),
    "app/models.py": (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "class Tag(Base):\n"
        '    __tablename__ = "tags"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    name: Mapped[str]\n"
    ),
    "app/routers/__init__.py": "",
    "app/routers/tags.py": (
        "from fastapi import APIRouter, Depends\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n\n"
        "from app.db import get_db\n\n"
        'router = APIRouter(prefix="/tags")\n\n\n'
        '@router.get("/")\n'
        "async def list_tags(session: AsyncSession = Depends(get_db)):\n"
        "    return []\n\n\n"
        '@router.get("/{tag_id}")\n'
        "async def read_tag(tag_id: int, session: AsyncSession = Depends(get_db)):\n"
        "    ...\n"
    ),
    "app/main.py": (
        "from fastapi import FastAPI\n\n"
        "from app.routers import tags\n\n"
        "app = FastAPI()\n"
        "app.include_router(tags.router)\n"
    ),
}

CRUD = (
    'kind = "crud-resource"\n[resource]\nname = "label"\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)
ENDPOINT = (
    'kind = "endpoint"\nmethod = "PUT"\npath = "/tags/{tag_id}"\n'
    'summary = "Replace a tag"\netag = true\nrequire_if_match = true\n'
    "auth = { required = true }\n"
    '[query]\n[[query.fields]]\nname = "dry_run"\ntype = "bool"\nrequired = false\n'
    '[[request.fields]]\nname = "name"\ntype = "str"\n'
)
PAGINATION = (
    'kind = "pagination"\ntarget = "GET /tags"\nstyle = "offset"\n'
    "default_size = 20\nmax_size = 100\n"
)


def _plan(root: Path, spec: str, fastapi: str = "0.81.0") -> Plan:
    files = dict(OLD)
    files["pyproject.toml"] = files["pyproject.toml"].replace("0.81.0", fastapi)
    write_tree(root, files)
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _guidance(plan: Plan, path: str) -> str:
    return "\n".join(next(f for f in plan.files if f.path == path).guidance)


def test_crud_path_ids_and_session_use_defaults_before_0_95(tmp_path: Path) -> None:
    plan = _plan(tmp_path, CRUD)
    router = _guidance(plan, "app/routers/labels.py")
    assert "`session: AsyncSession = Depends(get_db)`" in router
    assert "path ids as `label_id: int = Path()`" in router
    assert "Annotated[" not in router


def test_crud_path_ids_are_annotated_from_0_95(tmp_path: Path) -> None:
    plan = _plan(tmp_path, CRUD, fastapi="0.110.0")
    router = _guidance(plan, "app/routers/labels.py")
    assert "`session: Annotated[AsyncSession, Depends(get_db)]`" in router
    assert "path ids as `label_id: Annotated[int, Path()]`" in router


def test_endpoint_parameters_use_defaults_before_0_95(tmp_path: Path) -> None:
    plan = _plan(tmp_path, ENDPOINT)
    router = _guidance(plan, "app/routers/tags.py")
    for declared in (
        "`tag_id: int = Path()`",
        "`dry_run: bool | None = Query(None)`",
        "`if_match: str | None = Header(None)`",
        "`session: AsyncSession = Depends(get_db)`",
    ):
        assert declared in router
    assert "Annotated[" not in router


def test_paging_parameters_use_defaults_before_0_95(tmp_path: Path) -> None:
    plan = _plan(tmp_path, PAGINATION)
    router = _guidance(plan, "app/routers/tags.py")
    assert (
        "`limit: int = Query(20, ge=1, le=100)`, `offset: int = Query(0, ge=0)`"
        in router
    )
    assert "Annotated[" not in router


@pytest.mark.parametrize("fastapi", ["0.95.0", "0.115.0"])
def test_paging_parameters_are_annotated_from_0_95(
    tmp_path: Path, fastapi: str
) -> None:
    plan = _plan(tmp_path, PAGINATION, fastapi=fastapi)
    router = _guidance(plan, "app/routers/tags.py")
    assert (
        "`limit: Annotated[int, Query(ge=1, le=100)] = 20`, "
        "`offset: Annotated[int, Query(ge=0)] = 0`" in router
    )
    # Pydantic models as query parameters need FastAPI 0.115.
    grouped = "`Annotated[Params, Query()]`" in router
    assert grouped == (fastapi == "0.115.0")
