"""A new multi-word name is joined in URLs as the project joins its words."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import new_resource_targets, read_project
from planner.inspect.model.names import Names, replace_names
from tests.trees import write_tree

CRUD = frozenset({"list", "read", "create", "update", "delete"})

# The exemplar writes its own two words run together, in the decorators.
_SPACES = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/searchspaces")
def list_spaces() -> list: ...


@router.post("/searchspaces")
def create_space(data: dict) -> dict: ...


@router.get("/searchspaces/{search_space_id}")
def read_space(search_space_id: int) -> dict: ...


@router.put("/searchspaces/{search_space_id}")
def update_space(search_space_id: int, data: dict) -> dict: ...


@router.delete("/searchspaces/{search_space_id}")
def delete_space(search_space_id: int) -> dict: ...
"""

_READ_ONLY = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/{path}/{{{key}}}")
def read_one({key}: int) -> dict: ...
"""


def _project(root: Path, others: dict[str, str]) -> None:
    files = {
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/routes/search_spaces_routes.py": _SPACES,
    }
    for name, path in others.items():
        files[f"app/routes/{name}_routes.py"] = _READ_ONLY.format(
            path=path, key=f"{name}_id"
        )
    modules = ["search_spaces_routes", *(f"{n}_routes" for n in others)]
    files["app/main.py"] = (
        "from fastapi import FastAPI\n\n"
        f"from app.routes import {', '.join(modules)}\n\n"
        "app = FastAPI()\n"
        + "".join(f"app.include_router({m}.router)\n" for m in modules)
    )
    write_tree(root, files)


def _paths(root: Path) -> set[str]:
    model = read_project(root, cache=False)
    targets = new_resource_targets(
        model,
        singular="quick_ask_action",
        plural="quick_ask_actions",
        operations=CRUD,
        owned=False,
        paginated=False,
    )
    assert targets.exemplar is not None and targets.exemplar.name == "search_spaces"
    return {e.path for e in targets.endpoints}


def test_a_run_together_exemplar_takes_the_projects_separator(
    tmp_path: Path,
) -> None:
    _project(
        tmp_path,
        {
            "video_presentation": "video-presentations",
            "image_config": "image-configs",
            "source_connector": "source-connectors",
        },
    )
    assert _paths(tmp_path) == {
        "/quick-ask-actions",
        "/quick-ask-actions/{quick_ask_action_id}",
    }


def test_a_project_that_never_separates_words_keeps_them_run_together(
    tmp_path: Path,
) -> None:
    _project(tmp_path, {"video": "videos"})
    assert _paths(tmp_path) == {
        "/quickaskactions",
        "/quickaskactions/{quick_ask_action_id}",
    }


def test_run_together_words_follow_a_settled_case_and_code_keeps_them() -> None:
    old, new = Names.guess("search_spaces"), Names.of("quick_ask_action")
    assert replace_names("/searchspaces", old, new, url="snake") == (
        "/quick_ask_actions"
    )
    assert replace_names("/searchspaces", old, new, url="kebab") == (
        "/quick-ask-actions"
    )
    # An exemplar that spells its separator is the project's evidence.
    assert replace_names("/search_spaces", old, new, url="kebab") == (
        "/quick_ask_actions"
    )
    assert replace_names("searchspaces_tab", old, new) == "quickaskactions_tab"
