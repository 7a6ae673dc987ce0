"""A new route types its path parameters as the project's routes type them."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.plan import Plan
from tests.trees import write_tree

_ROUTES = """\
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

router = APIRouter()


@router.get("/posts/{post_id}/user/{user_id}")
async def read_post(user_id: UUID, post_id: UUID) -> dict:
    ...


@router.delete("/posts/{post_id}/user/{user_id}")
async def erase_post(user_id: UUID, post_id: UUID) -> dict:
    ...


@router.get("/depts/{pk}")
async def get_dept(pk: Annotated[int, Path(description="id")]) -> dict:
    ...


@router.put("/depts/{pk}")
async def update_dept(pk: Annotated[int, Path(description="id")]) -> dict:
    ...


@router.get("/authors/{author_id}")
async def get_author(author_id: UUID) -> dict:
    ...


@router.get("/books")
async def list_books() -> list[dict]:
    ...
"""


def _plan(root: Path, spec: str) -> Plan:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "blog"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routes import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "app/routes.py": _ROUTES,
        },
    )
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _guidance(plan: Plan) -> str:
    return " ".join(g for f in plan.files for g in f.guidance)


def test_ids_take_the_type_the_resources_routes_declare(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        'kind = "endpoint"\nmethod = "POST"\n'
        'path = "/posts/{post_id}/user/{user_id}/publish"\n'
        'summary = "Publish a post"\n',
    )
    guidance = _guidance(plan)
    assert "`post_id: Annotated[UUID, Path()]`" in guidance
    assert "`user_id: Annotated[UUID, Path()]`" in guidance
    (endpoint,) = plan.endpoints
    whens = [e.when for e in endpoint.errors if e.status == 422]
    assert "`post_id` is not a UUID" in whens
    assert not any("integer" in w for w in whens)


def test_a_parameter_named_for_no_type_takes_the_routes_one(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        'kind = "endpoint"\nmethod = "PUT"\npath = "/depts/{pk}/status"\n'
        'summary = "Enable a department"\n',
    )
    assert "`pk: Annotated[int, Path()]`" in _guidance(plan)
    assert any("as `depts`'s routes declare it" in a for a in plan.assumptions)


def test_else_the_projects_routes_type_it(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        'kind = "endpoint"\nmethod = "GET"\npath = "/books/by-author/{author_id}"\n'
        'summary = "Books of an author"\n',
    )
    assert "`author_id: Annotated[UUID, Path()]`" in _guidance(plan)
    assert any("as the project's routes declare it" in a for a in plan.assumptions)
