"""A folder without `__init__.py` is a package where the imports name it (PEP 420)."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model.project import read_project
from tests.trees import write_tree

_ROUTES = {
    "api/v1/__init__.py": "",
    "api/v1/routes/__init__.py": (
        "from fastapi import APIRouter\n"
        "from api.v1.routes.posts import posts\n\n"
        'api_router = APIRouter(prefix="/api/v1")\n'
        "api_router.include_router(posts)\n"
    ),
    "api/v1/routes/posts.py": (
        "from fastapi import APIRouter\n"
        "from api.v1.services.posts import list_all\n\n"
        'posts = APIRouter(prefix="/posts")\n\n\n'
        '@posts.get("")\ndef list_posts():\n    return list_all()\n'
    ),
    "api/v1/services/__init__.py": "",
    "api/v1/services/posts.py": "def list_all():\n    return []\n",
}


def test_routers_under_a_namespace_package_are_served(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            **_ROUTES,
            "main.py": (
                "from fastapi import FastAPI\n"
                "from api.v1.routes import api_router\n\n"
                "app = FastAPI()\napp.include_router(api_router)\n"
            ),
        },
    )
    model = read_project(tmp_path)
    assert model.api_root == "/api/v1"
    assert [(r.method, r.path, r.served) for r in model.routes] == [
        ("GET", "/api/v1/posts", True)
    ]
    assert model.routes[0].calls == ("api/v1/services/posts.py",)


def test_a_folder_the_code_runs_inside_stays_out_of_the_names(tmp_path: Path) -> None:
    # `backend/` holds the package but the code runs from inside it: one
    # script naming `backend.api` does not rename the modules.
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            **{f"backend/{k.removeprefix('api/')}": v for k, v in _ROUTES.items()},
            "backend/v1/routes/__init__.py": (
                "from fastapi import APIRouter\n"
                "from v1.routes.posts import posts\n\n"
                'api_router = APIRouter(prefix="/api/v1")\n'
                "api_router.include_router(posts)\n"
            ),
            "backend/v1/routes/posts.py": (
                "from fastapi import APIRouter\n"
                "from v1.services.posts import list_all\n\n"
                'posts = APIRouter(prefix="/posts")\n\n\n'
                '@posts.get("")\ndef list_posts():\n    return list_all()\n'
            ),
            "backend/main.py": (
                "from fastapi import FastAPI\n"
                "from v1.routes import api_router\n\n"
                "app = FastAPI()\napp.include_router(api_router)\n"
            ),
            "scripts/seed.py": "import backend.v1.services.posts\n",
        },
    )
    model = read_project(tmp_path)
    assert [(r.path, r.served) for r in model.routes] == [("/api/v1/posts", True)]
    assert model.routes[0].calls == ("backend/v1/services/posts.py",)
