"""Generate a FastAPI-style project of N Python files.

The tree is what planner's inspection meets in a real repository: a domain-
per-package application whose routers, models and schemas carry FastAPI,
SQLAlchemy and pydantic code worth parsing, with tests and Alembic revisions
beside it, and optionally varied crud-resource specs for `planner render` and
`planner check`. The output depends only on the arguments.

    python benchmarks/gen_tree.py DEST [--files 100] [--specs 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

# One domain package: these modules under app/domains/<name>/, three tests and
# one Alembic revision.
DOMAIN_MODULES = (
    "__init__", "router", "models", "schemas", "service", "repository",
    "dependencies", "exceptions", "constants", "utils", "tasks", "events",
    "validators", "filters", "permissions", "serializers",
)  # fmt: skip
TEST_KINDS = ("router", "service", "models")
PER_DOMAIN = len(DOMAIN_MODULES) + len(TEST_KINDS) + 1
FIXED_PY = 10  # the application files `_app` writes

MAIN = '''"""The application."""
from fastapi import FastAPI

from app.core.config import settings
{imports}

app = FastAPI(title=settings.project_name)
{includes}
'''
CONFIG = '''"""Settings."""
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    project_name: str = "Bench"
    database_url: str = "postgresql+psycopg://app@localhost/app"
    api_prefix: str = "/api/v1"


settings = Settings()
'''
DB = '''"""Database engine, session and declarative base."""
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.core.config import settings

engine = create_engine(settings.database_url, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, autoflush=False)


class Base(DeclarativeBase):
    pass


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
'''
DEPS = '''"""Shared dependencies."""
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app.core.db import get_db

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/login/access-token")
SessionDep = Annotated[Session, Depends(get_db)]
TokenDep = Annotated[str, Depends(oauth2_scheme)]


def get_current_user(session: SessionDep, token: TokenDep) -> dict[str, str]:
    if not token:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
    return {{"token": token}}


CurrentUser = Annotated[dict[str, str], Depends(get_current_user)]
'''
ROUTER = '''"""HTTP routes for {name}."""
from fastapi import APIRouter, HTTPException, status

from app.core.deps import CurrentUser, SessionDep
from app.domains.{name} import schemas, service

router = APIRouter(prefix="/{name}s", tags=["{name}"])


@router.get("/", response_model=list[schemas.{cls}Read])
def list_{name}s(
    session: SessionDep, user: CurrentUser, offset: int = 0, limit: int = 50
) -> list[schemas.{cls}Read]:
    return service.list_{name}s(session, offset=offset, limit=limit)


@router.get("/{{item_id}}", response_model=schemas.{cls}Read)
def read_{name}(session: SessionDep, user: CurrentUser, item_id: int):
    found = service.get_{name}(session, item_id)
    if found is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return found


@router.post("/", response_model=schemas.{cls}Read, status_code=201)
def create_{name}(session: SessionDep, user: CurrentUser, body: schemas.{cls}Create):
    return service.create_{name}(session, body)


@router.delete("/{{item_id}}", status_code=204)
def delete_{name}(session: SessionDep, user: CurrentUser, item_id: int) -> None:
    service.delete_{name}(session, item_id)
'''
MODELS = '''"""Tables for {name}."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class {cls}(Base):
    __tablename__ = "{name}s"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
'''
SCHEMAS = '''"""Request and response schemas for {name}."""
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class {cls}Create(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)


class {cls}Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    created_at: datetime
'''
SERVICE = '''"""Data access for {name}."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domains.{name}.models import {cls}
from app.domains.{name}.schemas import {cls}Create


def list_{name}s(session: Session, *, offset: int, limit: int) -> list[{cls}]:
    query = select({cls}).order_by({cls}.id).offset(offset).limit(limit)
    return list(session.scalars(query))


def get_{name}(session: Session, item_id: int) -> {cls} | None:
    return session.get({cls}, item_id)


def create_{name}(session: Session, body: {cls}Create) -> {cls}:
    row = {cls}(**body.model_dump())
    session.add(row)
    session.commit()
    return row


def delete_{name}(session: Session, item_id: int) -> None:
    row = session.get({cls}, item_id)
    if row is not None:
        session.delete(row)
        session.commit()
'''
PLAIN = '''"""{module} helpers for {name}."""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)
{upper}_LIMIT = {number}


def {module}_{name}(value: int) -> int:
    """Return the value bounded for {name}."""
    logger.debug("bounding %s", value)
    return min(value, {upper}_LIMIT)
'''
TEST = '''"""Tests for the {name} {kind}."""
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_{kind}_{name}_lists() -> None:
    response = client.get("/{name}s/")
    assert response.status_code in (200, 401)
'''
REVISION = '''"""create {name}s

Revision ID: {rev}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down_repr}


def upgrade() -> None:
    op.create_table(
        "{name}s",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("{name}s")
'''
PYPROJECT = """[project]
name = "bench-app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [
    "fastapi>=0.115",
    "sqlalchemy>=2.0",
    "pydantic>=2.9",
    "pydantic-settings>=2.5",
    "alembic>=1.13",
]
"""
ALEMBIC_INI = """[alembic]
script_location = alembic
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _domain(root: Path, index: int, down: str | None) -> str:
    """Write one domain package, its tests and its revision; return the revision."""
    name = f"thing{index:04d}"
    cls = f"Thing{index:04d}"
    package = root / "app" / "domains" / name
    special = {"router": ROUTER, "models": MODELS, "schemas": SCHEMAS}
    special["service"] = SERVICE
    for module in DOMAIN_MODULES:
        if module == "__init__":
            text = f'"""The {name} domain."""\n'
        else:
            template = special.get(module, PLAIN)
            text = template.format(
                name=name,
                cls=cls,
                module=module,
                upper=module.upper(),
                number=index % 97 + 3,
            )
        _write(package / f"{module}.py", text)
    for kind in TEST_KINDS:
        test = TEST.format(name=name, kind=kind)
        _write(root / "tests" / "domains" / f"test_{name}_{kind}.py", test)
    rev = f"{index * 7919 % 0xFFFFFFFFFFFF:012x}"
    revision = REVISION.format(name=name, rev=rev, down=down, down_repr=repr(down))
    _write(root / "alembic" / "versions" / f"{rev}_create_{name}s.py", revision)
    return rev


def _app(root: Path, domains: int) -> int:
    """Write the fixed application files; return how many Python files."""
    imports = "\n".join(
        f"from app.domains.thing{i:04d}.router import router as thing{i:04d}_router"
        for i in range(domains)
    )
    includes = "\n".join(
        f'app.include_router(thing{i:04d}_router, prefix="/api/v1")'
        for i in range(domains)
    )
    python = {
        "app/__init__.py": '"""The application package."""\n',
        "app/main.py": MAIN.format(imports=imports, includes=includes),
        "app/core/__init__.py": "",
        "app/core/config.py": CONFIG,
        "app/core/db.py": DB,
        "app/core/deps.py": DEPS.format(),
        "app/domains/__init__.py": "",
        "tests/__init__.py": "",
        "tests/conftest.py": '"""Fixtures."""\nimport pytest\n\n\n'
        "@pytest.fixture\ndef anyio_backend() -> str:\n"
        '    return "asyncio"\n',
        "alembic/env.py": '"""Alembic environment."""\nfrom app.core.db import Base\n'
        "\ntarget_metadata = Base.metadata\n",
    }
    for rel, text in python.items():
        _write(root / rel, text)
    _write(root / "pyproject.toml", PYPROJECT)
    _write(root / "alembic.ini", ALEMBIC_INI)
    _write(root / "requirements.txt", "fastapi==0.115.6\nsqlalchemy==2.0.36\n")
    return len(python)


_WORDS = ("invoice", "order", "ticket", "comment", "device", "booking", "payment")
_TYPES = ("str", "text", "int", "float", "bool", "decimal", "date", "datetime")
_OPERATIONS = ("list", "read", "create", "update", "delete")


def spec_text(index: int) -> str:
    """Return the TOML of the `index`-th generated crud-resource spec."""
    rng = random.Random(index)  # the same specs on every run
    ops = [op for op in _OPERATIONS if rng.random() < 0.8]
    owned = rng.random() < 0.5
    lines = [
        'kind = "crud-resource"',
        "[resource]",
        f'name = "{rng.choice(_WORDS)}_{index}"',
        f"operations = {json.dumps(ops or ['read'])}",
        f"owned_by_user = {str(owned).lower()}",
    ]
    for number in range(rng.randint(1, 8)):
        kind = rng.choice(_TYPES)
        lines += ["[[resource.fields]]", f'name = "attr_{number}"', f'type = "{kind}"']
        lines.append(f"required = {str(rng.random() < 0.6).lower()}")
        if kind == "str":
            lines.append(f"max_length = {rng.choice((50, 120, 200, 500))}")
    auth = owned or rng.random() < 0.6  # an owned resource needs a signed-in user
    lines += ["[auth]", f"required = {str(auth).lower()}"]
    style = rng.choice(("offset", "page", "cursor", "none"))
    return "\n".join([*lines, "[pagination]", f'style = "{style}"', ""])


def generate(root: Path, *, files: int, specs: int = 0) -> int:
    """Write the tree, and `specs` specs in `.planner/specs/`; return `files`.

    Raises:
        ValueError: `files` is too small to hold the fixed application files.
    """
    domains = max(1, (files - FIXED_PY) // PER_DOMAIN)
    written = _app(root, domains)
    down: str | None = None
    for index in range(domains):
        down = _domain(root, index, down)
    written += domains * PER_DOMAIN
    if written > files:
        raise ValueError(f"--files must be at least {written}")
    for extra in range(files - written):
        _write(root / "app" / "extra" / f"pad{extra:04d}.py", f"VALUE = {extra}\n")
    for index in range(specs):
        _write(root / ".planner" / "specs" / f"spec{index:04d}.toml", spec_text(index))
    return files


def main(argv: list[str] | None = None) -> int:
    """Generate the tree named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="folder to create (must not exist)")
    parser.add_argument("--files", type=int, default=100, help="project .py files")
    parser.add_argument("--specs", type=int, default=0, help="crud-resource specs")
    args = parser.parse_args(argv)
    if args.dest.exists():
        parser.error(f"{args.dest} exists; pass a new folder")
    count = generate(args.dest, files=args.files, specs=args.specs)
    print(f"{count} project .py files and {args.specs} specs in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
