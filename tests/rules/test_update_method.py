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


def test_an_update_answers_as_most_of_the_projects_updates(tmp_path: Path) -> None:
    # The exemplar answers its update with 201; the project's other updates
    # answer 200: the new one does as most do.
    odd = _ROUTES.replace(
        '@router.patch("/{tag_id}")', '@router.patch("/{tag_id}", status_code=201)'
    )
    others = "".join(
        f'\n\n@router.patch("/{n}s/{{{n}_id}}")\ndef update_{n}({n}_id: int): ...\n'
        for n in ("colour", "size")
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/tags.py": odd,
            "app/misc.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
            + others,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import misc, tags\n\n"
                "app = FastAPI()\napp.include_router(tags.router)\n"
                "app.include_router(misc.router)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "note"\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    update = next(e for e in plan.endpoints if e.function == "update_note")
    assert update.success_status == 200


def test_logins_and_searches_do_not_vote_for_the_create_status(tmp_path: Path) -> None:
    # Two creates answer 201; three POST actions answer 200. The creates
    # settle it: a new create answers 201 without an exemplar's say.
    actions = "".join(
        f'\n\n@router.post("/{n}")\ndef {n}_things(): ...\n'
        for n in ("login", "search", "refresh")
    )
    creates = "".join(
        f'\n\n@router.post("/{n}s", status_code=201)\ndef create_{n}(): ...\n'
        for n in ("colour", "size")
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/misc.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
            + actions
            + creates,
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app import misc\n\n"
                "app = FastAPI()\napp.include_router(misc.router)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "POST"\npath = "/notes"\n'
        'summary = "Create a note"\neffect = "create"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    (endpoint,) = plan.endpoints
    assert endpoint.success_status == 201
