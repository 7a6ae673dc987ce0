"""A new route's tests go where its feature's tests are, named as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.api import inspect_layout
from planner.inspect.model import read_project
from planner.inspect.model.names import Names
from planner.inspect.model.packages import mirrored_folders
from planner.plan import Plan
from tests.trees import write_tree

_MAIN = """\
from fastapi import FastAPI

from app.auth import views as auth_views
from app.probe import views as probe_views

app = FastAPI()
app.include_router(auth_views.router)
app.include_router(probe_views.router)
"""

_AUTH_VIEWS = """\
from fastapi import APIRouter

router = APIRouter(prefix="/auth")


@router.post("/access-token")
async def login_access_token(): ...


@router.post("/refresh-token")
async def refresh_token(): ...


@router.delete("/me")
async def delete_current_user(): ...
"""

_PROBE_VIEWS = """\
from fastapi import APIRouter

router = APIRouter(prefix="/probe")


@router.get("/live")
async def live(): ...
"""


_MODELS = """\
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Trade(Base):
    __tablename__ = "trades"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


def _test_of(handler: str) -> str:
    return (
        "from httpx import AsyncClient\n\nfrom app.auth import views\n\n\n"
        f"async def test_{handler}(client: AsyncClient) -> None:\n"
        f"    await client.post('/auth/{handler}')\n"
        "    assert views.router\n"
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("features")
    files = {
        "pyproject.toml": '[project]\nname = "features"\n',
        "app/__init__.py": "",
        "app/main.py": _MAIN,
        "app/auth/__init__.py": "",
        "app/auth/views.py": _AUTH_VIEWS,
        "app/auth/tests/__init__.py": "",
        "app/probe/__init__.py": "",
        "app/probe/views.py": _PROBE_VIEWS,
        "app/probe/tests/__init__.py": "",
        "app/probe/tests/test_views.py": "def test_live() -> None: ...\n",
        # One test module of a topic of `trades`: no pattern for every resource.
        "app/models.py": _MODELS,
        "tests/persistence/test_trade_fromjson.py": "def test_x() -> None: ...\n",
    }
    for handler in ("login_access_token", "refresh_token", "delete_current_user"):
        files[f"app/auth/tests/test_view_{handler}.py"] = _test_of(handler)
    write_tree(root, files)
    return root


def _plan(project: Path) -> Plan:
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "POST"\npath = "/auth/logout"\n'
        'summary = "Sign the caller out"\n'
    ).spec
    return make_plan(spec, request=prepare(spec, project=project))


def test_a_generic_test_name_is_only_its_own_features(project: Path) -> None:
    """`app/probe/tests/test_views.py` tests the probe's views, not the auth's."""
    paths = {f.path for f in _plan(project).files}
    assert "app/probe/tests/test_views.py" not in paths


def test_a_new_handler_gets_its_own_test_module_as_the_others_do(
    project: Path,
) -> None:
    plan = _plan(project)
    tests = [f for f in plan.files if "/tests/" in f.path]
    assert [(f.path, f.action) for f in tests] == [
        ("app/auth/tests/test_view_logout_auth.py", "create")
    ]
    assert {t.file for t in plan.tests} == {"app/auth/tests/test_view_logout_auth.py"}


def test_a_topic_of_one_resource_is_no_test_pattern(project: Path) -> None:
    _, layout = inspect_layout(project)
    assert "fromjson" not in layout.test_module


def test_a_test_folder_takes_the_number_its_siblings_have(tmp_path: Path) -> None:
    """`tests/webhooks/` among singular folders: a new `feedback`'s are singular."""
    files = {"pyproject.toml": '[project]\nname = "shop"\n'}
    for folder in ("account", "checkout", "order", "webhooks"):
        files[f"tests/{folder}/test_endpoints.py"] = "def test_x() -> None: ...\n"
    write_tree(tmp_path, files)
    model = read_project(tmp_path, cache=False)
    moved = mirrored_folders(
        model,
        "tests/webhooks/test_endpoints.py",
        Names.guess("webhooks"),
        Names.guess("feedbacks"),
    )
    assert moved == "tests/feedback/test_endpoints.py"
    # A folder in the number its siblings have keeps it.
    kept = mirrored_folders(
        model,
        "tests/account/test_endpoints.py",
        Names.guess("accounts"),
        Names.guess("feedbacks"),
    )
    assert kept == "tests/feedback/test_endpoints.py"
