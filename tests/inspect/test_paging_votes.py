"""The project's paging conventions, counted over the routes that page."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import read_project
from tests.trees import write_tree

_PAGES = """\
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    \"\"\"A page of items.

    Note: the docstring's lines are no fields.
    \"\"\"

    items: list[T]
    total: int
    page: int
    per_page: int
"""

_ROUTES = """\
from typing import Annotated

from fastapi import APIRouter, Query

from app.pages import Page

router = APIRouter()
MAX_PER_PAGE = 200


@router.get("/books", response_model=Page[dict])
def list_books(
    page: int = Query(1, ge=1),
    per_page: int = Query(25, ge=1, le=MAX_PER_PAGE),
):
    ...


@router.get("/authors")
def list_authors(
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 25,
) -> Page[dict]:
    ...


@router.get("/shelves")
def list_shelves(skip: int = 0, limit: int = 100) -> list[dict]:
    ...


@router.get("/search")
def search(size: int = 10):
    ...
"""


def _votes(root: Path) -> dict[str, tuple[tuple[str, int], ...]]:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "shelf"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routes import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "app/pages.py": _PAGES,
            "app/routes.py": _ROUTES,
        },
    )
    model = read_project(root, cache=False)
    return {v.name: v.counts for v in model.conventions if v.name.startswith("pag")}


def test_paged_routes_vote_for_their_names_and_envelope(tmp_path: Path) -> None:
    votes = _votes(tmp_path)
    # A size alone (`/search`) pages nothing: it is not counted.
    assert votes["paging_style"] == (("offset", 1), ("page", 2))
    assert votes["paging_page"] == (("per_page+page", 2),)
    assert votes["paging_offset"] == (("limit+skip", 1),)
    # Read from `response_model=` and from the return annotation alike.
    assert votes["paging_page_envelope"] == (("Page", 2),)
    assert votes["paging_offset_envelope"] == (("list", 1),)
    assert votes["paging_page_envelope_fields"] == (("items total page per_page", 2),)
    assert votes["paging_size_max"] == (("MAX_PER_PAGE", 2), ("none", 1))
    assert votes["paging_size_default"] == (("100", 1), ("25", 2))
    assert votes["paging_in"] == (("query", 3),)


def test_a_project_without_paged_lists_has_no_paging_style(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "bare"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                '@app.get("/items")\ndef list_items() -> list[dict]:\n    ...\n'
            ),
        },
    )
    model = read_project(tmp_path, cache=False)
    assert model.convention("paging_style").winner is None
    assert not [v for v in model.conventions if v.name == "paging_offset"]
