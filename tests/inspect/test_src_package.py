"""A stray `src/__init__.py` does not rename the modules the code imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inspect.model.project import read_project
from tests.trees import write_tree


@pytest.mark.parametrize(
    ("head", "root"),
    [("app", "/api/v1"), ("src.app", "/api/v1")],
)
def test_routers_resolve_whichever_root_the_code_imports(
    tmp_path: Path, head: str, root: str
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "src/__init__.py": "",
            "src/app/__init__.py": "",
            "src/app/api/__init__.py": (
                "from fastapi import APIRouter\n"
                f"from {head}.api import posts\n\n"
                'router = APIRouter(prefix="/api/v1")\n'
                "router.include_router(posts.router)\n"
            ),
            "src/app/api/posts.py": (
                "from fastapi import APIRouter\n\n"
                'router = APIRouter(prefix="/posts")\n\n\n'
                '@router.get("")\ndef list_posts(): ...\n'
            ),
            "src/app/main.py": (
                f"from fastapi import FastAPI\nfrom {head}.api import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            # The tests import through `src` either way.
            "src/tests/test_posts.py": "from src.app.main import app\n",
        },
    )
    model = read_project(tmp_path)
    assert model.api_root == root
    assert [(r.method, r.path) for r in model.routes] == [("GET", "/api/v1/posts")]
