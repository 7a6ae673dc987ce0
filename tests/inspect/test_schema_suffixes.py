"""Schema names follow the project's own suffixes, measured from its routes."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.inspect.model import read_project
from tests.trees import write_tree

# A project that answers with `TagRead` and takes `TagIn` to create and
# `TagPatch` to update: none of planner's own suffixes.
READ_IN = {
    "pyproject.toml": '[project]\nname = "tags"\ndependencies = ["fastapi"]\n',
    "app/__init__.py": "",
    "app/models.py": (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "class Tag(Base):\n"
        '    __tablename__ = "tags"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    name: Mapped[str]\n"
    ),
    "app/schemas.py": (
        "from pydantic import BaseModel\n\n\n"
        "class TagIn(BaseModel):\n    name: str\n\n\n"
        "class TagPatch(BaseModel):\n    name: str | None = None\n\n\n"
        "class TagRead(TagIn):\n    id: int\n"
    ),
    "app/routers/__init__.py": "",
    "app/routers/tags.py": (
        "from fastapi import APIRouter\n\n"
        "from app.schemas import TagIn, TagPatch, TagRead\n\n"
        'router = APIRouter(prefix="/tags")\n\n\n'
        '@router.get("/", response_model=list[TagRead])\n'
        "def list_tags():\n    return []\n\n\n"
        '@router.post("/", status_code=201)\n'
        "def create_tag(data: TagIn) -> TagRead:\n    ...\n\n\n"
        '@router.get("/{tag_id}")\n'
        "def read_tag(tag_id: int) -> TagRead:\n    ...\n\n\n"
        '@router.patch("/{tag_id}")\n'
        "def update_tag(tag_id: int, data: TagPatch) -> TagRead:\n    ...\n"
    ),
    "app/main.py": (
        "from fastapi import FastAPI\n\n"
        "from app.routers import tags\n\n"
        "app = FastAPI()\n"
        "app.include_router(tags.router)\n"
    ),
}

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "label"\n'
    'update_method = "patch"\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)


def _plan_schemas(project: Path) -> tuple[list[str], dict[str, tuple[str, str]]]:
    spec = parse_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=project))
    bodies = {
        ep.method: (ep.request_schema or "", ep.response_schema or "")
        for ep in plan.endpoints
    }
    return [s.name for s in plan.schemas], bodies


def test_votes_count_response_models_and_bodies(tmp_path: Path) -> None:
    """`inspect` shows each role's suffix; path ids (`tag_id`) are not bodies."""
    write_tree(tmp_path, READ_IN)
    model = read_project(tmp_path, cache=False)
    assert model.convention("schema_read_suffix").counts == (("Read", 4),)
    assert model.convention("schema_create_suffix").counts == (("In", 1),)
    assert model.convention("schema_update_suffix").counts == (("Patch", 1),)


def test_plan_names_schemas_with_the_project_suffixes(tmp_path: Path) -> None:
    """A `TagRead`/`TagIn` project gets `LabelRead`, `LabelIn`, `LabelPatch`."""
    write_tree(tmp_path, READ_IN)
    names, bodies = _plan_schemas(tmp_path)
    assert {"LabelIn", "LabelPatch", "LabelRead"} <= set(names)
    assert not {"LabelCreate", "LabelUpdate", "LabelPublic"} & set(names)
    assert bodies["POST"] == ("LabelIn", "LabelRead")
    assert bodies["PATCH"] == ("LabelPatch", "LabelRead")
    spec = parse_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert any("`...Read` (response)" in a for a in plan.assumptions)


def test_one_body_for_create_and_update_keeps_update_apart(tmp_path: Path) -> None:
    """`TagIn` both created and replaced with: the update body stays `...Update`."""
    files = dict(READ_IN)
    files["app/routers/tags.py"] = files["app/routers/tags.py"].replace(
        "data: TagPatch", "data: TagIn"
    )
    write_tree(tmp_path, files)
    names, bodies = _plan_schemas(tmp_path)
    assert {"LabelIn", "LabelUpdate"} <= set(names)
    assert bodies["POST"][0] == "LabelIn"
    assert bodies["PATCH"][0] == "LabelUpdate"


def test_project_without_schemas_keeps_planner_names(tmp_path: Path) -> None:
    """No class named for a resource: `LabelPublic`, `LabelCreate`, `LabelUpdate`."""
    files = {k: v for k, v in READ_IN.items() if k not in ("app/schemas.py",)}
    files["app/routers/tags.py"] = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/tags")\n\n\n'
        '@router.get("/")\n'
        "def list_tags() -> list[dict[str, str]]:\n    return []\n"
    )
    write_tree(tmp_path, files)
    names, bodies = _plan_schemas(tmp_path)
    assert {"LabelCreate", "LabelUpdate", "LabelPublic"} <= set(names)
    assert bodies["POST"] == ("LabelCreate", "LabelPublic")
    spec = parse_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert not any("suffixes" in a for a in plan.assumptions)


def test_a_split_vote_settles_no_suffix() -> None:
    """One `Public` against one `Read` keeps planner's name; 2 to 1 settles."""
    from planner.inspect.model.records import Vote

    assert Vote("s", (("Public", 1), ("Read", 1)), lead=2).winner is None
    assert Vote("s", (("Out", 1), ("Read", 2)), lead=2).winner == "Read"
    # Other conventions keep a plurality; a tie settles nothing (no name
    # decides a habit the project does not have).
    assert Vote("s", (("PATCH", 2), ("PUT", 1))).winner == "PATCH"
    assert Vote("s", (("PATCH", 1), ("PUT", 1))).winner is None


def test_action_routes_and_aliases_cast_no_vote(tmp_path: Path) -> None:
    """`POST /tags/filter` bodies and `Annotated` dependency aliases are no schemas."""
    files = dict(READ_IN)
    files["app/deps.py"] = (
        "from typing import Annotated\n\nfrom fastapi import Depends\n\n\n"
        "def get_role() -> str:\n    return ''\n\n\n"
        "TagRole = Annotated[str, Depends(get_role)]\n"
    )
    files["app/schemas.py"] += "\n\nclass TagFilter(TagIn):\n    pass\n"
    router = files["app/routers/tags.py"]
    router = router.replace("import TagIn,", "import TagFilter, TagIn,")
    router = router.replace(
        "from app.schemas", "from app.deps import TagRole\nfrom app.schemas"
    )
    router = router.replace("(data: TagIn)", "(data: TagIn, role: TagRole)")
    router += (
        '\n\n@router.post("/filter")\n'
        "def filter_tags(data: TagFilter) -> list[TagRead]:\n    return []\n"
    )
    files["app/routers/tags.py"] = router
    write_tree(tmp_path, files)
    model = read_project(tmp_path, cache=False)
    assert model.convention("schema_create_suffix").counts == (("In", 1),)
    assert model.convention("schema_read_suffix").counts == (("Read", 4),)


AUTH_SPEC = 'kind = "auth"\nscheme = "password-jwt"\nregistration = true\n'


def test_auth_plan_names_user_schemas_with_the_project_suffixes(
    tmp_path: Path,
) -> None:
    """Sign-up takes `UserIn` and answers `UserRead`, as the tags routes do."""
    write_tree(tmp_path, READ_IN)
    spec = parse_spec(AUTH_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    names = {s.name for s in plan.schemas}
    assert {"UserIn", "UserRead"} <= names
    assert not {"UserCreate", "UserPublic"} & names
    bodies = {
        ep.function: (ep.request_schema, ep.response_schema) for ep in plan.endpoints
    }
    assert bodies["register"] == ("UserIn", "UserRead")
    assert bodies["read_users_me"] == (None, "UserRead")


def test_auth_tables_follow_the_project_uuid_ids(tmp_path: Path) -> None:
    """Users addressed by UUID: new tables' ids and keys to `users` are UUIDs."""
    files = dict(READ_IN)
    files["app/routers/users.py"] = (
        "import uuid\n\nfrom fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/users")\n\n\n'
        '@router.get("/{user_id}")\n'
        "def read_user(user_id: uuid.UUID) -> dict[str, str]:\n    return {}\n"
    )
    files["app/main.py"] = files["app/main.py"].replace(
        "import tags", "import tags, users"
    ) + ("app.include_router(users.router)\n")
    write_tree(tmp_path, files)
    spec = parse_spec(AUTH_SPEC + "refresh_tokens = true\n").spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert plan.data_model is not None
    tables = plan.data_model.tables
    tokens = next(t for t in tables if t.name == "refresh_tokens")
    types = {c.name: c.type for c in tokens.columns}
    assert (types["id"], types["user_id"], types["replaced_by_id"]) == (
        "Uuid",
        "Uuid",
        "Uuid",
    )
    user = next(s for s in plan.schemas if s.name == "UserRead")
    assert {f.name: f.type for f in user.fields}["id"] == "UUID"
