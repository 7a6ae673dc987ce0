"""Auth plans read against small projects as a security reviewer would.

Each plan says one thing once: the status a new account answers, which
columns an existing users table lacks, and the dependency idiom the
project's FastAPI understands.
"""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, prepare
from planner.spec import AuthSpec
from tests.trees import write_tree

MAIN = """\
from fastapi import FastAPI

from shop.routers import items, users

app = FastAPI()
app.include_router(items.router)
app.include_router(users.router)
"""

ITEMS = """\
from fastapi import APIRouter

from shop.schemas import ItemIn, ItemOut

router = APIRouter(prefix="/items")


@router.post("", response_model=ItemOut)
async def create_item(body: ItemIn) -> ItemOut:
    ...


@router.get("/{item_id}", response_model=ItemOut)
async def read_item(item_id: int) -> ItemOut:
    ...
"""

USERS = """\
from fastapi import APIRouter

from shop.schemas import UserOut

router = APIRouter(prefix="/users")


@router.get("/{user_id}", response_model=UserOut)
async def read_user(user_id: int) -> UserOut:
    ...
"""

SCHEMAS = """\
from pydantic import BaseModel


class ItemIn(BaseModel):
    name: str


class ItemOut(BaseModel):
    id: int
    name: str


class UserOut(BaseModel):
    id: int
    email: str
"""


def _shop(root: Path, **extra: str) -> Path:
    write_tree(
        root,
        {
            "shop/__init__.py": "",
            "shop/main.py": MAIN,
            "shop/routers/__init__.py": "",
            "shop/routers/items.py": ITEMS,
            "shop/routers/users.py": USERS,
            "shop/schemas.py": SCHEMAS,
        }
        | extra,
    )
    return root


def _plan(root: Path, **spec: object) -> Plan:
    auth = AuthSpec.model_validate({"kind": "auth"} | spec)
    return make_plan(auth, request=prepare(auth, project=root))


def _bullets(plan: Plan) -> list[str]:
    return [g for f in plan.files for g in f.guidance]


def test_registration_answers_the_projects_create_status_everywhere(
    tmp_path: Path,
) -> None:
    plan = _plan(_shop(tmp_path), scheme="password-jwt", registration=True)
    register = next(ep for ep in plan.endpoints if ep.function == "register")
    assert register.success_status == 200
    said = [g for g in _bullets(plan) if g.startswith("`register` —")]
    assert said and all("→ 200 with" in g for g in said)
    names = [t.name for t in plan.tests]
    assert "test_register_200" in names
    assert "test_register_201" not in names


def test_a_new_api_key_answers_the_projects_create_status_everywhere(
    tmp_path: Path,
) -> None:
    plan = _plan(_shop(tmp_path), scheme="api-key", roles=["admin", "client"])
    create = next(ep for ep in plan.endpoints if ep.function == "create_api_key")
    assert create.success_status == 200
    names = [t.name for t in plan.tests]
    assert "test_create_api_key_200" in names
    assert "test_create_api_key_201" not in names
    assert not [g for g in _bullets(plan) if "create (201" in g]


MODELS = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(320), unique=True, nullable=False)
    nickname = Column(String(64), nullable=False)
"""


def test_an_existing_users_table_gets_only_the_columns_it_lacks(
    tmp_path: Path,
) -> None:
    plan = _plan(_shop(tmp_path, **{"shop/models.py": MODELS}), scheme="oidc")
    assert plan.data_model is not None
    users = next(t for t in plan.data_model.tables if t.name == "users")
    assert users.action == "alter"
    assert [c.name for c in users.columns] == ["issuer", "subject", "is_active"]
    model = next(f for f in plan.files if f.path == "shop/models.py")
    said = " ".join(model.guidance)
    assert "Add `issuer`" in said
    assert not [g for g in model.guidance if "Add `email`" in g or "Add `id`" in g]
    assert "only if a base class or mixin" in said
    assert not [q for q in plan.open_questions if "which of the columns" in q]


def test_an_old_fastapi_is_told_no_annotated_dependencies(tmp_path: Path) -> None:
    pins = {"requirements.txt": "fastapi==0.81.0\nsqlalchemy==1.4.40\n"}
    plan = _plan(_shop(tmp_path, **pins), scheme="password-jwt", registration=True)
    said = _bullets(plan)
    assert not [g for g in said if "Annotated[" in g or "`CurrentUser`" in g]
    form = "`form_data: OAuth2PasswordRequestForm = Depends()`"
    assert [g for g in said if form in g]
    assert [g for g in said if "`current_user: User = Depends(get_current_user)`" in g]


def test_a_current_fastapi_keeps_the_annotated_alias(tmp_path: Path) -> None:
    pins = {"requirements.txt": "fastapi==0.115.0\n"}
    plan = _plan(_shop(tmp_path, **pins), scheme="password-jwt", registration=True)
    said = _bullets(plan)
    assert [g for g in said if "CurrentUser = Annotated[User" in g]
    assert [g for g in said if "Annotated[OAuth2PasswordRequestForm, Depends()]" in g]
