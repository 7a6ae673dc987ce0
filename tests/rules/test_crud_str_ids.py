"""String ids and project base classes: a new table is declared as the project's are."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.inspect.test_schema_suffixes import READ_IN
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "label"\n'
    "operations = ['list', 'read', 'create', 'update', 'delete']\n"
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)

# The project's own base: a string id and both timestamps, in its own module.
BASE = (
    "import datetime\n\n"
    "from sqlalchemy import String\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
    "class Base(DeclarativeBase):\n    pass\n\n\n"
    "class Stamped(Base):\n"
    "    __abstract__ = True\n"
    "    id: Mapped[str] = mapped_column(String, primary_key=True)\n"
    "    created_at: Mapped[datetime.datetime]\n"
    "    updated_at: Mapped[datetime.datetime]\n"
)


def _project(root: Path, *, maker: str = "", base: str = BASE) -> None:
    files = dict(READ_IN)
    files["app/db/__init__.py"] = ""
    files["app/db/base.py"] = base
    files["app/models.py"] = (
        "from sqlalchemy.orm import Mapped\n\n"
        "from app.db.base import Stamped\n\n\n"
        "class Tag(Stamped):\n"
        '    __tablename__ = "tags"\n'
        "    name: Mapped[str]\n"
    )
    router = (
        files["app/routers/tags.py"]
        .replace("tag_id: int", "tag_id: str")
        .replace(
            "from fastapi", "from app.services import tags as service\nfrom fastapi"
        )
        .replace(
            "def create_tag(data: TagIn) -> TagRead:\n    ...",
            "def create_tag(data: TagIn) -> TagRead:\n"
            "    return service.create_tag(data)",
        )
    )
    files["app/routers/tags.py"] = router + (
        '\n\n@router.delete("/{tag_id}")\n'
        "def delete_tag(tag_id: str) -> None:\n    ...\n"
    )
    files["app/services/__init__.py"] = ""
    files["app/services/tags.py"] = (
        "from app.ids import uuid_string\n\n\n"
        "def create_tag(data):\n"
        f"    {maker or 'tag_id = data.name'}\n"
        "    return tag_id\n"
    )
    write_tree(root, files)


def _plan(root: Path, spec: str = SPEC) -> Plan:
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _columns(plan: Plan) -> dict[str, str]:
    assert plan.data_model is not None
    table = next(t for t in plan.data_model.tables if t.name == "labels")
    return {c.name: c.type for c in table.columns}


def test_string_path_ids_give_string_ids_and_no_422(tmp_path: Path) -> None:
    _project(tmp_path, maker="tag_id = uuid_string()")
    plan = _plan(tmp_path)
    public = next(s for s in plan.schemas if s.name == "LabelRead")
    assert next(f.type for f in public.fields if f.name == "id") == "str"
    assert not [e for ep in plan.endpoints for e in ep.errors if e.status == 422
                and "label_id" in e.when]  # fmt: skip
    router = next(f for f in plan.files if f.path.endswith("routers/labels.py"))
    assert any("Annotated[str, Path()]" in g for g in router.guidance)
    assert not any(t.name == "test_invalid_id_422" for t in plan.tests)


def test_the_project_code_that_makes_string_ids_is_named(tmp_path: Path) -> None:
    _project(tmp_path, maker="tag_id = uuid_string()")
    plan = _plan(tmp_path)
    made = [a for a in plan.assumptions if a.startswith("String ids are made by")]
    assert made == [
        "String ids are made by `tags`: `uuid_string()` (`app/services/tags.py:5`); "
        "the new resource's are made the same way, by the project's code, not a "
        "new generator. Any string is a well-formed id, so an unknown one "
        "answers 404, never 422."
    ]
    assert not any("string ids" in q for q in plan.open_questions)


def test_string_ids_with_no_maker_found_are_asked_about(tmp_path: Path) -> None:
    _project(tmp_path)
    plan = _plan(tmp_path)
    assert not any(a.startswith("String ids are made") for a in plan.assumptions)
    assert any(q.startswith("What makes the string ids?") for q in plan.open_questions)


def test_a_new_table_derives_from_the_exemplar_base(tmp_path: Path) -> None:
    _project(tmp_path, maker="tag_id = uuid_string()")
    plan = _plan(tmp_path)
    # The base gives the id and both timestamps: the table lists only the rest.
    assert _columns(plan) == {"title": "String(255)"}
    model = next(f for f in plan.files if f.path == "app/models.py")
    assert any(
        g.startswith("`class Label(Stamped)`, as `Tag` is declared (`Stamped` from "
                     "`app.db.base`): they give `id`, `created_at`, `updated_at`")
        for g in model.guidance
    )  # fmt: skip


def test_a_base_planner_cannot_read_is_said_to_be_unknown(tmp_path: Path) -> None:
    # `Stamped` derives from a library's class: what that gives is not seen.
    base = BASE.replace("class Stamped(Base):", "class Stamped(LibraryModel):")
    _project(tmp_path, base="from somelib import LibraryModel\n" + base)
    plan = _plan(tmp_path)
    model = next(f for f in plan.files if f.path == "app/models.py")
    assert any("planner could not read all of what `Stamped`" in g
               for g in model.guidance)  # fmt: skip
    # What it saw is still left out; nothing it could not see is claimed.
    assert "id" not in _columns(plan) and "created_at" not in _columns(plan)


def test_a_plain_declarative_base_keeps_the_plan_own_columns(tmp_path: Path) -> None:
    write_tree(tmp_path, READ_IN)
    plan = _plan(tmp_path)
    assert set(_columns(plan)) == {"id", "title", "created_at", "updated_at"}
    assert _columns(plan)["id"] == "Integer"
