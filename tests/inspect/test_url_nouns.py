"""New collections are named in the number the project names its collections."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import new_resource_targets, read_project
from tests.trees import write_tree

CRUD = frozenset({"list", "read", "create", "update", "delete"})


def _router(prefix: str, param: str, *, full: bool) -> str:
    lines = [
        "from fastapi import APIRouter\n\n",
        f'router = APIRouter(prefix="{prefix}")\n\n\n',
        f'@router.get("/{{{param}}}")\ndef read({param}: int) -> dict:\n',
        "    return {}\n",
    ]
    if full:
        lines += [
            '\n\n@router.get("")\ndef listing() -> list:\n    return []\n',
            '\n\n@router.post("", status_code=201)\ndef create() -> dict:\n',
            "    return {}\n",
            f'\n\n@router.patch("/{{{param}}}")\ndef update({param}: int) -> dict:\n'
            "    return {}\n",
            f'\n\n@router.delete("/{{{param}}}", status_code=204)\n'
            f"def delete({param}: int) -> None:\n    return None\n",
        ]
    return "".join(lines)


def _project(root: Path, singular: list[str]) -> None:
    files = {
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        # The one collection that can do everything, named in the plural.
        "app/routes/payments.py": _router("/payments", "payment_id", full=True),
    }
    for name in singular:
        files[f"app/routes/{name}.py"] = _router(f"/{name}", f"{name}_id", full=False)
    modules = ["payments", *singular]
    files["app/main.py"] = (
        "from fastapi import FastAPI\n\n"
        f"from app.routes import {', '.join(modules)}\n\n"
        "app = FastAPI()\n"
        + "".join(f"app.include_router({m}.router)\n" for m in modules)
    )
    write_tree(root, files)


def _paths(root: Path) -> set[str]:
    model = read_project(root, cache=False)
    targets = new_resource_targets(
        model,
        singular="voucher",
        plural="vouchers",
        operations=CRUD,
        owned=False,
        paginated=False,
    )
    assert targets.exemplar is not None and targets.exemplar.name == "payments"
    return {e.path for e in targets.endpoints}


def test_a_singular_project_names_a_new_collection_in_the_singular(
    tmp_path: Path,
) -> None:
    _project(tmp_path, ["wallet", "invoice", "account"])
    assert _paths(tmp_path) == {"/voucher", "/voucher/{voucher_id}"}


def test_a_split_vote_follows_the_exemplar(tmp_path: Path) -> None:
    _project(tmp_path, ["wallet"])
    assert _paths(tmp_path) == {"/vouchers", "/vouchers/{voucher_id}"}


def _prefix_at(project: str) -> dict[str, str]:
    from tests.paths import PROJECTS

    model = read_project(PROJECTS / project, cache=False)
    targets = new_resource_targets(
        model,
        singular="invoice",
        plural="invoices",
        operations=CRUD,
        owned=False,
        paginated=False,
    )
    return {k: v for k, v in targets.slots if k.startswith("router_")}


def test_the_new_router_gets_its_prefix_where_the_exemplar_does() -> None:
    # `APIRouter(prefix="/items")`; `include_router(..., prefix="/items")`;
    # routes on the app itself with their full paths.
    assert _prefix_at("fullstack") == {
        "router_prefix_at": "router",
        "router_prefix": "/invoices",
    }
    assert _prefix_at("classic_layered") == {"router_prefix_at": "include"}
    assert _prefix_at("single_file") == {
        "router_prefix_at": "app",
        "router_name": "app",
    }
