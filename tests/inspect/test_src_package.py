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


def test_a_router_passed_to_an_app_factory_is_served(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": "",
            "app/api.py": (
                "from fastapi import APIRouter\n\n"
                'router = APIRouter(prefix="/api/v1")\n\n\n'
                '@router.get("/posts")\ndef list_posts(): ...\n'
            ),
            "app/setup.py": (
                "from fastapi import APIRouter, FastAPI\n\n\n"
                "def create_application(router: APIRouter, settings) -> FastAPI:\n"
                "    application = FastAPI()\n"
                "    application.include_router(router)\n"
                "    return application\n"
            ),
            # An assignment, not a call statement, passes the router.
            "app/main.py": (
                "from app.api import router\n"
                "from app.setup import create_application\n\n"
                "app = create_application(router=router, settings=None)\n"
            ),
        },
    )
    model = read_project(tmp_path)
    assert model.api_root == "/api/v1"
    assert [(r.path, r.served) for r in model.routes] == [("/api/v1/posts", True)]
