"""Token settings the project declares already are reused, never twinned."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

SPEC = 'kind = "auth"\nscheme = "password-jwt"\n'

PROJECT = {
    "pyproject.toml": '[project]\nname = "desk"\ndependencies = ["fastapi"]\n',
    "app/__init__.py": "",
    # The secret has no default: declared by its annotation alone.
    "app/config.py": (
        "from pydantic import SecretStr\n"
        "from pydantic_settings import BaseSettings\n\n\n"
        "class Settings(BaseSettings):\n"
        "    JWT_SECRET_KEY: SecretStr\n"
        '    ALGORITHM: str = "HS256"\n'
        '    DATABASE_URL: str = "sqlite://"\n\n\n'
        "settings = Settings()\n"
    ),
    "app/items.py": (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/items")\n\n\n'
        '@router.get("")\ndef items() -> list[dict[str, str]]:\n    return []\n'
    ),
    "app/main.py": (
        "from fastapi import FastAPI\n\nfrom app import items\n\n"
        "app = FastAPI()\napp.include_router(items.router)\n"
    ),
}


def test_existing_token_settings_are_reused(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    spec = parse_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    settings = next(f for f in plan.files if f.path == "app/config.py")
    text = " ".join(settings.guidance)
    assert "Reuse the project's `JWT_SECRET_KEY`, `ALGORITHM`" in text
    assert "`SECRET_KEY: SecretStr`" not in text
    assert "`JWT_ALGORITHM" not in text
    assert "add `ACCESS_TOKEN_EXPIRE_MINUTES = " in text
    assert "while `JWT_SECRET_KEY` is a placeholder" in text


def test_the_role_check_goes_beside_the_current_user(tmp_path: Path) -> None:
    """Not into the session module, which only opens database sessions."""
    files = dict(PROJECT)
    files["app/db.py"] = (
        "from collections.abc import Iterator\n\n"
        "from sqlalchemy.orm import Session\n\n\n"
        "def get_db() -> Iterator[Session]:\n    yield Session()\n"
    )
    files["app/items.py"] = (
        "from fastapi import APIRouter, Depends\nfrom sqlalchemy.orm import Session\n\n"
        "from app.db import get_db\n\n"
        'router = APIRouter(prefix="/items")\n\n\n'
        '@router.get("")\ndef items(db: Session = Depends(get_db)) -> list[str]:\n'
        "    return []\n"
    )
    write_tree(tmp_path, files)
    spec = parse_spec(SPEC + 'roles = ["admin", "member"]\n').spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))

    def holding(text: str) -> str:
        return next(f.path for f in plan.files if any(text in g for g in f.guidance))

    assert holding("`require_role(*roles)`") == holding("Add `get_current_user`")
    assert holding("`require_role(*roles)`") != "app/db.py"
