"""An owner's key points at the project's users table, typed as its id is."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "note"\nowned_by_user = true\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/tags")


@router.get("/")
def list_tags(): ...


@router.get("/{tag_id}")
def read_tag(tag_id: int): ...
"""


def _plan(root: Path, models: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/models.py": models,
            "app/tags.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import tags\n\n"
                "app = FastAPI()\napp.include_router(tags.router)\n"
            ),
        },
    )
    spec = parse_spec(SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _owner(plan: Plan) -> tuple[str, tuple[str, ...]]:
    column = next(
        c
        for t in (plan.data_model.tables if plan.data_model else ())
        for c in t.columns
        if c.name == "owner_id"
    )
    return column.type, column.constraints


_BASE = (
    "import uuid\n\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
    "class Base(DeclarativeBase):\n    pass\n\n\n"
    "class Tag(Base):\n"
    '    __tablename__ = "tags"\n'
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
)


def test_the_owner_key_takes_the_users_table_and_its_id_type(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        _BASE + "\n\nclass User(Base):\n"
        '    __tablename__ = "accounts_user"\n'
        "    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)\n",
    )
    assert _owner(plan) == ("Uuid", ("FK → accounts_user.id ON DELETE CASCADE",))
    public = next(s for s in plan.schemas if s.role == "response body")
    assert [f.type for f in public.fields if f.name == "owner_id"] == ["UUID"]


def test_without_a_users_table_the_key_is_not_made_up(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _BASE)
    kind, constraints = _owner(plan)
    assert kind == "the type of the users' key"
    assert constraints == ("FK → the users table's key ON DELETE CASCADE",)


_DECLARED = """\
from typing import Any

from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import as_declarative, declared_attr


@as_declarative()
class Base:
    id: Any
    __name__: str

    @declared_attr
    def __tablename__(cls) -> str:
        return cls.__name__.lower()


class Tag(Base):
    id = Column(Integer, primary_key=True)
    name = Column(String)


class User(Base):
    id = Column(Integer, primary_key=True)
"""


def test_tables_named_by_their_base_are_tables(tmp_path: Path) -> None:
    # `Base` computes each table's name (`user`, the class's name in lower
    # case), and its `id: Any` hint is no column the new table would inherit.
    plan = _plan(tmp_path, _DECLARED)
    assert _owner(plan) == ("Integer", ("FK → user.id ON DELETE CASCADE",))
    assert not any("takes `id` from the base" in a for a in plan.assumptions)


_CUSTOM_BASE = """\
import re

from sqlalchemy import Column, Integer, String
from sqlalchemy.ext.declarative import declarative_base, declared_attr


def table_name(name):
    \"\"\"CamelCase to snake_case.\"\"\"
    parts = re.split("(?=[A-Z])", name)
    return "_".join([p.lower() for p in parts if p])


class CustomBase:
    @declared_attr
    def __tablename__(self):
        return {body}


Base = declarative_base(cls=CustomBase)


class Tag(Base):
    id = Column(Integer, primary_key=True)
    name = Column(String)


class User(Base):
    id = Column(Integer, primary_key=True)
"""


def test_a_base_made_from_a_custom_class_names_the_users_table(
    tmp_path: Path,
) -> None:
    # `declarative_base(cls=CustomBase)` derives from `CustomBase`, whose
    # `__tablename__` snake-cases the class name.
    models = _CUSTOM_BASE.replace("{body}", "table_name(self.__name__)")
    plan = _plan(tmp_path, models)
    assert _owner(plan) == ("Integer", ("FK → user.id ON DELETE CASCADE",))


def test_a_table_name_planner_cannot_follow_is_not_guessed(tmp_path: Path) -> None:
    # A name from a library's inflector is unknown: never `users` or `user`.
    models = _CUSTOM_BASE.replace("{body}", "inflect.plural(self.__name__)")
    plan = _plan(tmp_path, models)
    assert _owner(plan) == (
        "Integer",
        ("FK → the `User` table's `id` ON DELETE CASCADE",),
    )


_LIBRARY_USER = """\
from fastapi_users_db_sqlalchemy import SQLAlchemyBaseUserTableUUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)


class User(SQLAlchemyBaseUserTableUUID, Base):
    pass
"""


def test_a_users_table_named_by_its_library_base(tmp_path: Path) -> None:
    # fastapi-users' base declares `__tablename__ = "user"` and a UUID key.
    plan = _plan(tmp_path, _LIBRARY_USER)
    assert _owner(plan) == ("Uuid", ("FK → user.id ON DELETE CASCADE",))


def test_a_tablename_written_over_the_library_base_wins(tmp_path: Path) -> None:
    models = _LIBRARY_USER.replace(
        "SQLAlchemyBaseUserTableUUID, Base):\n    pass",
        'SQLAlchemyBaseUserTableUUID, Base):\n    __tablename__ = "people"',
    )
    assert _owner(_plan(tmp_path, models)) == (
        "Uuid",
        ("FK → people.id ON DELETE CASCADE",),
    )


_OWNED_ROWS = """\
import uuid

from fastapi_users_db_sqlalchemy import SQLAlchemyBaseUserTableUUID
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.config import AUTH_TYPE


class Base(DeclarativeBase):
    pass


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    user_id = Column(
        UUID(as_uuid=True), ForeignKey("user.id", ondelete="CASCADE"), nullable=False
    )
    created_by_id = Column(
        UUID(as_uuid=True), ForeignKey("user.id", ondelete="SET NULL")
    )


class Folder(Base):
    __tablename__ = "folders"
    id = Column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_by_id = Column(
        UUID(as_uuid=True), ForeignKey("user.id", ondelete="SET NULL")
    )


class Report(Base):
    __tablename__ = "reports"
    id = Column(Integer, primary_key=True)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id", ondelete="CASCADE"))
    author_id = Column(UUID(as_uuid=True), ForeignKey("user.id", ondelete="SET NULL"))


if AUTH_TYPE == "GOOGLE":

    class User(SQLAlchemyBaseUserTableUUID, Base):
        display_name = Column(String)

else:

    class User(SQLAlchemyBaseUserTableUUID, Base):
        pass
"""


def _column(plan: Plan, name: str) -> tuple[str, tuple[str, ...]] | None:
    return next(
        (
            (c.type, c.constraints)
            for t in (plan.data_model.tables if plan.data_model else ())
            for c in t.columns
            if c.name == name
        ),
        None,
    )


def test_the_owner_key_is_named_as_the_projects_owned_rows_name_theirs(
    tmp_path: Path,
) -> None:
    # Every owned row keys its user with `user_id` (authors' `created_by_id`,
    # set null when the user goes, are no owners), and the users table,
    # defined under an `if`, takes its UUID key from fastapi-users' base.
    plan = _plan(tmp_path, _OWNED_ROWS)
    assert _column(plan, "owner_id") is None
    assert _column(plan, "user_id") == ("Uuid", ("FK → user.id ON DELETE CASCADE",))
    public = next(s for s in plan.schemas if s.role == "response body")
    assert [f.type for f in public.fields if f.name == "user_id"] == ["UUID"]
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert "`Note.user_id == user_id`" in text
    assert "owner_id" not in text


def test_owned_rows_that_disagree_leave_the_owner_id(tmp_path: Path) -> None:
    models = _OWNED_ROWS.replace("    user_id: Mapped", "    account_id: Mapped")
    models = models.replace("    user_id = Column(UUID", "    member_id = Column(UUID")
    assert "member_id" in models and "account_id" in models
    plan = _plan(tmp_path, models)
    assert _column(plan, "user_id") is None
    assert _column(plan, "owner_id") == ("Uuid", ("FK → user.id ON DELETE CASCADE",))
