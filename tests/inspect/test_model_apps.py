"""A project with several apps: the layout follows the app that serves the API."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.api import inspect_layout
from planner.inspect.model import Targets, new_endpoint_targets, new_resource_targets
from planner.inspect.naming import Patterns
from planner.inspect.targets import read_model
from tests.trees import write_tree

_ROUTER = """\
from fastapi import APIRouter, Depends

from relay.db import get_session
from relay.{plural}.schemas import {cls}Create, {cls}Read
from relay.{plural}.service import {cls}Service

router = APIRouter(prefix="/{plural}", tags=["{plural}"])


@router.get("/")
def list_{plural}(session=Depends(get_session)) -> list[{cls}Read]:
    return {cls}Service(session).list()


@router.post("/", status_code=201)
def create_{singular}(body: {cls}Create, session=Depends(get_session)) -> {cls}Read:
    return {cls}Service(session).create(body)


@router.get("/{{{singular}_id}}")
def read_{singular}({singular}_id: int, session=Depends(get_session)) -> {cls}Read:
    return {cls}Service(session).get({singular}_id)


@router.patch("/{{{singular}_id}}")
def update_{singular}(
    {singular}_id: int, body: {cls}Create, session=Depends(get_session)
) -> {cls}Read:
    return {cls}Service(session).update({singular}_id, body)


@router.delete("/{{{singular}_id}}", status_code=204)
def delete_{singular}({singular}_id: int, session=Depends(get_session)) -> None:
    {cls}Service(session).delete({singular}_id)
"""

_SERVICE = """\
from relay.db import {cls}
from relay.overrides import {cls}Override


class {cls}Service:
    def __init__(self, session):
        self.session = session

    def get(self, id: int) -> {cls}:
        return self.session.get({cls}, id)
"""

_SCHEMAS = """\
from pydantic import BaseModel


class {cls}Create(BaseModel):
    name: str


class {cls}Read({cls}Create):
    id: int
"""

_TEST = """\
def test_list_{plural}(client):
    assert client.get("/api/{plural}/").status_code == 200
"""


def _project(package: str, modules: dict[str, str]) -> dict[str, str]:
    """A one-package app whose `main.py` includes each module's `router`."""
    names = ", ".join(sorted(modules))
    includes = "".join(f"app.include_router({m}.router)\n" for m in modules)
    return {
        "pyproject.toml": f'[project]\nname = "{package}"\n',
        f"{package}/__init__.py": "",
        f"{package}/main.py": (
            f"from fastapi import FastAPI\n\nfrom {package} import {names}\n\n"
            f"app = FastAPI()\n{includes}"
        ),
        **{f"{package}/{m}.py": source for m, source in modules.items()},
    }


def _new_targets(
    root: Path, files: dict[str, str], singular: str, plural: str, ops: frozenset[str]
) -> Targets:
    """The targets of a new resource in the project the files make."""
    write_tree(root, files)
    model = read_model(root)
    assert model is not None
    return new_resource_targets(
        model,
        singular=singular,
        plural=plural,
        operations=ops,
        owned=False,
        paginated=False,
    )


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An API app built by a factory that registers through a helper.

    Beside it: a proxy app that registers more routers directly, a module of
    Pydantic overrides two resources share, one resource's tests in a deep
    sub-area.
    """
    root = tmp_path_factory.mktemp("relay")
    files = {
        "pyproject.toml": '[project]\nname = "relay"\n',
        "relay/__init__.py": "",
        "relay/main.py": (
            "from fastapi import FastAPI\n\n"
            "from relay.authors.router import router as authors_router\n"
            "from relay.books.router import router as books_router\n\n\n"
            "def _include(app: FastAPI, router) -> None:\n"
            '    app.include_router(router, prefix="/api")\n\n\n'
            "def create_app() -> FastAPI:\n"
            "    app = FastAPI()\n"
            "    _include(app, authors_router)\n"
            "    _include(app, books_router)\n"
            "    return app\n"
        ),
        "relay/proxy/__init__.py": "",
        "relay/proxy/main.py": (
            "from fastapi import FastAPI\n\n"
            "from relay.proxy.forward import router\n\n"
            "proxy = FastAPI()\n"
            "proxy.include_router(router)\n"
            'proxy.include_router(router, prefix="/v2")\n'
        ),
        "relay/proxy/forward.py": (
            "from fastapi import APIRouter\n\n"
            "router = APIRouter()\n\n\n"
            '@router.get("/forward")\n'
            "def forward() -> None: ...\n"
        ),
        "relay/db.py": (
            "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
            "class Base(DeclarativeBase):\n    pass\n\n\n"
            "def get_session(): ...\n\n\n"
            "class Author(Base):\n"
            '    __tablename__ = "authors"\n'
            "    id: Mapped[int] = mapped_column(primary_key=True)\n\n\n"
            "class Book(Base):\n"
            '    __tablename__ = "books"\n'
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        ),
        "relay/overrides.py": (
            "from pydantic import BaseModel\n\n\n"
            "class AuthorOverride(BaseModel):\n    name: str | None = None\n\n\n"
            "class BookOverride(BaseModel):\n    name: str | None = None\n"
        ),
        "tests/__init__.py": "",
        "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef client(): ...\n",
        "tests/books/__init__.py": "",
        "tests/books/gmail/__init__.py": "",
        "tests/books/gmail/test_book.py": "def test_sync():\n    pass\n",
    }
    for singular, plural in (("author", "authors"), ("book", "books")):
        names = {"singular": singular, "plural": plural, "cls": singular.title()}
        files[f"relay/{plural}/__init__.py"] = ""
        files[f"relay/{plural}/router.py"] = _ROUTER.format(**names)
        files[f"relay/{plural}/service.py"] = _SERVICE.format(**names)
        files[f"relay/{plural}/schemas.py"] = _SCHEMAS.format(**names)
        files[f"tests/test_{plural}.py"] = _TEST.format(**names)
    write_tree(root, files)
    return root


def test_the_layout_follows_the_app_that_serves_the_api(relay: Path) -> None:
    model = read_model(relay)
    assert model is not None and model.api_app is not None
    assert model.api_app.file == "relay/main.py"
    facts, layout = inspect_layout(relay, model)
    assert facts.app is not None and facts.app.file == "relay/main.py"
    assert layout.router_registry == "relay/main.py"
    assert "routers are registered in relay/main.py" in facts.findings


def test_a_new_resource_touches_the_api_app_and_its_own_layers(relay: Path) -> None:
    spec = parse_spec(
        'kind = "crud-resource"\n'
        '[resource]\nname = "review"\n'
        '[[resource.fields]]\nname = "body"\ntype = "text"\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=relay))
    actions = {f.path: f.action for f in plan.files}
    assert actions["relay/main.py"] == "modify"
    assert actions["relay/db.py"] == "modify"  # the tables live there
    for layer in ("router", "service", "schemas"):
        assert actions[f"relay/reviews/{layer}.py"] == "create"
    assert actions["tests/test_reviews.py"] == "create"
    # Not the proxy, not a module of overrides the exemplar's schemas make
    # needless, not one resource's test sub-area.
    assert "relay/proxy/main.py" not in actions
    assert "relay/overrides.py" not in actions
    assert not any("gmail" in path for path in actions)
    endpoints = {(e.method, e.path) for e in plan.endpoints}
    assert ("POST", "/api/reviews/") in endpoints


def test_one_resources_sub_area_is_no_pattern() -> None:
    patterns = Patterns(["book", "author"])
    assert patterns.best(["tests/books/gmail/test_book.py"]) is None
    assert patterns.best(["tests/books/gmail/test_sync.py"]) is None
    # A file named for its resource is a pattern even when one resource has it.
    assert patterns.best(["tests/test_books.py"]) == (
        "tests/test_{plural}.py",
        ("book",),
    )
    both = ["tests/books/test_api.py", "tests/authors/test_api.py"]
    assert patterns.best(both) == ("tests/{plural}/test_api.py", ("author", "book"))


def test_a_container_of_service_packages_is_a_registry(tmp_path: Path) -> None:
    """Service packages named for each resource, listed by one container.

    ``services/<name>_records/<name>_records_base.py``: a new resource's
    storage joins the container too.
    """
    files = {
        "pyproject.toml": '[project]\nname = "depot"\n',
        "depot/__init__.py": "",
        "depot/main.py": (
            "from fastapi import FastAPI\n\n"
            "from depot.routers import boxes, crates, pallets, trucks\n\n"
            "app = FastAPI()\n"
            "for module in (boxes, crates, pallets, trucks):\n"
            '    app.include_router(module.router, prefix="/api")\n'
        ),
        "depot/routers/__init__.py": "",
        "depot/services/__init__.py": "",
        "depot/services/container.py": "",
    }
    imports = []
    for plural in ("boxes", "crates", "pallets", "trucks"):
        singular = plural.removesuffix("es" if plural == "boxes" else "s")
        cls = singular.title()
        base = f"depot/services/{singular}_records/{singular}_records_base.py"
        files[f"depot/services/{singular}_records/__init__.py"] = ""
        files[base] = f"class {cls}RecordsBase:\n    pass\n"
        files[f"depot/routers/{plural}.py"] = (
            "from fastapi import APIRouter\n\n"
            f"from depot.services.{singular}_records.{singular}_records_base import "
            f"{cls}RecordsBase\n\n"
            f'router = APIRouter(prefix="/{plural}")\n\n\n'
            f'@router.get("/")\ndef list_{plural}() -> list[str]:\n    return []\n'
        )
        imports.append(
            f"from depot.services.{singular}_records.{singular}_records_base "
            f"import {cls}RecordsBase\n"
        )
    files["depot/services/container.py"] = "".join(imports) + (
        "\n\nclass Services:\n"
        "    def __init__(self, crates: CrateRecordsBase) -> None:\n"
        "        self.crates = crates\n"
    )
    # A module that uses half the storages lists none of them.
    files["depot/services/mover.py"] = "".join(imports[:2])
    write_tree(tmp_path, files)
    model = read_model(tmp_path)
    assert model is not None
    found = {(r.path, r.pattern) for r in model.registries}
    assert (
        "depot/services/container.py",
        "depot/services/*/*_records_base.py",
    ) in found
    assert not any(path == "depot/services/mover.py" for path, _ in found)


def test_a_new_resource_keys_every_route_by_its_own_id(tmp_path: Path) -> None:
    """The exemplar finds payments by hash; a new resource has an id."""
    router = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/api/{plural}")\n\n\n'
        '@router.post("")\ndef create_{singular}() -> None: ...\n\n\n'
        '@router.get("/{{{singular}_hash}}")\n'
        "def read_{singular}({singular}_hash: str) -> None: ...\n"
    )
    files = _project(
        "till",
        {p: router.format(singular=p[:-1], plural=p) for p in ("payments", "invoices")},
    )
    targets = _new_targets(
        tmp_path, files, "link", "links", frozenset({"create", "read", "delete"})
    )
    assert {(e.method, e.path) for e in targets.endpoints} == {
        ("POST", "/api/links"),
        ("GET", "/api/links/{link_id}"),
        ("DELETE", "/api/links/{link_id}"),
    }


def test_paging_follows_a_container_to_its_repository_and_tests_per_handler(
    tmp_path: Path,
) -> None:
    """``app.DATABASE.sessions.list_profiles()`` is the repository's work.

    A project that tests each handler in a module of its own gets one more.
    """
    files = {
        "pyproject.toml": '[project]\nname = "vault"\n',
        "vault/__init__.py": "",
        "vault/forge/__init__.py": (
            "from vault.forge.db.agent_db import AgentDB\n\nDATABASE = AgentDB()\n"
        ),
        "vault/forge/db/__init__.py": "",
        "vault/forge/db/agent_db.py": (
            "from vault.forge.db.repositories.sessions import SessionsRepository\n\n\n"
            "class AgentDB:\n"
            "    def __init__(self) -> None:\n"
            "        self.sessions = SessionsRepository()\n"
        ),
        "vault/forge/db/repositories/__init__.py": "",
        "vault/forge/db/repositories/sessions.py": (
            "class SessionsRepository:\n"
            "    async def list_profiles(self, owner: str) -> list[str]:\n"
            "        return []\n\n"
            "    async def reset_profile(self, profile_id: str) -> None: ...\n"
        ),
        "vault/forge/schemas/__init__.py": "",
        "vault/forge/schemas/profiles.py": (
            "from pydantic import BaseModel\n\n\nclass Profile(BaseModel):\n"
            "    id: str\n"
        ),
        "vault/forge/routes/__init__.py": "",
        "vault/forge/routes/profiles.py": (
            "from fastapi import APIRouter\n\n"
            "from vault import forge as app\n"
            "from vault.forge.schemas.profiles import Profile\n\n"
            'router = APIRouter(prefix="/v1")\n\n\n'
            '@router.get("/profiles")\n'
            "async def list_profiles() -> list[Profile]:\n"
            '    return await app.DATABASE.sessions.list_profiles(owner="me")\n\n\n'
            '@router.post("/profiles/{profile_id}/reset")\n'
            "async def reset_profile(profile_id: str) -> None:\n"
            "    await app.DATABASE.sessions.reset_profile(profile_id)\n"
        ),
        "vault/main.py": (
            "from fastapi import FastAPI\n\n"
            "from vault.forge.routes.profiles import router\n\n"
            "app = FastAPI()\napp.include_router(router)\n"
        ),
        # Modules named like the container's attribute that do other work.
        "vault/forge/schemas/sessions.py": "class Session: ...\n",
        "vault/forge/routes/sessions.py": "def open_session() -> None: ...\n",
        "tests/__init__.py": "",
        "tests/unit/sdk/test_reset_profile_route.py": (
            "from vault.forge.routes.profiles import reset_profile\n\n\n"
            "def test_reset() -> None:\n    assert reset_profile\n"
        ),
    }
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "pagination"\ntarget = "GET /v1/profiles"\nstyle = "page"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    actions = {f.path: f.action for f in plan.files}
    assert actions["vault/forge/db/repositories/sessions.py"] == "modify"
    assert actions["vault/forge/routes/profiles.py"] == "modify"
    assert actions["tests/unit/sdk/test_list_profiles_route.py"] == "create"
    assert "vault/forge/__init__.py" not in actions
    # Once the handler has its test module, the plan changes it.
    write_tree(
        tmp_path,
        {
            "tests/unit/sdk/test_list_profiles_route.py": (
                "from vault.forge.routes.profiles import list_profiles\n"
            )
        },
    )
    again = make_plan(spec, request=prepare(spec, project=tmp_path))
    actions = {f.path: f.action for f in again.files}
    assert actions["tests/unit/sdk/test_list_profiles_route.py"] == "modify"


def test_a_new_route_works_like_the_routes_whose_path_it_shares(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "deck"\n',
        "deck/__init__.py": "",
        "deck/services/__init__.py": "",
        "deck/services/script_service.py": "def deploy(script_id: str) -> None: ...\n",
        "deck/services/flow_script_service.py": (
            "def blocks(flow_id: str) -> None: ...\n"
        ),
        "deck/routes/__init__.py": "",
        "deck/routes/scripts.py": (
            "from fastapi import APIRouter\n\n"
            "from deck.services import flow_script_service, script_service\n\n"
            'router = APIRouter(prefix="/scripts")\n\n\n'
            '@router.post("/{script_id}/deploy")\n'
            "def deploy(script_id: str) -> None:\n"
            "    script_service.deploy(script_id)\n\n\n"
            '@router.post("/{script_id}/undeploy")\n'
            "def undeploy(script_id: str) -> None:\n"
            "    script_service.deploy(script_id)\n\n\n"
            '@router.get("/{flow_id}/blocks")\n'
            "def blocks(flow_id: str) -> None:\n"
            "    flow_script_service.blocks(flow_id)\n"
        ),
        "deck/main.py": (
            "from fastapi import FastAPI\n\n"
            "from deck.routes.scripts import router\n\n"
            "app = FastAPI()\napp.include_router(router)\n"
        ),
    }
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "DELETE"\npath = "/scripts/{flow_id}/cache"\n'
        'summary = "Clear the cache"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    actions = {f.path: f.action for f in plan.files}
    assert "deck/services/flow_script_service.py" in actions
    assert "deck/services/script_service.py" not in actions
    # The project has no tests of the scripts router yet: they are created.
    assert actions["tests/test_scripts.py"] == "create"


def test_the_item_parameter_keeps_the_exemplars_convertor(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/{plural}")\n\n\n'
        '@router.get("/")\ndef list_{plural}() -> None: ...\n\n\n'
        '@router.get("/{{id:uuid}}")\ndef read_{singular}(id: str) -> None: ...\n'
    )
    files = _project(
        "keys",
        {p: router.format(singular=p[:-1], plural=p) for p in ("users", "roles")},
    )
    targets = _new_targets(
        tmp_path, files, "field", "fields", frozenset({"read", "update", "delete"})
    )
    assert {e.path for e in targets.endpoints} == {"/fields/{id:uuid}"}


def test_a_manager_reached_through_the_server_object_is_the_resources(
    tmp_path: Path,
) -> None:
    router = (
        "from fastapi import APIRouter, Depends\n\n"
        "from hub.server import get_server\n\n"
        'router = APIRouter(prefix="/{plural}")\n\n\n'
        '@router.get("/")\ndef list_{plural}(server=Depends(get_server)) -> None:\n'
        "    server.{singular}_manager.list()\n"
        "    server.{singular}_clip_manager.list()\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "hub"\n',
        "hub/__init__.py": "",
        "hub/server.py": "def get_server() -> None: ...\n",
        "hub/main.py": (
            "from fastapi import FastAPI\n\nfrom hub.routers import decks, tools\n\n"
            "app = FastAPI()\n"
            "app.include_router(tools.router)\napp.include_router(decks.router)\n"
        ),
        "hub/routers/__init__.py": "",
        "hub/services/__init__.py": "",
    }
    for singular in ("tool", "deck"):
        files[f"hub/routers/{singular}s.py"] = router.format(
            singular=singular, plural=f"{singular}s"
        )
        for stem in (f"{singular}_manager", f"{singular}_clip_manager"):
            files[f"hub/services/{stem}.py"] = "def list() -> None: ...\n"
    write_tree(tmp_path, files)
    model = read_model(tmp_path)
    assert model is not None
    tools = next(r for r in model.resources if r.name == "tools")
    own = {f.path for f in tools.files if f.own}
    assert "hub/services/tool_manager.py" in own
    assert "hub/services/tool_clip_manager.py" not in own


def test_an_untested_exemplar_borrows_a_siblings_test_names(tmp_path: Path) -> None:
    """The router and service tests of the tested sibling, renamed."""
    crud = "".join(
        f'\n\n@router.{verb}("{path}")\ndef {name}() -> None:\n    service.run()\n'
        for verb, path, name in (
            ("get", "", "list_all"),
            ("post", "", "create"),
            ("get", "/{item_id}", "read"),
            ("patch", "/{item_id}", "update"),
            ("delete", "/{item_id}", "delete"),
        )
    )
    head = (
        "from fastapi import APIRouter\n\n"
        "from vault.{plural} import service\n\n"
        'router = APIRouter(prefix="/{plural}")\n'
    )
    files = {
        "pyproject.toml": '[project]\nname = "vault"\n',
        "vault/__init__.py": "",
        "vault/main.py": (
            "from fastapi import FastAPI\n\nfrom vault.secrets.router import router"
            " as secrets\nfrom vault.spaces.router import router as spaces\n\n"
            "app = FastAPI()\napp.include_router(secrets)\napp.include_router(spaces)\n"
        ),
        "vault/spaces/__init__.py": "",
        "vault/spaces/router.py": head.format(plural="spaces") + crud,
        "vault/spaces/service.py": "def run() -> None: ...\n",
        "vault/secrets/__init__.py": "",
        "vault/secrets/router.py": head.format(plural="secrets") + crud[:120],
        "vault/secrets/secrets_manager.py": "class Manager: ...\n",
        "vault/secrets/service.py": "def run() -> None: ...\n",
        "tests/unit/test_secrets.py": "from vault.secrets import router\n",
        "tests/unit/test_secrets_service.py": "from vault.secrets import service\n",
    }
    targets = _new_targets(
        tmp_path,
        files,
        "tag",
        "tags",
        frozenset({"list", "read", "create", "update", "delete"}),
    )
    assert targets.exemplar is not None and targets.exemplar.name == "spaces"
    tests = {t.path for t in targets.files if t.role == "test"}
    assert tests == {"tests/unit/test_tags.py", "tests/unit/test_tags_service.py"}


def test_data_access_models_mixin_tables_and_a_tree_per_database(
    tmp_path: Path,
) -> None:
    """Query modules in ``models/``, mixins in ``orm_models.py``, two trees.

    ``models/<name>.py`` of query functions is data access; the ORM classes
    are mixins in one ``orm_models.py``; revisions live in one tree per
    database.
    """
    files = {
        "pyproject.toml": (
            '[project]\nname = "flux"\ndependencies = ["fastapi", "sqlalchemy"]\n'
        ),
        "alembic.ini": "[alembic]\nscript_location = %(here)s/migrations\n",
        "migrations/env.py": "",
        "flux/__init__.py": "",
        "flux/orm_models.py": (
            "import sqlalchemy as sa\n"
            "from sqlalchemy.orm import declarative_mixin\n\n\n"
            "@declarative_mixin\nclass ORMAlpha:\n"
            "    name = sa.Column(sa.String)\n\n\n"
            "@declarative_mixin\nclass ORMBeta:\n    name = sa.Column(sa.String)\n"
        ),
        "flux/main.py": (
            "from fastapi import FastAPI\n\nfrom flux.api import flows, runs\n\n"
            "app = FastAPI()\n"
            "app.include_router(flows.router)\napp.include_router(runs.router)\n"
        ),
        "flux/api/__init__.py": "",
        "flux/models/__init__.py": "",
        "flux/schemas/__init__.py": "",
        "flux/schemas/actions.py": (
            "from pydantic import BaseModel\n\n\n"
            "class FlowCreate(BaseModel):\n    name: str\n\n\n"
            "class RunCreate(BaseModel):\n    name: str\n"
        ),
    }
    for database in ("postgresql", "sqlite"):
        for n, table in enumerate(("alpha", "beta")):
            down = f'"{database[:2]}0"' if n else "None"
            files[f"migrations/versions/{database}/000{n}_{table}.py"] = (
                f'revision = "{database[:2]}{n}"\ndown_revision = {down}\n\n\n'
                f'def upgrade():\n    op.create_table("{table}")\n'
            )
    for plural in ("flows", "runs"):
        files[f"flux/api/{plural}.py"] = (
            "from fastapi import APIRouter\n\n"
            "from flux import models\nfrom flux.schemas import actions\n\n"
            f'router = APIRouter(prefix="/{plural}")\n\n\n'
            f'@router.get("/")\ndef list_{plural}() -> None:\n'
            f"    models.{plural}.read_{plural}()\n\n\n"
            f'@router.post("/")\ndef create(body: actions.{plural[:-1].title()}Create)'
            " -> None: ...\n"
        )
        files[f"flux/models/{plural}.py"] = (
            "import sqlalchemy as sa\n\n\n"
            f"def read_{plural}() -> None: ...\n\n\n"
            f"def count_{plural}() -> None: ...\n"
        )
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "variable"\n'
        '[[resource.fields]]\nname = "value"\ntype = "str"\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    purpose = {f.path: f.purpose for f in plan.files}
    assert purpose["flux/models/variables.py"] == "data access for variables"
    assert purpose["flux/orm_models.py"] == "the `Variable` table model"
    trees = {p.split("/")[2] for p in purpose if p.startswith("migrations/versions/")}
    assert trees == {"postgresql", "sqlite"}


def test_no_module_is_planned_where_a_package_of_that_name_exists(
    tmp_path: Path,
) -> None:
    """``flux/models.py`` beside ``flux/models/`` would never be imported."""
    files = {
        "pyproject.toml": (
            '[project]\nname = "flux"\ndependencies = ["fastapi", "sqlalchemy"]\n'
        ),
        "flux/__init__.py": "",
        "flux/main.py": (
            "from fastapi import FastAPI\n\nfrom flux.api import flows, runs\n\n"
            "app = FastAPI()\n"
            "app.include_router(flows.router)\napp.include_router(runs.router)\n"
        ),
        "flux/api/__init__.py": "",
        "flux/models/__init__.py": "",
    }
    for plural in ("flows", "runs"):
        files[f"flux/api/{plural}.py"] = (
            "from fastapi import APIRouter\n\nfrom flux import models\n\n"
            f'router = APIRouter(prefix="/{plural}")\n\n\n'
            f'@router.get("/")\ndef list_{plural}() -> None:\n'
            f"    models.{plural}.read()\n"
        )
        files[f"flux/models/{plural}.py"] = (
            "def read() -> None: ...\n\n\ndef count() -> None: ...\n"
        )
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "variable"\n'
        '[[resource.fields]]\nname = "value"\ntype = "str"\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    paths = {f.path for f in plan.files}
    assert "flux/models.py" not in paths
    assert "flux/models/variable.py" in paths


def test_domain_models_beside_schemas_are_mirrored_but_hold_no_table(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": (
            '[project]\nname = "stack"\ndependencies = ["fastapi", "sqlalchemy"]\n'
        ),
        "stack/__init__.py": "",
        "stack/main.py": (
            "from fastapi import FastAPI\n\nfrom stack.routers import runs, fleets\n\n"
            "app = FastAPI()\n"
            "app.include_router(runs.router)\napp.include_router(fleets.router)\n"
        ),
        "stack/models.py": (
            "from sqlalchemy.orm import DeclarativeBase\n\n\n"
            "class Base(DeclarativeBase):\n    pass\n\n\n"
            'class RunModel(Base):\n    __tablename__ = "runs"\n\n\n'
            'class FleetModel(Base):\n    __tablename__ = "fleets"\n'
        ),
        "stack/routers/__init__.py": "",
        "stack/schemas/__init__.py": "",
        "stack/core/__init__.py": "",
        "stack/core/models/__init__.py": "",
    }
    for plural in ("runs", "fleets"):
        cls = plural[:-1].title()
        files[f"stack/routers/{plural}.py"] = (
            "from fastapi import APIRouter\n\n"
            f"from stack.core.models.{plural} import {cls}\n"
            f"from stack.models import {cls}Model\n"
            f"from stack.schemas.{plural} import {cls}Request\n\n"
            f'router = APIRouter(prefix="/{plural}")\n\n\n'
            f'@router.post("/list")\ndef list_{plural}(body: {cls}Request)'
            f" -> list[{cls}]: ...\n"
        )
        files[f"stack/schemas/{plural}.py"] = (
            f"from pydantic import BaseModel\n\n\nclass {cls}Request(BaseModel):\n"
            "    limit: int\n"
        )
        files[f"stack/core/models/{plural}.py"] = (
            f"from pydantic import BaseModel\n\n\nclass {cls}(BaseModel):\n"
            "    name: str\n"
        )
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "key"\n'
        '[[resource.fields]]\nname = "value"\ntype = "str"\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    purpose = {f.path: f.purpose for f in plan.files}
    assert purpose["stack/models.py"] == "the `Key` table model"
    assert purpose["stack/schemas/keys.py"] == "request and response schemas"
    assert "stack/core/models/keys.py" in purpose


def test_a_new_resource_gets_the_data_access_module_its_siblings_have(
    tmp_path: Path,
) -> None:
    """The exemplar queries through another resource's module.

    Its siblings laid out like it each have a ``db/<name>.py``; only the
    exemplar serves every operation asked for.
    """
    ops = (
        ("get", "", "list"),
        ("post", "", "create"),
        ("get", "/{{item_id}}", "read"),
        ("patch", "/{{item_id}}", "update"),
        ("delete", "/{{item_id}}", "delete"),
    )

    def crud(count: int) -> str:
        return "".join(
            f'\n\n@router.{verb}("/{{name}}{path}")\ndef {op}_{{name}}() -> None:\n'
            "    {call}\n"
            for verb, path, op in ops[:count]
        )

    head = "from fastapi import APIRouter\n\n{imports}\nrouter = APIRouter()\n"
    files = {
        "pyproject.toml": '[project]\nname = "dan"\n',
        "dan/__init__.py": "",
        "dan/main.py": (
            "from fastapi import FastAPI\n\n"
            "from dan.features.folder.api import router as a\n"
            "from dan.features.persona.api import router as b\n"
            "from dan.features.prompt.api import router as c\n\n"
            "app = FastAPI()\n"
            "app.include_router(a)\napp.include_router(b)\napp.include_router(c)\n"
        ),
        "dan/db/__init__.py": "",
        "dan/db/folder.py": "def get_folders() -> None: ...\n",
        "dan/db/persona.py": (
            "def get_personas() -> None: ...\n\n\ndef get_prompts() -> None: ...\n"
        ),
        "dan/features/__init__.py": "",
    }
    for name in ("folder", "persona", "prompt"):
        db = "persona" if name == "prompt" else name
        files[f"dan/features/{name}/__init__.py"] = ""
        files[f"dan/features/{name}/api.py"] = head.format(
            imports=f"from dan.db.{db} import get_{name}s\n"
        ) + crud(5 if name == "prompt" else 3).format(name=name, call=f"get_{name}s()")
    targets = _new_targets(
        tmp_path,
        files,
        "input_prompt",
        "input_prompts",
        frozenset({"list", "read", "create", "update", "delete"}),
    )
    assert targets.exemplar is not None and targets.exemplar.name == "prompts"
    actions = {t.path: t.action for t in targets.files}
    assert actions["dan/db/input_prompt.py"] == "create"
    assert "dan/db/persona.py" not in actions


def test_a_new_delete_answers_as_the_projects_deletes_do(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/{plural}")\n\n\n'
        '@router.delete("/{{item_id}}")\ndef delete(item_id: int) -> None: ...\n'
    )
    files = _project("mill", {p: router.format(plural=p) for p in ("jobs", "runs")})
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "DELETE"\npath = "/jobs/{job_id}/cache"\n'
        'summary = "Clear the cache"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert [e.success_status for e in plan.endpoints] == [200]
    assert any(
        "answers 200, as the project's own routes do" in n.text for n in plan.notes
    )


def test_sign_up_answers_as_the_projects_creates_do(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/api/{plural}")\n\n\n'
        '@router.post("")\ndef create() -> None: ...\n\n\n'
        '@router.get("")\ndef list_all() -> None: ...\n'
    )
    files = _project("mint", {p: router.format(plural=p) for p in ("coins", "notes")})
    write_tree(tmp_path, files)
    spec = parse_spec(
        'kind = "auth"\nscheme = "password-jwt"\nregistration = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    register = next(e for e in plan.endpoints if e.function == "register")
    assert register.success_status == 200
    assert not any(h.startswith("Location") for h in register.success_headers)
    assert any("current practice is 201" in n.text for n in plan.notes)


def test_a_new_resource_joins_the_test_data_factories(tmp_path: Path) -> None:
    router = (
        "from fastapi import APIRouter\n\n"
        'router = APIRouter(prefix="/{plural}")\n\n\n'
        '@router.get("/")\ndef list_{plural}() -> None: ...\n'
    )
    plurals = ("boats", "docks", "crews")
    files = {
        "pyproject.toml": '[project]\nname = "port"\n',
        "port/__init__.py": "",
        "port/main.py": "from fastapi import FastAPI\n\nfrom port import "
        + ", ".join(plurals)
        + "\n\napp = FastAPI()\n"
        + "".join(f"app.include_router({p}.router)\n" for p in plurals),
        "port/testing/__init__.py": "",
        "port/testing/factories.py": "".join(
            f"def create_{p[:-1]}() -> None: ...\n\n\n" for p in plurals
        ),
    }
    for plural in plurals:
        files[f"port/{plural}.py"] = router.format(plural=plural)
    targets = _new_targets(tmp_path, files, "berth", "berths", frozenset({"list"}))
    why = {t.path: t.why for t in targets.files}
    assert why["port/testing/factories.py"] == (
        "`create_berth` beside the others' factories"
    )


@pytest.mark.parametrize("body", [True, False])
def test_a_new_endpoint_module_has_schemas_only_for_declared_fields(
    relay: Path, body: bool
) -> None:
    model = read_model(relay)
    assert model is not None
    targets = new_endpoint_targets(
        model, method="POST", path="/api/loans/renew", body=body
    )
    roles = {t.role for t in targets.files}
    assert "router" in roles and "service" in roles
    assert ("schema" in roles) is body
