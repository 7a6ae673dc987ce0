"""A new table is named as the project's tables that name themselves are."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model.names import Names
from planner.inspect.model.records import TableClass, Vote
from planner.inspect.model.tablestyle import new_table_name, table_votes
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "category"\n'
    'operations = ["list", "create", "read", "delete"]\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\nunique = true\n'
)

_ROUTER = """\
from fastapi import APIRouter

from shop.apps.{group}.{plural}.models import {cls}

router = APIRouter(prefix="/{plural}")


@router.get("/")
def list_{plural}(): ...


@router.post("/", status_code=201)
def create_{name}(): ...


@router.get("/{{{name}_id}}")
def read_{name}({name}_id: int): ...


@router.delete("/{{{name}_id}}", status_code=204)
def delete_{name}({name}_id: int): ...
"""

_MODEL = """\
from sqlalchemy import Column, Integer, String

from shop.db import Base


class {cls}(Base):
    __tablename__ = "{table}"

    id = Column(Integer, primary_key=True)
    name = Column(String)
"""

# (group, singular, plural)
_RESOURCES = (
    ("catalog", "product", "products"),
    ("catalog", "brand", "brands"),
    ("sales", "order", "orders"),
)


def _plan(root: Path, table: str, extra: dict[str, str] | None = None) -> Plan:
    """Three resources in two groups; ``table`` formats each table's name."""
    files = {
        **(extra or {}),
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/db.py": "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n",
        "shop/apps/__init__.py": "",
        "shop/main.py": "from fastapi import FastAPI\n\n"
        + "".join(
            f"from shop.apps.{g}.{p}.router import router as {p}\n"
            for g, _, p in _RESOURCES
        )
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router({p})\n" for _, _, p in _RESOURCES),
    }
    for group, name, plural in _RESOURCES:
        cls = name.title()
        home = f"shop/apps/{group}/{plural}"
        files[f"shop/apps/{group}/__init__.py"] = ""
        files[f"{home}/__init__.py"] = ""
        files[f"{home}/models.py"] = _MODEL.format(
            cls=cls, table=table.format(group=group, name=name, plural=plural)
        )
        files[f"{home}/router.py"] = _ROUTER.format(
            group=group, plural=plural, name=name, cls=cls
        )
    write_tree(root, files)
    spec = parse_spec(SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _table(plan: Plan) -> tuple[str, tuple[str, ...]]:
    (table,) = plan.data_model.tables if plan.data_model else ()
    return table.name, tuple(i.name for i in table.indexes)


def _model_file(plan: Plan) -> str:
    return next(f.path for f in plan.files if f.purpose.endswith("table model"))


# Alembic set up, with no revision yet.
_ALEMBIC = {
    "alembic.ini": "[alembic]\nscript_location = alembic\n",
    "alembic/env.py": "",
    "alembic/script.py.mako": "",
}


def test_a_group_folder_before_the_class_name_is_followed(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "{group}_{name}", _ALEMBIC)
    assert _model_file(plan) == "shop/apps/catalog/categories/models.py"
    name, indexes = _table(plan)
    assert name == "catalog_category"
    assert "uq_catalog_category_title" in indexes
    text = render_markdown(plan)
    assert '`__tablename__ = "catalog_category"`' in text
    assert "`categories` table" not in text
    # The plan says which habit it followed, and how many tables keep it.
    (line,) = [a for a in plan.assumptions if a.startswith("Table `catalog_category`")]
    assert "`catalog`, the group its module is in" in line
    assert "(`shop/apps/catalog/`; 3 of 3 tables)" in line
    assert "the class's name in the singular (3 of 3 tables)" in line
    # Its first revision is named for the resource, as those planned in
    # the project's own trees are.
    (migration,) = [f.path for f in plan.files if f.path.startswith("alembic/")]
    assert migration.endswith("_add_categories.py")
    steps = plan.data_model.migration if plan.data_model else ()
    assert '-m "add categories"' in steps[0]


def test_a_prefix_every_table_shares_is_kept(tmp_path: Path) -> None:
    plan = _plan(tmp_path / "shared", "shop_{plural}")
    assert _table(plan)[0] == "shop_categories"
    assert any("`shop`, the prefix they share" in a for a in plan.assumptions)
    # Plain plural tables keep the spec's plural, and the plan says nothing.
    plan = _plan(tmp_path / "plain", "{plural}")
    assert _table(plan)[0] == "categories"
    assert not any(a.startswith("Table `") for a in plan.assumptions)


def test_the_group_and_the_plural_are_followed_together(tmp_path: Path) -> None:
    plan = _plan(tmp_path / "plural", "{group}_{plural}")
    assert _table(plan)[0] == "catalog_categories"
    # Singular tables with no prefix give a singular one.
    plan = _plan(tmp_path / "singular", "{name}")
    assert _table(plan)[0] == "category"


def _votes(count: int) -> tuple[Vote, ...]:
    """`count` tables, each named for its class alone, in the singular."""
    return (
        Vote("table_prefix", (("none", count),)),
        Vote("table_number", (("singular", count),)),
    )


def test_one_table_is_no_habit() -> None:
    new = Names.of("category", "categories")
    assert new_table_name(_votes(1), "app/models.py", new) is None
    assert new_table_name(_votes(2), "app/models.py", new) == (
        "category",
        "Table `category`, as the project names its tables: the class's name in "
        "the singular (2 of 2 tables).",
    )


def test_a_prefix_seen_in_one_folder_is_that_folders() -> None:
    # Both tables sit in `app/auth/`: their `auth_` may be their folder's
    # name or a prefix of every table; a table elsewhere takes neither.
    votes = table_votes(
        (
            TableClass("User", "auth_user", "app/auth/models.py", 1),
            TableClass("RefreshToken", "auth_refresh_token", "app/auth/models.py", 9),
        )
    )
    assert votes[0].counts == (("folder 1 auth", 2),)
    new = Names.of("note", "notes")
    elsewhere = new_table_name(votes, "app/note/models.py", new)
    assert elsewhere is not None
    assert elsewhere[0] == "note"
    assert (
        "their prefix `auth_` is the name of the one folder they are in"
        in (elsewhere[1])
    )
    beside = new_table_name(votes, "app/auth/models.py", new)
    assert beside is not None
    assert beside[0] == "auth_note"
