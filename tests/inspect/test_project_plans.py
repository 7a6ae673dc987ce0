"""Plans name the real files of each fixture project, in its own conventions.

The spec is `tests/golden/project-fullstack/spec.toml` (an owned `invoice`
resource); the expected lists were reviewed file by file against each
fixture's layout.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec
from tests.paths import TESTS

HERE = TESTS
PROJECTS = HERE / "fixtures" / "projects"
SPEC = HERE / "golden" / "project-fullstack" / "spec.toml"

_WRITE_TIME = re.compile(r"<(?:year|month|day|hour|minute|second|date)>")

EXPECTED = {
    "async_sqlalchemy": [
        "modify app/models.py",
        "modify app/schemas.py",
        "create app/services/invoice_service.py",
        "create app/routers/invoices_router.py",
        "modify app/main.py",
        "create tests/test_invoices_router.py",
        "modify tests/conftest.py",
    ],
    "classic_layered": [
        "create app/models/invoice.py",
        "modify app/db/base.py",
        # Its base names tables from their classes: `Invoice` is `invoice`.
        "create alembic/versions/9912237912f9_add_invoice.py",
        "create app/schemas/invoice.py",
        "create app/crud/crud_invoice.py",
        "create app/api/v1/endpoints/invoices.py",
        "modify app/api/v1/api.py",
        "create tests/api/api_v1/test_invoices.py",
        "modify app/crud/__init__.py",
        "modify app/models/__init__.py",
        "modify app/schemas/__init__.py",
    ],
    "controllers_repo": [
        "create app/models/invoice.py",
        "modify app/models/__init__.py",
        "create app/schemas/invoice.py",
        "create app/repositories/invoice_repository.py",
        "create app/controllers/invoice_controller.py",
        "modify app/routes.py",
        "create tests/controllers/test_invoice_controller.py",
        "modify tests/conftest.py",
    ],
    "domain_src": [
        "create src/invoices/models.py",
        "modify alembic/env.py",
        # Its alembic.ini names files by date and slug only: Alembic sets
        # the date when it writes the file.
        "create alembic/versions/<year>-<month>-<day>_add_invoices.py",
        "create src/invoices/schemas.py",
        "create src/invoices/service.py",
        "create src/invoices/router.py",
        "modify src/main.py",
        "create tests/invoices/test_router.py",
        "modify tests/conftest.py",
        "create src/invoices/__init__.py",
        "create src/invoices/dependencies.py",
    ],
    "fullstack": [
        "modify backend/app/models.py",
        "create backend/app/alembic/versions/64da95d6c371_add_invoices.py",
        "modify backend/app/crud.py",
        "create backend/app/api/routes/invoices.py",
        "modify backend/app/api/main.py",
        "create backend/tests/api/routes/test_invoices.py",
    ],
    "per_resource": [
        "create app/invoices/models.py",
        "modify migrations/env.py",
        "create migrations/versions/0003_add_invoices.py",
        "create app/invoices/schemas.py",
        "create app/invoices/service.py",
        "create app/invoices/routes.py",
        "modify app/api.py",
        "create tests/invoices/test_routes.py",
        "modify tests/conftest.py",
        "create app/invoices/__init__.py",
    ],
    "pydantic_v1": [
        "modify app/models.py",
        "modify app/schemas.py",
        "modify app/crud.py",
        "create app/routers/invoices.py",
        "modify app/main.py",
        "create tests/test_invoices.py",
        "modify tests/conftest.py",
    ],
    "single_file": [
        "modify main.py",
        "modify test_main.py",
    ],
    "sql_scripts": [
        "modify app/models.py",
        "create migrations/004_create_invoices.sql",
        "create app/routes/invoices.py",
        "modify app/db.py",
        "modify app/main.py",
        "create tests/test_invoices.py",
        "modify tests/conftest.py",
    ],
    "sync_sqlalchemy": [
        "modify sql_app/models.py",
        "modify sql_app/schemas.py",
        "modify sql_app/crud.py",
        "modify sql_app/main.py",
        "create sql_app/tests/test_invoices.py",
        "create sql_app/tests/conftest.py",
    ],
}


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_plan_names_the_projects_own_files(project: str) -> None:
    spec = read_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=PROJECTS / project))
    assert [f"{f.action} {f.path}" for f in plan.files] == EXPECTED[project]


def test_every_fixture_project_is_covered() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in PROJECTS.iterdir() if p.is_dir())


def test_fullstack_plan_reuses_dependencies_and_names_the_head() -> None:
    spec = read_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=PROJECTS / "fullstack"))
    router = next(f for f in plan.files if f.path.endswith("routes/invoices.py"))
    assert any("existing `CurrentUser`" in g for g in router.guidance)
    assert plan.data_model is not None
    assert any("9c0a54914c78" in step for step in plan.data_model.migration)
    assert any("frontend/src/client" in s.detail for s in plan.steps)
    # The sibling routes end in a slash (`@router.get("/")`): so does this one.
    assert plan.endpoints[0].path == "/api/v1/invoices/"


def test_pydantic_v1_project_is_warned() -> None:
    spec = read_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=PROJECTS / "pydantic_v1"))
    assert any(n.id == "" and "Pydantic v1" in n.text for n in plan.notes)


def test_reference_to_a_resource_the_project_lacks_is_asked(tmp_path: Path) -> None:
    """Unknown is not absent: the plan asks, naming the close match, and goes on."""
    from planner import parse_spec

    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "invoice"\n'
        '[[resource.fields]]\nname = "customer"\ntype = "ref"\n'
        'references = "customer"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=PROJECTS / "fullstack"))
    asked = [q for q in plan.open_questions if "`customer`" in q]
    assert len(asked) == 1 and "resource.fields[0].references" in asked[0]
    # Where it is there (per-resource fixture) or nothing is known, no question.
    for project in (PROJECTS / "per_resource", tmp_path):
        plan = make_plan(spec, request=prepare(spec, project=project))
        assert not [q for q in plan.open_questions if "`customer`" in q]


GOLDEN_SPECS = sorted((HERE / "golden").glob("*/spec.toml"))


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_no_planned_path_is_a_pattern(project: str) -> None:
    """Every kind, on every fixture project: real files, never patterns.

    What a plan changes exists; what it creates does not.
    """
    for path in GOLDEN_SPECS:
        spec = read_spec(path).spec
        plan = make_plan(spec, request=prepare(spec, project=PROJECTS / project))
        root = PROJECTS / project
        for item in plan.files:
            assert "{" not in item.path and "}" not in item.path, (path, item.path)
            assert "%(" not in item.path and "//" not in item.path, (path, item.path)
            # Only the date and time Alembic writes a revision at stay open.
            named = _WRITE_TIME.sub("", item.path) if "/versions/" in item.path else ""
            assert "<" not in (named or item.path), (path, item.path)
            assert ">" not in (named or item.path), (path, item.path)
            # `modify` only for files that exist, `create` only for new ones,
            # and never a module a package of its name would shadow.
            exists = (root / item.path).is_file()
            assert exists == (item.action == "modify"), (path, item)
            assert not (root / item.path.removesuffix(".py")).is_dir(), (path, item)
