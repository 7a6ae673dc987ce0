"""The project model on small fixture projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inspect.model import (
    ProjectModel,
    existing_resource_targets,
    find_resource,
    new_endpoint_targets,
    new_resource_targets,
    read_project,
)
from planner.inspect.model.normalise import normalise_source
from planner.inspect.model.parse import parse_source
from planner.inspect.project import inspect_project
from tests.trees import write_tree

FIXTURES = Path(__file__).parent.parent / "fixtures" / "model"
ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})


@pytest.fixture(scope="module")
def shop() -> ProjectModel:
    return read_project(FIXTURES / "shop", cache=False)


def test_api_app_is_the_one_reaching_most_routes(shop: ProjectModel) -> None:
    assert shop.api_app is not None
    assert (shop.api_app.file, shop.api_app.name) == ("shop/main.py", "app")
    assert "shop/worker.py:worker" in shop.app_reason


def test_served_paths_through_settings_nested_routers_and_mounts(
    shop: ProjectModel,
) -> None:
    paths = {(r.method, r.path) for r in shop.routes}
    assert ("GET", "/api/v1/tags/") in paths
    assert ("DELETE", "/api/v1/notes/{note_id}") in paths
    assert ("GET", "/admin/ops/stats") in paths
    assert shop.api_root == "/api/v1"


def test_new_syntax_is_parsed_not_reported(shop: ProjectModel) -> None:
    assert shop.unparsed == ()
    src = (
        "def f[T](x: T) -> T:\n    try:\n        pass\n    except A, B:\n        pass\n"
    )
    assert "except (A, B):" in normalise_source(src)
    summary = parse_source(src.encode(), "m", is_package=False)
    assert summary.parsed
    assert [f.name for f in summary.functions] == ["f"]


def test_type_parameters_over_several_lines_keep_the_line_numbers(
    tmp_path: Path,
) -> None:
    src = (
        "class Service[\n"
        "    Model: Record,  # type: ignore[type-arg]\n"
        "    Key,\n"
        "](Base[Model]):\n"
        "    def get(self, key: Key) -> Model: ...\n"
    )
    summary = parse_source(src.encode(), "m", is_package=False)
    assert [(c.name, c.line) for c in summary.classes] == [("Service", 1)]
    # The facts read the same file: it is parsed, not reported unreadable.
    write_tree(
        tmp_path,
        {"pyproject.toml": "[project]\nname = 'x'\n", "app/services.py": src},
    )
    assert inspect_project(tmp_path).unreadable == ()


def test_new_resource_follows_the_closest_resource(shop: ProjectModel) -> None:
    t = new_resource_targets(
        shop,
        singular="category",
        plural="categories",
        operations=ALL_OPS,
        owned=False,
        paginated=False,
    )
    assert t.exemplar is not None
    actions = {f.path: f.action for f in t.files}
    assert actions == {
        "alembic/versions/<revision>_add_categories.py": "create",
        "shop/api/router.py": "modify",
        "shop/categories/__init__.py": "create",
        "shop/categories/models.py": "create",
        "shop/categories/router.py": "create",
        "shop/categories/service.py": "create",
        "shop/db.py": "modify",
        "tests/test_categories_service.py": "create",
    }
    assert t.served_prefix == "/api/v1/categories"
    assert t.item_param == "{category_id}"
    assert ("POST", "/api/v1/categories/", 201) in {
        (e.method, e.path, e.status_code) for e in t.endpoints
    }


def test_existing_resource_is_found_by_path_and_extended(shop: ProjectModel) -> None:
    res = find_resource(shop, "GET /tags/{tag_id}")
    assert res is not None and res.name == "tags"
    t = existing_resource_targets(shop, res, kind="endpoint")
    assert {f.path for f in t.files} >= {"shop/tags/router.py", "shop/tags/service.py"}
    assert all(f.action == "modify" for f in t.files)


def test_cache_makes_a_second_read_identical(
    tmp_path: Path, shop: ProjectModel
) -> None:
    import shutil

    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", root)
    first = read_project(root)
    assert (root / ".planner" / "cache").is_dir()
    second = read_project(root)
    assert first.routes == second.routes == shop.routes


def test_new_endpoint_joins_the_module_serving_its_path(shop: ProjectModel) -> None:
    t = new_endpoint_targets(
        shop, method="POST", path="/tags/{tag_id}/archive", body=False
    )
    assert {(f.path, f.action) for f in t.files} == {
        ("shop/tags/router.py", "modify"),
        ("shop/tags/service.py", "modify"),
        ("tests/test_tags_service.py", "modify"),
    }
    # With request or response fields, the resource's schema module changes too
    # (its `models.py` holds Pydantic classes only).
    with_body = new_endpoint_targets(shop, method="POST", path="/tags/{tag_id}/archive")
    assert ("shop/tags/models.py", "schema") in {
        (f.path, f.role) for f in with_body.files
    }
    assert [(e.method, e.path) for e in t.endpoints] == [
        ("POST", "/api/v1/tags/{tag_id}/archive")
    ]


def test_new_endpoint_with_a_new_prefix_gets_a_registered_module(
    shop: ProjectModel,
) -> None:
    t = new_endpoint_targets(shop, method="GET", path="/health")
    assert {(f.path, f.action) for f in t.files} == {
        ("shop/api/router.py", "modify"),
        ("shop/health/__init__.py", "create"),
        ("shop/health/router.py", "create"),
    }
    nested = new_endpoint_targets(shop, method="POST", path="/reports/daily/run")
    assert "shop/reports/service.py" in {f.path for f in nested.files}
    assert "tests/test_reports_service.py" in {f.path for f in nested.files}


def test_names_are_replaced_once_even_when_the_new_name_contains_the_old() -> None:
    from planner.inspect.model.names import Names, replace_names

    old, new = Names.guess("users"), Names.of("user_field")
    assert replace_names("routers/users.py", old, new) == "routers/user_fields.py"
    assert replace_names("UserCreate", old, new) == "UserFieldCreate"
    assert (
        replace_names("/users/{user_id}", old, new, url="kebab")
        == "/user-fields/{user_field_id}"
    )
