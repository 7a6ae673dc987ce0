"""A prefix passed to a helper as an argument is read from its callers."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inspect.model.project import read_project
from planner.inspect.model.records import ProjectModel
from tests.trees import write_tree


def _read(tmp_path: Path, define: str, call: str) -> ProjectModel:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "svc"\n',
            "app/__init__.py": (
                "from fastapi import FastAPI\n"
                "from app.setup import register_routers\n\n\n"
                "def create_app() -> FastAPI:\n"
                "    app = FastAPI()\n"
                f"    {call}\n"
                "    return app\n\n\n"
                "app = create_app()\n"
            ),
            "app/api.py": (
                "from fastapi import APIRouter\n\n"
                'api_router = APIRouter(prefix="/v1")\n\n\n'
                '@api_router.get("/posts")\ndef list_posts(): ...\n'
            ),
            "app/setup.py": (
                "from fastapi import FastAPI\n"
                "from app.api import api_router\n\n\n"
                f"{define}\n"
                "    app.include_router(api_router, prefix=prefix)\n"
            ),
        },
    )
    return read_project(tmp_path)


@pytest.mark.parametrize(
    ("define", "call"),
    [
        # The literal the one call passes, by keyword or by position.
        (
            'def register_routers(app: FastAPI, prefix: str = "/x"):',
            'register_routers(app, prefix="/api")',
        ),
        ("def register_routers(app, prefix):", 'register_routers(app, "/api")'),
        # No call passes it: the default.
        (
            'def register_routers(app, *, prefix="/api"):',
            "register_routers(app)",
        ),
    ],
)
def test_a_prefix_parameter_takes_the_value_its_call_passes(
    tmp_path: Path, define: str, call: str
) -> None:
    model = _read(tmp_path, define, call)
    assert model.api_root == "/api/v1"
    assert [r.path for r in model.routes] == ["/api/v1/posts"]
    assert not any("prefix" in u for u in model.unknowns)


def test_calls_that_agree_settle_it_and_calls_that_differ_do_not(
    tmp_path: Path,
) -> None:
    define = 'def register_routers(app, prefix="/api"):'
    agree = _read(
        tmp_path / "agree",
        define,
        'register_routers(app, prefix="/b"); register_routers(app, prefix="/b")',
    )
    assert [r.path for r in agree.routes] == ["/b/v1/posts"]
    differ = _read(
        tmp_path / "differ",
        define,
        'register_routers(app, prefix="/a"); register_routers(app, prefix="/b")',
    )
    assert [r.path for r in differ.routes] == ["/v1/posts"]
    assert any("is not a constant" in u for u in differ.unknowns)
