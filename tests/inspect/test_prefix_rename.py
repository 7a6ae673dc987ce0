"""The new resource's prefix replaces the exemplar's own part of its prefix."""

from __future__ import annotations

from pathlib import Path

from tests.trees import write_tree

_VIEW = """\
from fastapi import APIRouter

router = APIRouter(prefix="{prefix}")


@router.get("")
def list_all(q: int = 0): ...


@router.post("", status_code=201)
def create_one(data: dict): ...
"""

_ITEM = """

@router.get("/{{{key}}}")
def read_one({key}: str): ...
"""

_SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "recipe_action"\n'
    'operations = ["list", "create", "read"]\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)


def _project(tmp_path: Path, routers: dict[str, tuple[str, str]]) -> None:
    """A project of `shop/routes/controller_<name>.py` modules under `/api`."""
    tree = {
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/routes/__init__.py": "",
        "shop/app.py": (
            "from fastapi import FastAPI\n"
            + "".join(f"from shop.routes import controller_{n}\n" for n in routers)
            + "\napp = FastAPI()\n"
            + "".join(
                f'app.include_router(controller_{n}.router, prefix="/api")\n'
                for n in routers
            )
        ),
    }
    for name, (prefix, key) in routers.items():
        # A router without an item key reads no item: no exemplar for a read.
        item = _ITEM.format(key=key) if key else ""
        tree[f"shop/routes/controller_{name}.py"] = _VIEW.format(prefix=prefix) + item
    write_tree(tmp_path, tree)


def _endpoints(tmp_path: Path) -> tuple[set[tuple[str, str]], str]:
    """The plan's endpoints, and its guidance and assumptions as one text."""
    from planner import make_plan, parse_spec, prepare

    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    guidance = " ".join(
        [*(g for f in plan.files for g in f.guidance), *plan.assumptions]
    )
    return {(e.method, e.path) for e in plan.endpoints}, guidance


def test_segments_that_spell_the_exemplar_are_all_replaced(tmp_path: Path) -> None:
    # `shopping_lists` is named across two segments: both are its own.
    _project(tmp_path, {"shopping_lists": ("/groups/shopping/lists", "id")})
    endpoints, guidance = _endpoints(tmp_path)
    assert endpoints == {
        ("GET", "/api/groups/recipe_actions"),
        ("POST", "/api/groups/recipe_actions"),
        ("GET", "/api/groups/recipe_actions/{id}"),
    }
    assert 'APIRouter(prefix="/groups/recipe_actions"' in guidance


def test_an_item_key_named_for_the_exemplar_follows_the_new_prefix(
    tmp_path: Path,
) -> None:
    _project(
        tmp_path, {"shopping_lists": ("/groups/shopping/lists", "shopping_list_id")}
    )
    endpoints, _ = _endpoints(tmp_path)
    assert ("GET", "/api/groups/recipe_actions/{recipe_action_id}") in endpoints


def test_an_unnamed_prefix_goes_below_what_its_siblings_share(
    tmp_path: Path,
) -> None:
    # `shopping_lists` serves at a path that does not name it; its siblings
    # all sit below `/groups`, and so does the new resource.
    _project(
        tmp_path,
        {
            "shopping_lists": ("/groups/shopping/items", "item_id"),
            "webhooks": ("/groups/webhooks", ""),
            "cookbooks": ("/groups/cookbooks", ""),
        },
    )
    endpoints, guidance = _endpoints(tmp_path)
    assert ("POST", "/api/groups/recipe_actions") in endpoints
    assert 'APIRouter(prefix="/groups/recipe_actions"' in guidance
    assert "modelled on `shopping_lists`" in guidance


def test_a_parent_is_shared_by_two_siblings_at_least() -> None:
    from planner.inspect.model.names import Names
    from planner.inspect.model.urlstyle import renamed_prefix

    old, new = Names.guess("shopping_lists"), Names.of("recipe_action")
    prefix = "/api/v1/shopping/items"
    # One sibling under `/api/v1` and one elsewhere share no parent of it:
    # the mount stays, and the new noun takes the last segment's place.
    apart = ("/api/v1/webhooks", "/internal/cookbooks")
    assert (
        renamed_prefix(prefix, old, new, case="kebab", siblings=apart)
        == "/api/v1/shopping/recipe-actions"
    )
    beside = ("/api/v1/webhooks", "/api/v1/cookbooks")
    assert (
        renamed_prefix(prefix, old, new, case="kebab", siblings=beside)
        == "/api/v1/recipe-actions"
    )
    # A parent keeps the exemplar's path parameters: `/orgs` is no parent of
    # `/orgs/{org_id}/...`, however many routers it serves.
    keyed = "/orgs/{org_id}/shopping/items"
    orgs = ("/orgs", "/orgs/{org_id}/teams")
    assert (
        renamed_prefix(keyed, old, new, case="kebab", siblings=orgs)
        == "/orgs/{org_id}/shopping/recipe-actions"
    )
    teams = ("/orgs/{org_id}/teams", "/orgs/{org_id}/members")
    assert (
        renamed_prefix(keyed, old, new, case="kebab", siblings=teams)
        == "/orgs/{org_id}/recipe-actions"
    )


def test_a_list_beside_the_singular_noun_is_the_exemplars_list(
    tmp_path: Path,
) -> None:
    from planner import make_plan, parse_spec, prepare

    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "shop/__init__.py": "",
            "shop/users.py": (
                "from fastapi import APIRouter\n\n"
                "router = APIRouter()\n\n\n"
                '@router.post("/user", status_code=201)\n'
                "def write_user(data: dict): ...\n\n\n"
                '@router.get("/users")\n'
                "def read_users(): ...\n\n\n"
                '@router.get("/user/{username}")\n'
                "def read_user(username: str): ...\n"
            ),
            "shop/app.py": (
                "from fastapi import FastAPI\n"
                "from shop import users\n\n"
                "app = FastAPI()\n"
                'app.include_router(users.router, prefix="/api/v1")\n'
            ),
        },
    )
    spec = parse_spec(_SPEC.replace("recipe_action", "post")).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    # One item in the singular, the list of them in the plural, as `users`.
    paths = {(e.method, e.path.split("{")[0]) for e in plan.endpoints}
    assert paths == {
        ("GET", "/api/v1/posts"),
        ("POST", "/api/v1/post"),
        ("GET", "/api/v1/post/"),
    }
