"""A list paged already through the project's own dependency is extended there."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_DEPS = """\
from typing import Optional

from fastapi import Request

from app.filters import Page


def get_wallet(request: Request) -> str:
    return request.headers["x-key"]


def page_params(model):
    def dependency(limit: Optional[int] = None, offset: Optional[int] = None):
        return Page(limit=limit, offset=offset)

    return dependency
"""

_FILTERS = """\
from typing import Optional

from pydantic import BaseModel


class Page(BaseModel):
    limit: Optional[int]
    offset: Optional[int]


class Unrelated(BaseModel):
    name: str
"""

_ROUTES = """\
from fastapi import APIRouter, Depends

from app.deps import get_wallet, page_params
from app.filters import Page

router = APIRouter(prefix="/api")


@router.get("/payments")
async def list_payments(
    wallet: str = Depends(get_wallet), page: Page = Depends(page_params(dict))
): ...


@router.get("/invoices")
async def list_invoices(wallet: str = Depends(get_wallet)): ...
"""


def _plan(root: Path, target: str) -> dict[str, list[str]]:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "wallet"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.routes import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
            "app/deps.py": _DEPS,
            "app/filters.py": _FILTERS,
            "app/routes.py": _ROUTES,
        },
    )
    spec = parse_spec(
        f'kind = "pagination"\ntarget = "{target}"\nstyle = "offset"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return {f.path: list(f.guidance) for f in plan.files}


def test_the_dependency_that_pages_the_route_is_extended(tmp_path: Path) -> None:
    files = _plan(tmp_path, "GET /api/payments")
    assert "app/deps.py" in files
    assert "app/filters.py" in files
    route = " ".join(files["app/routes.py"])
    assert "keep taking the paging values from the project's dependency" in route
    assert "Query(" not in route


def test_a_route_without_paging_gets_its_own_parameters(tmp_path: Path) -> None:
    # `get_wallet` lives beside the paging dependency but pages nothing.
    files = _plan(tmp_path, "GET /api/invoices")
    assert "app/deps.py" not in files
    assert "app/filters.py" not in files
    assert "declare" in " ".join(files["app/routes.py"])
