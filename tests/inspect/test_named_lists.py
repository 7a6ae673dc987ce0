"""Lists a new resource joins that name their entries rather than import them."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from planner.inspect.model import Targets, new_resource_targets, read_project
from tests.trees import write_tree

ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})

_ROUTER = """\
from fastapi import APIRouter

from shop.services.{name} import list_{name}s

router = APIRouter(prefix="/api/{name}s")


@router.get("/")
def list_all():
    return list_{name}s()


@router.post("/")
def create_{name}(): ...


@router.get("/{{{name}_id}}")
def read_{name}({name}_id: int): ...
"""

_NAMES = ("album", "photo", "tag")


def _project(root: Path, extra: dict[str, str], *, service: str = "") -> None:
    """Three resources, each with a router and its data access in ``services/``."""
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/routers/__init__.py": "",
        "shop/services/__init__.py": "",
        "shop/main.py": "from fastapi import FastAPI\n\n"
        + "".join(f"from shop.routers.{n}s import router as {n}s\n" for n in _NAMES)
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router({n}s)\n" for n in _NAMES),
    }
    for n in _NAMES:
        files[f"shop/routers/{n}s.py"] = _ROUTER.format(name=n)
        files[f"shop/services/{n}.py"] = f"{service}def list_{n}s(): ...\n"
    write_tree(root, {**files, **extra})


def _captions(root: Path, *, paginated: bool = False) -> Targets:
    return new_resource_targets(
        read_project(root, cache=False),
        singular="caption",
        plural="captions",
        operations=ALL_OPS,
        owned=False,
        paginated=paginated,
    )


def _why(targets: Targets) -> dict[str, str]:
    return {t.path: t.why for t in targets.files if t.action == "modify"}


def test_a_package_importing_its_folder_gets_the_new_module(tmp_path: Path) -> None:
    # The exemplar's schemas share a folder with modules named for no
    # resource, so no sibling pattern counts; the package lists them all.
    schemas = {
        f"shop/schemas/catalog/catalog_{n}.py": f"class {n.title()}Read: ...\n"
        for n in ("albums", "stats", "seeds", "exports")
    }
    schemas["shop/schemas/catalog/__init__.py"] = "".join(
        f"from .catalog_{n} import {n.title()}Read\n"
        for n in ("albums", "stats", "seeds", "exports")
    )
    schemas["shop/schemas/__init__.py"] = ""
    router = _ROUTER.format(name="album").replace(
        "from shop.services",
        "from shop.schemas.catalog.catalog_albums import "
        "AlbumsRead\nfrom shop.services",
    )
    _project(tmp_path, {**schemas, "shop/routers/albums.py": router})
    targets = _captions(tmp_path)
    created = {t.path for t in targets.files if t.action == "create"}
    assert "shop/schemas/catalog/catalog_captions.py" in created
    why = _why(targets)
    assert why["shop/schemas/catalog/__init__.py"] == (
        "re-exports 4/4 modules of its folder"
    )
    # An empty package lists nothing: the new service joins no list there.
    assert "shop/services/__init__.py" not in why


def test_a_test_module_spelling_every_path_gets_the_new_ones(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "tests/__init__.py": "",
            "tests/utils/routes.py": "".join(
                f'{n}s = "/api/{n}s"\n\n\ndef {n}_item(i):\n'
                f'    return f"/api/{n}s/{{i}}"\n'
                for n in _NAMES
            ),
            # One resource's paths: a test's helper, not a list of them.
            "tests/utils/albums.py": 'BASE = "/api/albums/"\n',
        },
    )
    why = _why(_captions(tmp_path))
    assert why["tests/utils/routes.py"] == "spells the paths of 3/3 resources"
    assert "tests/utils/albums.py" not in why


def test_an_accessor_per_entity_gets_the_new_one(tmp_path: Path) -> None:
    # Every data-access module imports the interface, which names each
    # resource's class: a database handle with one property per table.
    interface = "class DBInterface:\n" + "".join(
        f"    @property\n    def {n.title()}(self):\n        return orm.{n.title()}\n"
        for n in _NAMES
    )
    _project(
        tmp_path,
        {"shop/db/__init__.py": "", "shop/db/interface.py": interface},
        service="from shop.db.interface import DBInterface\n\n\n",
    )
    why = _why(_captions(tmp_path))
    assert why["shop/db/interface.py"] == "names 3/3 siblings"


def test_a_module_of_sort_orders_gets_a_paged_lists_own(tmp_path: Path) -> None:
    sorting = "".join(
        f"class {n.title()}Sort(Enum):\n    NAME_ASC = 'name'\n\n\n" for n in _NAMES
    )
    _project(tmp_path, {"shop/schemas/__init__.py": "", "shop/sorting.py": sorting})
    paged = _why(_captions(tmp_path, paginated=True))
    assert paged["shop/sorting.py"] == "holds a sort order for each of 3 entities"
    # A list that is not paged keeps no sort order of its own.
    assert "shop/sorting.py" not in _why(_captions(tmp_path))


_MODELS_SPEC = """\
kind = "crud-resource"

[resource]
name = "recipe_action"
operations = ["list", "read", "create"]

[[resource.fields]]
name = "title"
type = "str"

[pagination]
style = "none"
"""


def _models(root: Path, folders: dict[str, tuple[str, ...]]) -> None:
    """Table modules in area folders, each re-exported by its folder's package."""
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/db.py": "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase): ...\n",
        "shop/models/__init__.py": "",
    }
    for area, tables in folders.items():
        files[f"shop/models/{area}/__init__.py"] = "".join(
            f"from .{t} import {t.title().replace('_', '')}\n" for t in tables
        )
        for t in tables:
            files[f"shop/models/{area}/{t}.py"] = (
                "from sqlalchemy import Column, Integer\n\nfrom shop.db import Base\n"
                f"\n\nclass {t.title().replace('_', '')}(Base):\n"
                f'    __tablename__ = "{t}s"\n'
                "    id = Column(Integer, primary_key=True)\n"
            )
    write_tree(root, files)


def _area_router(name: str, *, layers: bool) -> str:
    area = "group" if name == "webhook" else "kitchen"
    head = "from fastapi import APIRouter\n\n"
    head += f"from shop.models.{area}.{name} import {name.title()}\n"
    if layers:
        head += f"from shop.schemas.{name} import {name.title()}Read\n"
        head += f"from shop.services.{name} import list_{name}s\n"
    return head + (
        f'\nrouter = APIRouter(prefix="/{name}s")\n\n\n'
        f'@router.get("/")\ndef list_{name}s(): ...\n\n\n'
        f'@router.post("/")\ndef create_{name}(): ...\n\n\n'
        f'@router.get("/{{{name}_id}}")\ndef read_{name}({name}_id: int): ...\n'
    )


def test_the_new_tables_package_is_its_model_registry(tmp_path: Path) -> None:
    # Most resources keep their tables in `kitchen/`; the exemplar, the one
    # with every layer, in `group/`: so does the new one, and
    # `kitchen/__init__.py` never hears of it.
    _models(
        tmp_path, {"kitchen": ("recipe", "ingredient", "step"), "group": ("webhook",)}
    )
    names = ("recipe", "ingredient", "step", "webhook")
    files = {
        "shop/main.py": "from fastapi import FastAPI\n\n"
        + "".join(f"from shop.routes.{n}s import router as {n}s\n" for n in names)
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router({n}s)\n" for n in names),
        "shop/routes/__init__.py": "",
        "shop/schemas/__init__.py": "",
        "shop/schemas/webhook.py": "from pydantic import BaseModel\n\n\n"
        "class WebhookRead(BaseModel): ...\n",
        "shop/services/__init__.py": "",
        "shop/services/webhook.py": "def list_webhooks(): ...\n",
    }
    for n in names:
        files[f"shop/routes/{n}s.py"] = _area_router(n, layers=n == "webhook")
    write_tree(tmp_path, files)
    spec = parse_spec(_MODELS_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    changed = {f.path: f.action for f in plan.files}
    assert changed["shop/models/group/recipe_action.py"] == "create"
    assert changed["shop/models/group/__init__.py"] == "modify"
    assert "shop/models/kitchen/__init__.py" not in changed


def test_an_empty_models_package_leaves_the_import_to_alembic(tmp_path: Path) -> None:
    # `env.py` imports each table module itself; the package imports none.
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "alembic.ini": "[alembic]\nscript_location = migrations\n",
            "migrations/env.py": "from shop.db import Base\n"
            "from shop.models.user import *\n\n"
            "target_metadata = Base.metadata\n",
            "migrations/script.py.mako": "",
            "migrations/versions/0001_users.py": 'revision = "0001"\n'
            "down_revision = None\n",
            "shop/__init__.py": "",
            "shop/db.py": "from sqlalchemy.orm import DeclarativeBase\n\n\n"
            "class Base(DeclarativeBase): ...\n",
            "shop/models/__init__.py": "",
            "shop/models/user.py": "from sqlalchemy import Column, Integer\n\n"
            "from shop.db import Base\n\n\nclass User(Base):\n"
            '    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n',
            "shop/main.py": "from fastapi import FastAPI\n\n"
            "from shop.routes.users import router\n\n"
            "app = FastAPI()\napp.include_router(router)\n",
            "shop/routes/__init__.py": "",
            "shop/routes/users.py": "from fastapi import APIRouter\n\n"
            "from shop.models.user import User\n\n"
            'router = APIRouter(prefix="/users")\n\n\n'
            '@router.get("/")\ndef list_users(): ...\n\n\n'
            '@router.post("/")\ndef create_user(): ...\n',
        },
    )
    spec = parse_spec(_MODELS_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    changed = {f.path: f.purpose for f in plan.files if f.action == "modify"}
    assert changed["migrations/env.py"] == "model registry"
    assert "shop/models/__init__.py" not in changed
