"""Schema names with words before the entity's (`CreateTagParam`, `GetTagDetail`)."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model import read_project
from planner.inspect.model.schemanames import _form
from tests.trees import write_tree

# Classes named `<Verb><Entity><Kind>`; the routes answer inside the
# project's generic envelope, and a create takes an enumeration in its query.
FORMS = {
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
    "app/enums.py": (
        "from enum import StrEnum\n\n\nclass TagKind(StrEnum):\n    plain = 'plain'\n"
    ),
    "app/envelope.py": (
        "from typing import Generic, TypeVar\n\nfrom pydantic import BaseModel\n\n"
        'T = TypeVar("T")\n\n\n'
        "class Envelope(BaseModel, Generic[T]):\n    code: int = 200\n    data: T\n"
    ),
    "app/schemas.py": (
        "from pydantic import BaseModel\n\n\n"
        "class CreateTagParam(BaseModel):\n    name: str\n\n\n"
        "class UpdateTagParam(BaseModel):\n    name: str | None = None\n\n\n"
        "class GetTagDetail(CreateTagParam):\n    id: int\n"
    ),
    "app/routers/__init__.py": "",
    "app/routers/tags.py": (
        "from typing import Annotated\n\n"
        "from fastapi import APIRouter, Query\n\n"
        "from app.enums import TagKind\n"
        "from app.envelope import Envelope\n"
        "from app.schemas import CreateTagParam, GetTagDetail, UpdateTagParam\n\n"
        'router = APIRouter(prefix="/tags")\n\n\n'
        '@router.get("/")\n'
        "def list_tags() -> Envelope[list[GetTagDetail]]:\n    ...\n\n\n"
        '@router.post("/")\n'
        "def create_tag(\n"
        "    data: CreateTagParam, kind: Annotated[TagKind, Query()]\n"
        ") -> Envelope[GetTagDetail]:\n    ...\n\n\n"
        '@router.get("/{tag_id}")\n'
        "def read_tag(tag_id: int) -> Envelope[GetTagDetail]:\n    ...\n\n\n"
        '@router.put("/{tag_id}")\n'
        "def update_tag(tag_id: int, data: UpdateTagParam) -> Envelope[GetTagDetail]:\n"
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
STATUS = (
    'kind = "endpoint"\nmethod = "PUT"\npath = "/tags/{tag_id}/status"\n'
    'summary = "Set a tag\'s status"\n'
    '[[request.fields]]\nname = "status"\ntype = "int"\n'
)


def _plan(root: Path, spec_text: str) -> Plan:
    spec = parse_spec(spec_text).spec
    return make_plan(spec, request=prepare(spec, project=root))


def test_forms_are_read_around_the_entity_and_inside_envelopes(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, FORMS)
    model = read_project(tmp_path, cache=False)
    # The reads answer inside `Envelope[...]`: its item is what counts. What
    # the create and the update answer counts for no read: words before a
    # name may say the operation (`CreateTagResponse`).
    assert model.convention("schema_read_suffix").counts == (("Get*Detail", 2),)
    # The enumeration the create reads from its query is no body.
    assert model.convention("schema_create_suffix").counts == (("Create*Param", 1),)
    assert model.convention("schema_update_suffix").counts == (("Update*Param", 1),)


def test_a_new_resource_names_its_schemas_in_those_forms(tmp_path: Path) -> None:
    write_tree(tmp_path, FORMS)
    plan = _plan(tmp_path, CRUD)
    names = {s.name for s in plan.schemas}
    assert {"CreateLabelParam", "UpdateLabelParam", "GetLabelDetail"} <= names
    assert not {"LabelKind", "LabelPublic", "LabelUpdate"} & names
    assert any(
        "`Get...Detail` (response), `Create...Param` (create)" in a
        for a in plan.assumptions
    )


def test_an_endpoint_reuses_the_class_the_module_defines(tmp_path: Path) -> None:
    write_tree(tmp_path, FORMS)
    plan = _plan(tmp_path, STATUS)
    assert plan.endpoints[0].response_schema == "GetTagDetail"
    assert any(
        a.startswith("The response reuses `GetTagDetail` from `app/schemas.py`")
        for a in plan.assumptions
    )


def test_a_class_the_module_lacks_is_not_said_to_be_reused(tmp_path: Path) -> None:
    # No route says what it answers: planner's own `TagPublic`, which the
    # schema module does not define.
    files = dict(FORMS)
    files["app/routers/tags.py"] = (
        files["app/routers/tags.py"]
        .replace(" -> Envelope[list[GetTagDetail]]", "")
        .replace(" -> Envelope[GetTagDetail]", "")
    )
    write_tree(tmp_path, files)
    plan = _plan(tmp_path, STATUS)
    text = render_markdown(plan)
    assert "reuses `TagPublic`" not in text
    assert "The response is `TagPublic`, which planner did not find" in text


def test_a_form_has_one_word_before_the_name_and_no_entitys() -> None:
    entities = frozenset({"Tag", "Event", "ExportCase"})
    assert _form("TagRead", entities) == ("Tag", "Read")
    assert _form("CreateTagParam", entities) == ("Tag", "Create*Param")
    assert _form("NewExportCase", entities) == ("ExportCase", "New*")
    # Another entity's name (`Events`) or two words before it are no form.
    assert _form("EventsExportCaseBody", entities) is None
    assert _form("AdminCreateTagParam", entities) is None
    assert _form("TagEvent", entities) == ("Tag", "Event")
    assert _form("PaginatedTagList", entities) is None
