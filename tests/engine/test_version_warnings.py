"""Plans warn about a release only when the project is known to run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec, render_markdown
from planner.inspect.versions import ceiling
from tests.paths import EXAMPLES

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def _plan_text(root: Path, files: dict[str, str]) -> str:
    for name, text in {"app/main.py": APP, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    return render_markdown(make_plan(spec, request=prepare(spec, project=root)))


def _pyproject(*deps: str) -> str:
    listed = ", ".join(f'"{d}"' for d in deps)
    return f'[project]\nname = "svc"\nversion = "1"\ndependencies = [{listed}]\n'


def _uv_lock(**packages: str) -> str:
    return "version = 1\n" + "".join(
        f'\n[[package]]\nname = "{n}"\nversion = "{v}"\n' for n, v in packages.items()
    )


@pytest.mark.parametrize("constraint", ["fastapi>=0.100", "fastapi~=0.100", "fastapi"])
def test_a_lower_bound_never_warns(tmp_path: Path, constraint: str) -> None:
    text = _plan_text(tmp_path, {"pyproject.toml": _pyproject(constraint)})
    assert "Your project has fastapi" not in text


def test_an_exact_pin_below_a_note_warns_with_its_advice(tmp_path: Path) -> None:
    text = _plan_text(tmp_path, {"pyproject.toml": _pyproject("fastapi==0.115.5")})
    assert "Your project has fastapi 0.115.5, older than 0.122.0" in text
    assert "auto_error=False" in text


def test_a_lock_wins_over_the_lower_bound(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": _pyproject("fastapi>=0.100", "httpx>=0.20"),
        "uv.lock": _uv_lock(fastapi="0.110.0", httpx="0.27.0"),
    }
    text = _plan_text(tmp_path, files)
    assert "Your project has fastapi 0.110.0, older than 0.122.0" in text
    # ASGITransport exists since httpx 0.13: a project on 0.27 needs nothing.
    assert "Your project has httpx" not in text
    assert "upgrade first" not in text


def test_an_upper_bound_below_a_note_warns(tmp_path: Path) -> None:
    # No version is resolved, but none the project allows has the change.
    text = _plan_text(tmp_path, {"pyproject.toml": _pyproject("fastapi>=0.100,<0.110")})
    assert "Your project allows fastapi <0.110 only, older than 0.122.0" in text


@pytest.mark.parametrize("constraint", ["fastapi>=0.100,<1.0", "fastapi<=0.122.0"])
def test_an_upper_bound_that_allows_the_release_never_warns(
    tmp_path: Path, constraint: str
) -> None:
    text = _plan_text(tmp_path, {"pyproject.toml": _pyproject(constraint)})
    assert "older than 0.122.0" not in text


@pytest.mark.parametrize(
    ("constraint", "bound"),
    [
        (">=1.10.10,<2.0.0", "<2.0.0"),
        ("<=1.9", "<=1.9"),
        ("~=1.4", "<2"),
        ("~=1.4.2", "<1.5"),
        ("^1.10", "<2"),
        ("^0.95", "<0.96"),
        ("==0.116.*", "<0.117"),
        (">=1.0", ""),
        ("", ""),
    ],
)
def test_the_ceiling_of_a_constraint(constraint: str, bound: str) -> None:
    assert ceiling(constraint) == bound
