"""API-key plans on projects that keep keys, models and dependencies their own way."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, prepare
from planner.plan import Plan
from planner.spec import AuthSpec
from tests.trees import write_tree

_SPEC = AuthSpec(kind="auth", scheme="api-key")

# Keys exist already: a table in the one models module, data access in db/,
# helpers in auth/; routes in server/<feature>/api.py.
_HAS_KEYS = {
    "pyproject.toml": '[project]\nname = "vault"\ndependencies = ["fastapi"]\n',
    "vault/__init__.py": "",
    "vault/main.py": (
        "from fastapi import FastAPI\n"
        "from vault.server.notes.api import router as notes_router\n"
        "from vault.server.tags.api import router as tags_router\n"
        "app = FastAPI()\n"
        "app.include_router(notes_router)\n"
        "app.include_router(tags_router)\n"
    ),
    "vault/db/__init__.py": "",
    "vault/db/models.py": (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
        "class Base(DeclarativeBase):\n    pass\n"
        "class Note(Base):\n    __tablename__ = 'note'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "class Tag(Base):\n    __tablename__ = 'tag'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "class ApiKey(Base):\n    __tablename__ = 'api_key'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    name: Mapped[str] = mapped_column()\n"
        "    hashed_api_key: Mapped[str] = mapped_column()\n"
        "    created_at: Mapped[str] = mapped_column()\n"
    ),
    "vault/db/note.py": "from vault.db.models import Note\ndef get_notes(s): ...\n",
    "vault/db/tag.py": "from vault.db.models import Tag\ndef get_tags(s): ...\n",
    "vault/db/api_key.py": (
        "from vault.db.models import ApiKey\ndef fetch_key(s, h): ...\n"
    ),
    "vault/auth/__init__.py": "",
    "vault/auth/api_key.py": "def hash_key(raw): ...\n",
    "vault/auth/users.py": "def current_user(): ...\n",
    "vault/server/__init__.py": "",
    "vault/server/notes/__init__.py": "",
    "vault/server/notes/api.py": (
        "from fastapi import APIRouter, Depends\n"
        "from vault.auth.users import current_user\n"
        "from vault.db.note import get_notes\n"
        "router = APIRouter(prefix='/notes')\n"
        "@router.get('')\n"
        "def list_notes(user=Depends(current_user)):\n    return get_notes(None)\n"
    ),
    "vault/server/tags/__init__.py": "",
    "vault/server/tags/api.py": (
        "from fastapi import APIRouter, Depends\n"
        "from vault.auth.users import current_user\n"
        "from vault.db.tag import get_tags\n"
        "router = APIRouter(prefix='/tags')\n"
        "@router.get('')\n"
        "def list_tags(user=Depends(current_user)):\n    return get_tags(None)\n"
    ),
}

# No keys yet: one model module per table, a manager per model, and a
# package of dependency modules.
_NO_KEYS = {
    "pyproject.toml": '[project]\nname = "desk"\ndependencies = ["fastapi"]\n',
    "desk/__init__.py": "",
    "desk/app.py": (
        "from fastapi import FastAPI\n"
        "from desk.routers.clients import router as clients_router\n"
        "from desk.routers.tenants import router as tenants_router\n"
        "app = FastAPI()\n"
        "app.include_router(clients_router, prefix='/clients')\n"
        "app.include_router(tenants_router, prefix='/tenants')\n"
    ),
    "desk/models/__init__.py": (
        "from desk.models.client import Client\nfrom desk.models.tenant import Tenant\n"
    ),
    "desk/models/base.py": (
        "from sqlalchemy.orm import DeclarativeBase\n"
        "class Base(DeclarativeBase):\n    pass\n"
    ),
    "desk/models/client.py": (
        "from desk.models.base import Base\n"
        "class Client(Base):\n    __tablename__ = 'clients'\n"
    ),
    "desk/models/tenant.py": (
        "from desk.models.base import Base\n"
        "class Tenant(Base):\n    __tablename__ = 'tenants'\n"
    ),
    "desk/managers/__init__.py": "",
    "desk/managers/client.py": (
        "from desk.models.client import Client\nclass ClientManager: ...\n"
    ),
    "desk/managers/tenant.py": (
        "from desk.models.tenant import Tenant\nclass TenantManager: ...\n"
    ),
    "desk/dependencies/__init__.py": "",
    "desk/dependencies/auth.py": "def get_authorize_client(): ...\n",
    "desk/dependencies/session.py": "def get_current_admin(): ...\n",
    "desk/routers/__init__.py": "",
    "desk/routers/clients.py": (
        "from fastapi import APIRouter, Depends\n"
        "from desk.dependencies.session import get_current_admin\n"
        "from desk.managers.client import ClientManager\n"
        "from desk.models.client import Client\n"
        "router = APIRouter(dependencies=[Depends(get_current_admin)])\n"
        "@router.get('/')\n"
        "def list_clients():\n    return ClientManager()\n"
    ),
    "desk/routers/tenants.py": (
        "from fastapi import APIRouter, Depends\n"
        "from desk.dependencies.session import get_current_admin\n"
        "from desk.managers.tenant import TenantManager\n"
        "from desk.models.tenant import Tenant\n"
        "router = APIRouter(dependencies=[Depends(get_current_admin)])\n"
        "@router.get('/')\n"
        "def list_tenants():\n    return TenantManager()\n"
    ),
}


def _plan(tmp_path: Path, files: dict[str, str]) -> Plan:
    write_tree(tmp_path, files)
    return make_plan(_SPEC, request=prepare(_SPEC, project=tmp_path))


def test_an_existing_key_table_is_extended_not_created(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _HAS_KEYS)
    files = {f.path: f for f in plan.files}
    tables = plan.data_model.tables if plan.data_model else ()
    assert not [t for t in tables if t.name == "api_keys"]
    model = files["vault/db/models.py"]
    assert model.action == "modify"
    text = " ".join(model.guidance)
    # The stored hash is there under the project's own name; the rest is not.
    assert "`prefix`" in text and "`expires_at`" in text
    assert "`key_hash`" not in text
    assert "()" not in text


def test_the_projects_key_modules_are_reused(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _HAS_KEYS)
    files = {f.path: f.action for f in plan.files}
    assert files["vault/auth/api_key.py"] == "modify"
    assert files["vault/db/api_key.py"] == "modify"
    # The project hashes keys already: no second hashing secret.
    assert not any("PEPPER" in g for f in plan.files for g in f.guidance)
    reason = next(a for a in plan.assumptions if a.startswith("API keys"))
    assert "`ApiKey` table is extended" in reason
    assert "`vault/auth/api_key.py`" in reason


def test_a_new_key_is_placed_like_the_projects_resources(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _NO_KEYS)
    files = {f.path: f.action for f in plan.files}
    assert files["desk/models/api_key.py"] == "create"
    assert files["desk/managers/api_key.py"] == "create"
    assert files["desk/dependencies/api_key.py"] == "create"
    assert files["desk/models/__init__.py"] == "modify"
    # A module of dependencies is no place for hashing helpers, nor a
    # schema module for a password that an API-key scheme never takes.
    assert "desk/dependencies/auth.py" not in files
    assert not any("`password`" in g for f in plan.files for g in f.guidance)
    reason = next(a for a in plan.assumptions if a.startswith("API keys"))
    assert "follow `clients`" in reason or "follow `tenants`" in reason
