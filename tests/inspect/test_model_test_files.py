"""Where a plan's tests and test fixtures go, and the packages a resource adds.

``darkroom`` keeps each resource's storage in a ``services/<name>_records/``
package (the exemplar's alone lacks an ``__init__.py``), tests its routers in
``tests/routers/`` split by concern (``test_albums_multiuser.py``) and builds
the exemplar's objects in ``tests/conftest.py`` and tests each numbered
migration in ``tests/migrations/``. ``kennel`` builds test rows
with ``create_<name>`` factories and tests one router only through its
service, in ``tests/unit/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.inspect.model import (
    ProjectModel,
    existing_resource_targets,
    find_resource,
    new_resource_targets,
    read_project,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "model"
ALL_OPERATIONS = frozenset({"list", "read", "create", "update", "delete"})


@pytest.fixture(scope="module")
def kennel() -> ProjectModel:
    return read_project(FIXTURES / "kennel", cache=False)


def _lenses(model: ProjectModel) -> dict[str, str]:
    t = new_resource_targets(
        model,
        singular="lens",
        plural="lenses",
        operations=ALL_OPERATIONS,
        owned=False,
        paginated=False,
    )
    return {f.path: f.action for f in t.files}


def test_a_new_resource_follows_the_packages_tests_and_fixtures_of_its_exemplar() -> (
    None
):
    files = _lenses(read_project(FIXTURES / "darkroom", cache=False))
    assert files == {
        "darkroom/app.py": "modify",
        "darkroom/migrations/migration_003_add_lenses.py": "create",
        "darkroom/routers/lenses.py": "create",
        # Two of the three `services/*_records/` packages have one.
        "darkroom/services/lens_records/__init__.py": "create",
        "darkroom/services/lens_records/lens_records_base.py": "create",
        "darkroom/services/lens_records/lens_records_sqlite.py": "create",
        # Its fixtures build albums: the new resource's go beside them.
        "tests/conftest.py": "modify",
        # Each migration has its test: the new one too.
        "tests/migrations/test_migration_003_add_lenses.py": "create",
        # The router's test in the folder mirroring `routers/`, not the
        # topic test `tests/test_albums_cover_cache.py`.
        "tests/routers/test_lenses_multiuser.py": "create",
    }


def test_namespace_packages_stay_without_an_init(tmp_path: Path) -> None:
    root = tmp_path / "darkroom"
    shutil.copytree(FIXTURES / "darkroom", root)
    (root / "darkroom/services/frame_records/__init__.py").unlink()
    files = _lenses(read_project(root, cache=False))
    assert "darkroom/services/lens_records/lens_records_base.py" in files
    assert "darkroom/services/lens_records/__init__.py" not in files


def test_a_plan_writes_the_new_fixtures_into_the_exemplars_conftest(
    tmp_path: Path,
) -> None:
    root = tmp_path / "darkroom"
    shutil.copytree(FIXTURES / "darkroom", root)
    spec = parse_spec(
        'kind = "crud-resource"\n'
        "[resource]\n"
        'name = "lens"\nplural = "lenses"\n'
        'operations = ["list", "read", "create", "update", "delete"]\n'
        '[[resource.fields]]\nname = "name"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    tests = {f.path: f.action for f in plan.files if f.path.startswith("tests/")}
    assert tests == {
        "tests/conftest.py": "modify",
        "tests/migrations/test_migration_003_add_lenses.py": "create",
        "tests/routers/test_lenses_multiuser.py": "create",
    }


def test_a_paged_list_changes_the_factory_that_builds_its_rows(
    kennel: ProjectModel,
) -> None:
    dogs = find_resource(kennel, "GET /dogs", "/dogs")
    assert dogs is not None
    t = existing_resource_targets(kennel, dogs, kind="pagination", path="GET /dogs")
    assert {f.path: f.action for f in t.files} == {
        "kennel/routers/dogs.py": "modify",
        "kennel/services/dogs.py": "modify",
        "kennel/testing/factories.py": "modify",
        "tests/routers/test_dogs.py": "modify",
    }


def test_an_endpoint_adds_no_factory_change(kennel: ProjectModel) -> None:
    dogs = find_resource(kennel, "GET /dogs/{item_id}", "/dogs/{item_id}")
    assert dogs is not None
    t = existing_resource_targets(
        kennel, dogs, kind="endpoint", path="DELETE /dogs/{item_id}", body=False
    )
    assert "kennel/testing/factories.py" not in {f.path for f in t.files}


def test_an_untested_router_is_tested_beside_its_resources_tests(
    kennel: ProjectModel,
) -> None:
    path = "DELETE /walks/{item_id}/cache"
    walks = find_resource(kennel, path, path.partition(" ")[2])
    assert walks is not None
    t = existing_resource_targets(kennel, walks, kind="endpoint", path=path, body=False)
    assert {f.path: f.action for f in t.files} == {
        "kennel/routers/walks.py": "modify",
        "kennel/services/walks.py": "modify",
        "tests/unit/test_walks.py": "create",
    }
