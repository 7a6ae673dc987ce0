"""A layered package whose resources live in a mounted admin app.

Managers are re-exported by their package ``__init__`` and schemas are used
through attribute chains (``schemas.desk.DeskRead``), never imported by name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inspect.model import ProjectModel, new_resource_targets, read_project

OFFICE = Path(__file__).parent.parent / "fixtures" / "model" / "office"


@pytest.fixture(scope="module")
def office() -> ProjectModel:
    return read_project(OFFICE, cache=False)


def test_resources_of_a_mounted_admin_app_have_their_layer_files(
    office: ProjectModel,
) -> None:
    desks = next(r for r in office.resources if r.name == "desks")
    assert desks.served_prefix == "/admin/api/desks"
    assert {f.path: f.role for f in desks.files} == {
        "office/apps/admin/routers/desks.py": "router",
        "office/dependencies/managers.py": "service",
        "office/managers/desk.py": "service",
        "office/models/desk.py": "model",
        "office/schemas/desk.py": "schema",
    }
    assert desks.tables == ("desks",)


def test_new_resource_copies_every_layer_and_each_registry(
    office: ProjectModel,
) -> None:
    t = new_resource_targets(
        office,
        singular="chair",
        plural="chairs",
        operations=frozenset({"list", "create", "delete"}),
        owned=False,
        paginated=False,
    )
    assert {f.path: f.action for f in t.files} == {
        "office/apps/admin/app.py": "modify",
        "office/apps/admin/routers/chairs.py": "create",
        "office/dependencies/managers.py": "modify",
        "office/managers/__init__.py": "modify",
        "office/managers/chair.py": "create",
        "office/models/__init__.py": "modify",
        "office/models/chair.py": "create",
        "office/schemas/__init__.py": "modify",
        "office/schemas/chair.py": "create",
        "tests/test_apps_admin_chairs.py": "create",
    }
    assert [(e.method, e.path, e.status_code) for e in t.endpoints] == [
        ("GET", "/admin/api/chairs/", 200),
        ("POST", "/admin/api/chairs/", 201),
        ("DELETE", "/admin/api/chairs/{id}", 204),
    ]
