"""A new API key is named for whose routes it opens, and joins the key code there is.

Fixtures under ``tests/fixtures/auth/``: ``console_keys`` serves a console
sub-app whose routers all require a console session (``ConsoleSessionToken``);
``keyed_db`` has keys already, with their own data access module
(``db/api_key.py``) beside one module per feature in ``db/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from planner import make_plan, prepare
from planner.plan import Plan
from planner.spec import AuthSpec
from tests.paths import TESTS

_SPEC = AuthSpec(kind="auth", scheme="api-key")
_FIXTURES = TESTS / "fixtures" / "auth"


def _copy(tmp_path: Path, name: str) -> Path:
    project = tmp_path / name
    shutil.copytree(_FIXTURES / name, project)
    return project


def _plan(project: Path) -> Plan:
    return make_plan(_SPEC, request=prepare(_SPEC, project=project))


def _tables(plan: Plan) -> list[tuple[str, str]]:
    tables = plan.data_model.tables if plan.data_model else ()
    return [(t.name, t.model) for t in tables]


def _files(plan: Plan) -> dict[str, str]:
    return {f.path: f.action for f in plan.files}


def test_a_key_for_one_audiences_routes_is_named_like_its_credential(
    tmp_path: Path,
) -> None:
    plan = _plan(_copy(tmp_path, "console_keys"))
    assert _files(plan) == {
        "desk/models/console_api_key.py": "create",
        "desk/models/__init__.py": "modify",
        "alembic/versions/08e2a24afa79_add_auth.py": "create",
        "desk/managers/console_api_key.py": "create",
        "desk/managers/__init__.py": "modify",
        "desk/dependencies/console_api_key.py": "create",
        "desk/dependencies/console_authentication.py": "create",
        "desk/apps/console/routers/queues.py": "modify",
        "desk/apps/console/routers/tickets.py": "modify",
        "tests/test_console_queues.py": "modify",
        "tests/test_console_tickets.py": "modify",
        "tests/test_console_auth.py": "create",
        "tests/conftest.py": "modify",
    }
    # The key's data access makes and checks keys: no security module is made.
    manager = next(
        f
        for f in plan.files
        if f.path.endswith("console_api_key.py") and "managers" in f.path
    )
    assert "`new_api_key()`" in " ".join(manager.guidance)
    assert not any(s.title == "Settings" for s in plan.steps)
    assert _tables(plan) == [("console_api_keys", "ConsoleApiKey")]
    assert plan.data_model is not None
    assert [ix.name for ix in plan.data_model.tables[0].indexes] == [
        "uq_console_api_keys_prefix"
    ]
    assert any("`ConsoleSessionToken`" in a for a in plan.assumptions)


def test_a_key_without_an_audience_credential_keeps_the_plain_name(
    tmp_path: Path,
) -> None:
    project = _copy(tmp_path, "console_keys")
    # Sessions of everyone, not of the console's callers: no audience to name.
    model = project / "desk/models/console_session_token.py"
    model.write_text(
        model.read_text().replace("class ConsoleSessionToken", "class SessionToken")
    )
    plan = _plan(project)
    files = _files(plan)
    assert files["desk/models/api_key.py"] == "create"
    assert files["desk/managers/api_key.py"] == "create"
    assert files["desk/dependencies/api_key.py"] == "create"
    assert not any("console_api_key" in p for p in files)
    assert _tables(plan) == [("api_keys", "ApiKey")]


def test_the_projects_key_data_access_is_changed_not_duplicated(
    tmp_path: Path,
) -> None:
    plan = _plan(_copy(tmp_path, "keyed_db"))
    assert _files(plan) == {
        "lab/db/models.py": "modify",
        "lab/db/api_key.py": "modify",
        "lab/auth/api_key.py": "modify",
        "lab/auth/users.py": "modify",
        "lab/server/api_key/api.py": "modify",
        "lab/server/prompts/api.py": "modify",
        "tests/test_auth.py": "create",
    }
    access = next(f for f in plan.files if f.path == "lab/db/api_key.py")
    assert access.purpose == "key lookup and rotation"
