"""A project that stores passwords as typed gets them hashed, rows included."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

SPEC = 'kind = "auth"\nscheme = "password-jwt"\n'

_MODELS = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), unique=True)
    password = Column(String(255))
"""

_SERVICE = """\
from app.models import User


def create_user(session, email: str, password: str) -> User:
    user = User(email=email, password=password)
    session.add(user)
    return user
"""

_HASHED_SERVICE = """\
from passlib.context import CryptContext

from app.models import User

context = CryptContext(schemes=["bcrypt"])


def create_user(session, email: str, password: str) -> User:
    user = User(email=email, password=context.hash(password))
    session.add(user)
    return user
"""


def _project(root: Path, service: str) -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "desk"\ndependencies = ["fastapi"]\n',
            "app/__init__.py": "",
            "app/models.py": _MODELS,
            "app/services.py": service,
            "app/users.py": (
                "from fastapi import APIRouter\n\n"
                "from app import services\n\n"
                'router = APIRouter(prefix="/users")\n\n\n'
                '@router.get("/{user_id}")\n'
                "def read_user(user_id: int) -> dict[str, str]:\n    return {}\n"
            ),
            "app/main.py": (
                "from fastapi import FastAPI\n\nfrom app import users\n\n"
                "app = FastAPI()\napp.include_router(users.router)\n"
            ),
        },
    )


def _plan(root: Path) -> Plan:
    spec = parse_spec(SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _text(plan: Plan) -> str:
    return "\n".join(g for f in plan.files for g in f.guidance)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    root = tmp_path_factory.mktemp("plain")
    _project(root, _SERVICE)
    return _plan(root)


def test_plaintext_rows_are_named_as_a_risk_and_a_question(plain: Plan) -> None:
    assert any("holds them as typed" in r for r in plain.risks)
    assert any("stored passwords are plaintext" in q for q in plain.open_questions)


def test_plaintext_rows_are_hashed_at_the_next_sign_in(plain: Plan) -> None:
    text = _text(plain)
    assert "no stored value is a hash" in text
    assert "`secrets.compare_digest` once" in text
    # No bcrypt hash exists to verify: the plan does not pretend one does.
    assert "bcrypt kept only to verify old ones" not in text
    names = {t.name for t in plain.tests}
    assert "test_login_hashes_stored_plaintext" in names
    assert "test_login_rehashes_old_hash" not in names


def test_a_project_that_hashes_keeps_the_rehash_of_old_hashes(tmp_path: Path) -> None:
    _project(tmp_path, _HASHED_SERVICE)
    plan = _plan(tmp_path)
    assert not any("as typed" in r for r in plan.risks)
    assert "bcrypt kept only to verify old ones" in _text(plan)
    assert "test_login_rehashes_old_hash" in {t.name for t in plan.tests}
