"""Contract details the project's own routes decide: convertors, 204s, versions."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.inspect.project import inspect_project
from tests.trees import write_tree

_ROUTES = """\
from fastapi import APIRouter, status

router = APIRouter(prefix="/clients")


@router.get("/")
async def list_clients(): ...


@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_client(): ...


@router.patch("/{id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def update_client(id): ...


@router.delete("/{id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_client(id): ...
"""

_SPEC = """\
kind = "crud-resource"

[resource]
name = "user_field"
operations = ["list", "create", "update", "delete"]

[[resource.fields]]
name = "label"
type = "str"
"""


def _project(root: Path, requirements: str = "") -> None:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import clients\n\n"
                "app = FastAPI()\napp.include_router(clients.router)\n"
            ),
            "app/clients.py": _ROUTES,
            **({"requirements/base.txt": requirements} if requirements else {}),
        },
    )


def test_a_uuid_convertor_types_the_id_and_answers_404(tmp_path: Path) -> None:
    # No handler annotates the id: `{id:uuid}` says it is a UUID, and a
    # malformed one matches no route, so it is a 404, never a 422.
    _project(tmp_path)
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert any("Ids are `uuid`" in a for a in plan.assumptions)
    delete = next(e for e in plan.endpoints if e.function == "delete_user_field")
    assert [e.status for e in delete.errors if "UUID" in e.when] == [404]


def test_a_204_answers_no_body(tmp_path: Path) -> None:
    _project(tmp_path)
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    update = next(e for e in plan.endpoints if e.function == "update_user_field")
    assert update.success_status == 204
    assert update.response_schema is None


def test_pins_in_a_requirements_folder_are_read(tmp_path: Path) -> None:
    # `requirements/base.txt` pins Pydantic 1 and SQLAlchemy 1.4: the plan
    # writes their idioms, not v2's.
    _project(tmp_path, "pydantic==1.10.13\nsqlalchemy==1.4.49\nfastapi==0.99.1\n")
    facts = inspect_project(tmp_path)
    assert {v.package: v.version for v in facts.versions}["pydantic"] == "1.10.13"
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert '`class Config: extra = "forbid"`' in text
    assert "ConfigDict" not in text and "model_dump" not in text
    assert "Mapped[" not in text


def test_an_older_sqlalchemy_gets_its_own_query_and_default_idioms(
    tmp_path: Path,
) -> None:
    """SQLAlchemy 1.3 has no `select()` through the session, 2.0's `mapped_column`."""
    _project(tmp_path, "sqlalchemy==1.3.24\n")
    spec = parse_spec(
        _SPEC.replace('type = "str"\n', 'type = "str"\ndefault = "none"\n')
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert "`session.query(UserField)`" in text
    assert "session.scalars" not in text
    assert "`Column(..., server_default=...)`" in text
    assert "mapped_column" not in text


def test_sqlalchemy_1_4_selects_through_execute(tmp_path: Path) -> None:
    _project(tmp_path, "sqlalchemy==1.4.20\n")
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert "`session.execute(select(UserField)).scalars()`" in text


_IDENTITY = """\
from enum import Enum

from pydantic import BaseModel


class IdentityType(str, Enum):
    org = "org"
    user = "user"


class IdentityBase(BaseModel):
    name: str


class Identity(IdentityBase):
    id: str
"""


def test_a_schema_module_that_exists_is_reused(tmp_path: Path) -> None:
    # `schemas/identity.py` defines `Identity`, `IdentityBase` and the enum:
    # the plan answers with `Identity` and names the enum `IdentityType`, as
    # the project does, and says what to keep.
    _project(tmp_path)
    write_tree(
        tmp_path,
        {
            "app/schemas/__init__.py": "",
            "app/schemas/identity.py": _IDENTITY,
            "app/schemas/client.py": (
                "from pydantic import BaseModel\n\n\n"
                "class ClientPublic(BaseModel):\n    id: str\n"
            ),
            "app/clients.py": "from app.schemas.client import ClientPublic\n" + _ROUTES,
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "identity"\n'
        'plural = "identities"\noperations = ["list", "create"]\n\n'
        '[[resource.fields]]\nname = "name"\ntype = "str"\n\n'
        '[[resource.fields]]\nname = "identity_type"\ntype = "enum"\n'
        'choices = ["org", "user"]\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    create = next(e for e in plan.endpoints if e.function == "create_identity")
    assert create.response_schema == "Identity"
    text = " ".join(g for f in plan.files for g in f.guidance)
    assert "`IdentityBase`, `Identity`, `IdentityType` exist already" in text, text
    assert "IdentityIdentityType" not in render_markdown(plan)


def test_an_old_fastapi_gets_response_model_and_path_defaults(tmp_path: Path) -> None:
    # FastAPI 0.75 reads no return annotation and needs `Path(...)`.
    _project(tmp_path, "fastapi==0.75.1\npydantic==1.9.0\n")
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    router = " ".join(
        g for f in plan.files if f.path == "app/user_fields.py" for g in f.guidance
    )
    assert "`response_model=UserFieldPublic` on the decorator" in router, router
    assert "rather than `response_model=`" not in router
    assert "= Path(...)" in router
