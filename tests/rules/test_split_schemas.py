"""Projects that keep request bodies, responses and query classes apart.

Routes per area (``app/api/<area>.py``), request bodies in
``app/api/defs/request/<name>_body.py``, responses in
``app/api/defs/response/<name>_response.py``, query parameter classes in
``app/api/defs/query/<name>_query.py``, and a role check the routes call
with the roles they admit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.inspect.model import read_project
from planner.plan import Plan
from tests.trees import write_tree

_AUTH = """\
from fastapi import HTTPException, Request


def require_role(allowed: list[str]):
    def check(request: Request) -> str:
        role = request.headers.get("x-role", "")
        if role not in allowed:
            raise HTTPException(status_code=403)
        return role

    return check
"""

_AREA = """\
from fastapi import APIRouter, Depends

from app.api.auth import require_role
from app.api.defs.query.{name}_query import {cls}Query
from app.api.defs.request.{name}_body import {cls}CreateBody
from app.api.defs.response.{name}_response import {cls}Response

router = APIRouter(tags=["{name}"])


@router.get("/{name}s", response_model=list[{cls}Response])
def list_{name}s(params: {cls}Query = Depends()): ...


@router.post(
    "/{name}s",
    response_model={cls}Response,
    dependencies=[Depends(require_role(["admin"]))],
)
def create_{name}(body: {cls}CreateBody): ...


@router.get("/{name}s/{{{name}_id}}", response_model={cls}Response)
def read_{name}({name}_id: int): ...


@router.delete(
    "/{name}s/{{{name}_id}}", dependencies=[Depends(require_role(["admin"]))]
)
def delete_{name}({name}_id: int): ...
"""


def _project(root: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "cams"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\nfrom app.api import clip, event\n\n"
            "app = FastAPI()\n"
            "app.include_router(clip.router)\napp.include_router(event.router)\n"
        ),
        "app/api/__init__.py": "",
        "app/api/auth.py": _AUTH,
    }
    for name in ("clip", "event"):
        cls = name.title()
        files[f"app/api/{name}.py"] = _AREA.format(name=name, cls=cls)
        for role, stem, suffix in (
            ("request", "body", "CreateBody"),
            ("response", "response", "Response"),
            ("query", "query", "Query"),
        ):
            files[f"app/api/defs/{role}/{name}_{stem}.py"] = (
                "from pydantic import BaseModel\n\n\n"
                f"class {cls}{suffix}(BaseModel):\n    name: str\n"
            )
    write_tree(root, files)


_SPEC = """\
kind = "crud-resource"

[resource]
name = "folder"
operations = ["list", "read", "create", "update", "delete"]

[[resource.fields]]
name = "title"
type = "str"

[auth]
required = true
roles = ["admin", "editor"]

[pagination]
style = "none"
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    root = tmp_path_factory.mktemp("cams")
    _project(root)
    spec = parse_spec(_SPEC).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _guidance(plan: Plan, path: str) -> str:
    return "\n".join(g for f in plan.files if f.path == path for g in f.guidance)


def test_a_class_taken_through_depends_is_no_request_body(tmp_path: Path) -> None:
    # `params: ClipQuery = Depends()` is a dependency on the class itself:
    # FastAPI reads it from the query string, never from the body.
    _project(tmp_path)
    model = read_project(tmp_path, cache=False)
    lists = [r for r in model.routes if r.function == "list_clips"]
    creates = [r for r in model.routes if r.function == "create_clip"]
    assert [r.body for r in lists] == [""]
    assert [r.body for r in creates] == ["ClipCreateBody"]


def test_requests_and_responses_go_where_the_project_keeps_them(plan: Plan) -> None:
    request = _guidance(plan, "app/api/defs/request/folder_body.py")
    response = _guidance(plan, "app/api/defs/response/folder_response.py")
    assert "`FolderCreateBody(Base)`" in request
    assert "the response class" in request
    assert "`FolderResponse(Base)` adding `id`" in response
    # The list is not paged or filtered: no query class module for it.
    assert "app/api/defs/query/folder_query.py" not in {f.path for f in plan.files}


def test_a_role_check_called_with_roles_is_called_with_the_specs(plan: Plan) -> None:
    router = _guidance(plan, "app/api/folder.py")
    assert "`Depends(require_role(['admin', 'editor']))`" in router
    # The check takes its roles as arguments: nothing in it changes.
    assert "app/api/auth.py" not in {f.path for f in plan.files}
    assert not any("admit exactly" in q for q in plan.open_questions)


def test_a_test_parametrized_over_operations_names_each_once(plan: Plan) -> None:
    for test in plan.tests:
        if "parametrized over" in test.checks:
            ops = test.checks.rsplit("parametrized over ", 1)[1].split(", ")
            assert len(ops) == len(set(ops)), test.checks


_RECORDS_ROUTER = """\
from fastapi import APIRouter

from app.services.{name}_records.{name}_records_common import {cls}Changes
from app.services.{name}s.{name}s_common import {cls}DTO

router = APIRouter(prefix="/{name}s")


@router.get("/{{{name}_id}}")
def get_{name}({name}_id: str) -> {cls}DTO: ...


@router.patch("/{{{name}_id}}")
def update_{name}({name}_id: str, changes: {cls}Changes) -> {cls}DTO: ...
"""


def test_classes_kept_beside_the_data_access_are_followed(tmp_path: Path) -> None:
    # The exemplar has no schema module: its routes take and answer classes
    # defined in its data-access packages, so the new ones go there too.
    files = {
        "pyproject.toml": '[project]\nname = "gallery"\n',
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\nfrom app.routers import album, board\n\n"
            "app = FastAPI()\n"
            "app.include_router(album.router)\napp.include_router(board.router)\n"
        ),
        "app/routers/__init__.py": "",
        "app/services/__init__.py": "",
    }
    for name in ("album", "board"):
        cls = name.title()
        files[f"app/routers/{name}.py"] = _RECORDS_ROUTER.format(name=name, cls=cls)
        for pkg, stem, body in (
            (f"{name}_records", f"{name}_records_common", f"class {cls}Changes"),
            (f"{name}s", f"{name}s_common", f"class {cls}DTO"),
        ):
            files[f"app/services/{pkg}/__init__.py"] = ""
            files[f"app/services/{pkg}/{stem}.py"] = (
                f"from pydantic import BaseModel\n\n\n{body}(BaseModel):\n    id: str\n"
            )
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "poster"\n'
        'operations = ["read", "update"]\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    requests = _guidance(plan, "app/services/poster_records/poster_records_common.py")
    responses = _guidance(plan, "app/services/posters/posters_common.py")
    assert "`PosterBase` with the shared fields" in requests
    assert "adding `id`" in responses
    assert "`PosterBase` with the shared fields" not in _guidance(
        plan, "app/routers/poster.py"
    )
