"""Routes declared as methods of class-based views are the project's routes."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model.project import read_project
from tests.trees import write_tree

_VIEW = """\
from fastapi import APIRouter, Depends

from shop.base import controller

router = APIRouter(prefix="/groups/{plural}")


@controller(router)
class {cls}Controller:
    @router.get("")
    def get_all(self, q: int = 0): ...

    @router.post("", status_code=201)
    def create_one(self, data: dict): ...

    @router.put("/{{item_id}}")
    async def update_one(self, item_id: str, data: dict): ...
"""


def test_methods_of_a_class_view_are_routes_of_its_router(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "shop/__init__.py": "",
            "shop/base.py": "def controller(router):\n    return lambda cls: cls\n",
            "shop/routes/__init__.py": "",
            "shop/routes/controller_webhooks.py": _VIEW.format(
                plural="webhooks", cls="Webhook"
            ),
            "shop/routes/controller_labels.py": _VIEW.format(
                plural="labels", cls="Label"
            ),
            "shop/app.py": (
                "from fastapi import FastAPI\n"
                "from shop.routes import controller_labels, controller_webhooks\n\n"
                "app = FastAPI()\n"
                'app.include_router(controller_labels.router, prefix="/api")\n'
                'app.include_router(controller_webhooks.router, prefix="/api")\n'
            ),
        },
    )
    model = read_project(tmp_path)
    routes = sorted(
        (r.method, r.path, r.status_code or 200)
        for r in model.routes
        if r.file == "shop/routes/controller_webhooks.py"
    )
    assert routes == [
        ("GET", "/api/groups/webhooks", 200),
        ("POST", "/api/groups/webhooks", 201),
        ("PUT", "/api/groups/webhooks/{item_id}", 200),
    ]
    # The module's role prefix is no part of the resource's name.
    assert sorted(r.name for r in model.resources) == ["labels", "webhooks"]


def test_a_prefix_that_does_not_name_the_exemplar_is_not_copied(
    tmp_path: Path,
) -> None:
    from planner import make_plan, parse_spec, prepare

    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "shop/__init__.py": "",
            "shop/base.py": "def controller(router):\n    return lambda cls: cls\n",
            # `shopping_lists` serves its items at a path that does not name it.
            "shop/controller_shopping_lists.py": _VIEW.replace(
                "/groups/{plural}", "/groups/shopping/items"
            ).format(cls="ShoppingList"),
            "shop/app.py": (
                "from fastapi import FastAPI\n"
                "from shop import controller_shopping_lists\n\n"
                "app = FastAPI()\n"
                "app.include_router(controller_shopping_lists.router)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "recipe_action"\n'
        'operations = ["list", "create"]\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    # Beside the exemplar's routes, never on them.
    assert {(e.method, e.path) for e in plan.endpoints} == {
        ("GET", "/groups/shopping/recipe_actions"),
        ("POST", "/groups/shopping/recipe_actions"),
    }


def test_an_item_parameter_every_module_shares_is_kept(tmp_path: Path) -> None:
    from planner import make_plan, parse_spec, prepare

    tree = {
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/base.py": "def controller(router):\n    return lambda cls: cls\n",
    }
    names = ("webhooks", "labels", "cookbooks")
    for plural in names:
        tree[f"shop/controller_{plural}.py"] = _VIEW.format(
            plural=plural, cls=plural[:-1].capitalize()
        )
    tree["shop/app.py"] = (
        "from fastapi import FastAPI\n"
        + "".join(f"from shop import controller_{p}\n" for p in names)
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router(controller_{p}.router)\n" for p in names)
    )
    write_tree(tmp_path, tree)
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "recipe_action"\n'
        'operations = ["create", "update"]\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    # `{item_id}` is the project's word for any item, not the exemplar's key.
    update = next(e for e in plan.endpoints if e.function == "update_recipe_action")
    assert update.path == "/groups/recipe_actions/{item_id}"


def test_the_router_line_and_the_contract_share_the_new_prefix(
    tmp_path: Path,
) -> None:
    from planner import make_plan, parse_spec, prepare

    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "shop/__init__.py": "",
            "shop/base.py": "def controller(router):\n    return lambda cls: cls\n",
            "shop/controller_shopping_lists.py": _VIEW.replace(
                "/groups/{plural}", "/groups/shopping/items"
            ).format(cls="ShoppingList"),
            "shop/app.py": (
                "from fastapi import FastAPI\n"
                "from shop import controller_shopping_lists\n\n"
                "app = FastAPI()\n"
                "app.include_router(controller_shopping_lists.router)\n"
            ),
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "recipe_action"\n'
        'operations = ["list", "create"]\n'
        '[[resource.fields]]\nname = "title"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert 'APIRouter(prefix="/groups/shopping/recipe_actions"' in guidance
