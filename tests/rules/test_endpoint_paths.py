"""Endpoint paths read as a project reads them: grouping prefixes, `me`, lookup keys."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from planner.spec import EndpointSpec
from tests.trees import write_tree

_MODELS = """\
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
"""

_SCHEMAS = """\
from pydantic import BaseModel


class UserCreate(BaseModel):
    email: str


class UserPublic(UserCreate):
    id: int


class ItemPublic(BaseModel):
    id: int
"""

_DEPS = """\
from fastapi import Depends
from sqlalchemy.orm import Session

from app.models import User


def get_db() -> Session: ...


def get_current_user(session: Session = Depends(get_db)) -> User: ...
"""

# The users' routes: a create through the data-access module, reads and
# deletes with the session in the handler.
_USERS = """\
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app import crud
from app.deps import get_current_user, get_db
from app.models import User
from app.schemas import UserCreate, UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.post("/")
def create_user(data: UserCreate, session: Session = Depends(get_db)) -> UserPublic:
    return crud.create_user(session, data)


@router.get("/me")
def read_user_me(current_user: User = Depends(get_current_user)) -> UserPublic:
    return current_user


@router.get("/{user_id}")
def read_user(user_id: int, session: Session = Depends(get_db)) -> UserPublic:
    return session.get(User, user_id)


@router.delete("/{user_id}")
def delete_user(user_id: int, session: Session = Depends(get_db)) -> None:
    session.delete(session.get(User, user_id))
    session.commit()
"""

_ITEMS = """\
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.deps import get_db
from app.models import Item
from app.schemas import ItemPublic

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/{item_id}")
def read_item(item_id: int, session: Session = Depends(get_db)) -> ItemPublic:
    return session.get(Item, item_id)


@router.delete("/{item_id}")
def delete_item(item_id: int, session: Session = Depends(get_db)) -> None:
    session.delete(session.get(Item, item_id))
    session.commit()
"""

_CRUD = """\
from sqlalchemy.orm import Session

from app.models import User
from app.schemas import UserCreate


def create_user(session: Session, data: UserCreate) -> User:
    user = User(email=data.email)
    session.add(user)
    session.commit()
    return user


def delete_user(session: Session, user: User) -> None:
    session.delete(user)
    session.commit()
"""


def _project(root: Path, **changed: str) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "app"\ndependencies = ["fastapi"]\n',
        "app/__init__.py": "",
        "app/models.py": _MODELS,
        "app/schemas.py": _SCHEMAS,
        "app/deps.py": _DEPS,
        "app/crud.py": _CRUD,
        "app/routes/__init__.py": "",
        "app/routes/users.py": _USERS,
        "app/routes/items.py": _ITEMS,
        "app/main.py": (
            "from fastapi import FastAPI\n\n"
            "from app.routes import items, users\n\n"
            "app = FastAPI()\n"
            "app.include_router(users.router)\n"
            "app.include_router(items.router)\n"
        ),
        "tests/__init__.py": "",
        "tests/test_users.py": "from app.main import app\n",
    }
    files.update(changed)
    write_tree(root, files)


def _plan(text: str, project: Path) -> Plan:
    spec = parse_spec(text).spec
    return make_plan(spec, request=prepare(spec, project=project))


def _guidance(plan: Plan) -> str:
    return "\n".join(g for f in plan.files for g in f.guidance)


_PRIVATE = """\
kind = "endpoint"
method = "POST"
path = "/private/users"
summary = "Create a user directly, for end-to-end tests"

[[request.fields]]
name = "email"
type = "email"
"""


def test_a_post_below_an_audience_prefix_creates_on_the_collection(
    tmp_path: Path,
) -> None:
    """`POST /private/users` creates a user: `private` says who may call it."""
    spec = parse_spec(_PRIVATE).spec
    assert isinstance(spec, EndpointSpec)
    assert spec.effect_or_default == "create"
    plan = make_plan(spec, request=prepare(spec, project=tmp_path, read=False))
    (endpoint,) = plan.endpoints
    assert endpoint.function == "create_user"
    assert endpoint.request_schema == "CreateUserRequest"
    assert "with_for_update" not in _guidance(plan)


def test_a_private_create_answers_with_the_projects_user_schema(
    tmp_path: Path,
) -> None:
    """The new router serves `/private`; the names and schema are the users'."""
    _project(tmp_path)
    plan = _plan(_PRIVATE, tmp_path)
    (endpoint,) = plan.endpoints
    assert (endpoint.method, endpoint.path) == ("POST", "/private/users")
    assert endpoint.function == "create_user"
    assert endpoint.response_schema == "UserPublic"
    assert "creates one user" in plan.summary
    text = _guidance(plan)
    assert "the private" not in text
    assert "with_for_update" not in text


def test_a_projects_own_grouping_prefix_names_no_resource(tmp_path: Path) -> None:
    """Routes under `/console/items` make `console` a prefix, not a resource."""
    console = _ITEMS.replace('prefix="/items"', 'prefix="/console/items"')
    _project(tmp_path, **{"app/routes/items.py": console})
    spec = (
        'kind = "endpoint"\nmethod = "POST"\npath = "/console/users"\n'
        'summary = "Create a user from the console"\n'
    )
    (endpoint,) = _plan(spec, tmp_path).endpoints
    assert endpoint.function == "create_user"
    assert endpoint.response_schema == "UserPublic"


_DELETE_ME = """\
kind = "endpoint"
method = "DELETE"
path = "/users/me"
summary = "Delete the signed-in user's own account"

[auth]
required = true
"""


def test_me_is_the_callers_own_row_deleted_as_the_project_deletes(
    tmp_path: Path,
) -> None:
    """`/users/me` deletes the caller's user, in the handler where deletes are.

    Where the project's deletes call `crud.delete_user`, the new one gets a
    data-access function too.
    """
    _project(tmp_path / "inline")
    plan = _plan(_DELETE_ME, tmp_path / "inline")
    (endpoint,) = plan.endpoints
    assert endpoint.function == "delete_user_me"
    assert "the caller's own user" in plan.summary
    assert "user me" not in plan.summary + _guidance(plan)
    assert [f.path for f in plan.files] == [
        "app/routes/users.py",
        "tests/test_users.py",
    ]
    router = next(f for f in plan.files if f.path == "app/routes/users.py")
    assert any("as `delete_user`" in g for g in router.guidance)
    through = _USERS.replace(
        "    session.delete(session.get(User, user_id))\n    session.commit()\n",
        "    crud.delete_user(session, session.get(User, user_id))\n",
    )
    _project(tmp_path / "through", **{"app/routes/users.py": through})
    plan = _plan(_DELETE_ME, tmp_path / "through")
    assert "app/crud.py" in [f.path for f in plan.files]


_POSTS = """\
kind = "crud-resource"

[resource]
name = "post"
operations = ["list", "read", "create", "delete"]

[[resource.fields]]
name = "title"
type = "str"
"""


def test_a_lookup_key_in_the_path_does_not_type_the_ids(tmp_path: Path) -> None:
    """Users found by `{email}` still have int ids: a new table's ids are ints."""
    by_email = (
        _USERS.replace("/{user_id}", "/{email}")
        .replace("user_id: int", "email: str")
        .replace("session.get(User, user_id)", "session.get(User, email)")
    )
    _project(tmp_path, **{"app/routes/users.py": by_email})
    plan = _plan(_POSTS.replace('"post"', '"user_note"'), tmp_path)
    assert not any("Ids are `str`" in a for a in plan.assumptions)
    model = " ".join(
        g for f in plan.files if f.path == "app/models.py" for g in f.guidance
    )
    assert "id: Mapped[int]" in model
