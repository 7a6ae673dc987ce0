"""An update method the spec names wins over the exemplar's; else the project's."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/tags")


@router.get("/")
def list_tags(): ...


@router.get("/{tag_id}")
def read_tag(tag_id: int): ...


@router.patch("/{tag_id}")
def update_tag(tag_id: int): ...
"""


@pytest.mark.parametrize(
    ("line", "method"),
    [('update_method = "put"\n', "PUT"), ("", "PATCH")],
)
def test_the_update_method(tmp_path: Path, line: str, method: str) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/tags.py": _ROUTES,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import tags\n\n"
                "app = FastAPI()\napp.include_router(tags.router)\n"
            ),
        },
    )
    spec = parse_spec(
        f'kind = "crud-resource"\n[resource]\nname = "note"\n{line}'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    update = next(e for e in plan.endpoints if e.function == "update_note")
    assert (update.method, update.path) == (method, "/notes/{note_id}")
