"""`planner inspect` shows the project model, and the project is found upward."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planner.api import find_project
from planner.cli.main import main
from tests.paths import TESTS
from tests.trees import write_tree

SHOP = TESTS / "fixtures" / "model" / "shop"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _shop(tmp_path: Path) -> Path:
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project)
    return project


def test_text_shows_apps_routers_resources_conventions_and_unknowns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "inspect", "--project", str(_shop(tmp_path)))
    assert code == 0
    assert " * shop/main.py:app (line 7; 11 routes)" in out
    assert "  /api/v1/tags  shop/tags/router.py:router" in out
    assert "  /admin/ops  shop/admin/app.py:router" in out
    assert "  tags at /api/v1/tags: schema shop/tags/models.py" in out
    assert "  session_dependency: get_session (shop.core.deps)" in out
    # Items at `/{id}`, with no marker: the empty value is shown, not "unknown".
    assert "  item_form: '' ('' 2)" in out
    assert "  path_noun: plural (plural 2)" in out
    assert "unknown (set [tool.planner] keys to settle):" in out
    assert "picked `shop/main.py:app` over `shop/worker.py:worker`" in out


def test_json_has_the_model_with_served_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "inspect", "--project", str(_shop(tmp_path)), "--format", "json"
    )
    assert code == 0
    model = json.loads(out)["model"]
    assert model["api_app"]["file"] == "shop/main.py"
    assert model["api_root"] == "/api/v1"
    served = {(r["method"], r["path"]) for r in model["routes"]}
    assert ("GET", "/api/v1/tags/") in served or ("GET", "/api/v1/tags") in served
    assert "paths" not in model


def test_the_app_key_picks_the_api_app(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = _shop(tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + '\n[tool.planner]\napp = "shop.worker:worker"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "inspect", "--project", str(project))
    assert code == 0
    assert " * shop/worker.py:worker" in out


def test_a_malformed_app_key_is_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = _shop(tmp_path)
    (project / "pyproject.toml").write_text(
        '[tool.planner]\napp = "shop/main.py"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "inspect", "--project", str(project))
    assert code == 2
    assert "module:attribute" in err


def test_the_project_is_found_upward(tmp_path: Path) -> None:
    project = _shop(tmp_path)
    deep = project / "shop" / "tags"
    assert find_project(deep) == Path("..", "..")
    assert find_project(project) == Path()


def test_no_project_reads_nothing_and_says_so(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if find_project(tmp_path) is not None:
        pytest.skip("the temporary folder lies inside a project")
    # A stray project-like file deep below must not be read.
    stray = tmp_path / "deep" / "down"
    stray.mkdir(parents=True)
    (stray / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "inspect")
    assert code == 2 and "no project here" in err
    spec = TESTS.parent / "examples" / "crud-items.toml"
    code, out, err = run(
        capsys, "new", "crud-resource", "--spec", str(spec), "--no-input", "--out", "-"
    )
    assert code == 0
    assert "no project found" in err
    assert "no FastAPI app found; using planner's default layout" in out
    assert not (tmp_path / ".planner").exists()


def test_text_marks_the_layouts_guesses_and_shows_the_session_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\nfrom app.auth import views"
            "\n\napp = FastAPI()\napp.include_router(views.router)\n",
            "app/db.py": "async def new_async_session(): ...\n",
            "app/auth/__init__.py": "",
            "app/auth/views.py": _VIEWS,
        },
    )
    code, out, _ = run(capsys, "inspect", "--project", str(tmp_path))
    assert code == 0
    lines = {line.split("  ", 1)[0]: line for line in out.splitlines()}
    # No data-access module exists, and no two route modules share a name.
    assert lines["data access"].endswith("(no such file)")
    assert lines["route modules"].endswith("(no two files follow it)")
    assert lines["session dependency"].endswith("new_async_session (app.db)")


_VIEWS = """\
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import new_async_session

router = APIRouter(prefix="/auth")


@router.get("/me")
async def me(session: AsyncSession = Depends(new_async_session)):
    return {}


@router.delete("/me")
async def delete_me(session: AsyncSession = Depends(new_async_session)):
    return None
"""
