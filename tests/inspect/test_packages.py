"""A new resource's packages mirror the exemplar's, subfolders included."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import new_resource_targets, read_project
from tests.trees import write_tree

ROUTER = (
    "from fastapi import APIRouter\n\n"
    'router = APIRouter(prefix="/tickets")\n\n\n'
    '@router.get("")\ndef tickets() -> list[dict[str, int]]:\n    return []\n\n\n'
    '@router.get("/{ticket_id}")\ndef ticket(ticket_id: int) -> dict[str, int]:\n'
    "    return {}\n"
)


def test_a_versioned_router_package_gets_every_init(tmp_path: Path) -> None:
    # `api/ticket/` holds `v1/`, and both are packages.
    write_tree(
        tmp_path,
        {
            "api/__init__.py": "from api.ticket.v1.ticket import router\n",
            "api/ticket/__init__.py": "",
            "api/ticket/v1/__init__.py": "",
            "api/ticket/v1/ticket.py": ROUTER,
            "main.py": (
                "from fastapi import FastAPI\n\nfrom api import router\n\n"
                "app = FastAPI()\napp.include_router(router)\n"
            ),
        },
    )
    targets = new_resource_targets(
        read_project(tmp_path, cache=False),
        singular="label",
        plural="labels",
        operations=frozenset({"list", "read"}),
        owned=False,
        paginated=False,
    )
    created = {t.path for t in targets.files if t.action == "create"}
    assert {
        "api/label/__init__.py",
        "api/label/v1/__init__.py",
        "api/label/v1/label.py",
    } <= created
