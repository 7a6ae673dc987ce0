"""A new endpoint on a new path gets a module shaped like most of the project's."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import new_endpoint_targets
from planner.inspect.model.project import read_project
from tests.trees import write_tree

_ROUTES = """\
from fastapi import APIRouter

router = APIRouter(prefix="/{url}")


@router.get("/")
def list_{name}(): ...


@router.post("/", status_code=201)
def create_{name}(): ...
"""


def test_the_module_follows_the_commonest_shape_not_the_fullest_folder(
    tmp_path: Path,
) -> None:
    tree = {"pyproject.toml": '[project]\nname = "shop"\n', "shop/__init__.py": ""}
    includes = []
    # One package per module (three), and one folder of portal routers (two).
    for name in ("order", "refund", "payout"):
        tree[f"shop/{name}/__init__.py"] = ""
        tree[f"shop/{name}/endpoints.py"] = _ROUTES.format(url=f"{name}s", name=name)
        includes.append(f"shop.{name}.endpoints")
    for name in ("wallet", "seat"):
        tree[f"shop/portal/endpoints/{name}.py"] = _ROUTES.format(
            url=f"portal/{name}s", name=name
        )
        includes.append(f"shop.portal.endpoints.{name}")
    tree["shop/portal/__init__.py"] = ""
    tree["shop/portal/endpoints/__init__.py"] = ""
    tree["shop/app.py"] = (
        "from fastapi import FastAPI\n"
        + "".join(f"import {m}\n" for m in includes)
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router({m}.router)\n" for m in includes)
    )
    write_tree(tmp_path, tree)
    targets = new_endpoint_targets(
        read_project(tmp_path), method="POST", path="/feedbacks"
    )
    routers = [t.path for t in targets.files if t.role == "router"]
    # Singular as the project's packages are, not `feedbacks/` nor the portal's.
    assert routers == ["shop/feedback/endpoints.py"]


_ENDPOINTS = """\
from fastapi import APIRouter

from shop.{name}.service import {name}_service

router = APIRouter(prefix="/{name}s")


@router.post("/", status_code=201)
async def create_{name}():
    return await {name}_service.create()
"""

_SERVICE = """\
from shop.{name}.repository import {cls}Repository


class {cls}Service:
    async def create(self):
        return await {cls}Repository().create()


{name}_service = {cls}Service()
"""

_REPOSITORY = """\
from sqlalchemy import insert


class {cls}Repository:
    async def create(self):
        return insert(None)
"""


def test_an_endpoint_writing_rows_gets_each_data_layer_of_its_siblings(
    tmp_path: Path,
) -> None:
    """A service calling a repository, per package: a new package has both."""
    tree = {"pyproject.toml": '[project]\nname = "shop"\n', "shop/__init__.py": ""}
    for name in ("order", "refund"):
        cls = name.title()
        tree[f"shop/{name}/__init__.py"] = ""
        tree[f"shop/{name}/endpoints.py"] = _ENDPOINTS.format(name=name)
        tree[f"shop/{name}/service.py"] = _SERVICE.format(name=name, cls=cls)
        tree[f"shop/{name}/repository.py"] = _REPOSITORY.format(cls=cls)
    tree["shop/app.py"] = (
        "from fastapi import FastAPI\n\nfrom shop.order import endpoints as order\n"
        "from shop.refund import endpoints as refund\n\napp = FastAPI()\n"
        "app.include_router(order.router)\napp.include_router(refund.router)\n"
    )
    write_tree(tmp_path, tree)
    targets = new_endpoint_targets(
        read_project(tmp_path), method="POST", path="/feedbacks", stores=True
    )
    created = {t.path for t in targets.files if t.action == "create"}
    assert {"shop/feedback/service.py", "shop/feedback/repository.py"} <= created
