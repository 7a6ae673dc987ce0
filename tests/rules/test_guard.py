"""Role checks: the project's own role-check dependency is reused, not rewritten."""

from __future__ import annotations

from planner import make_plan, prepare
from planner.spec import AuthSpec, CrudResourceSpec
from tests.paths import TESTS

PROJECTS = TESTS / "fixtures" / "projects"


def _crud(roles: tuple[str, ...]) -> CrudResourceSpec:
    return CrudResourceSpec.model_validate(
        {
            "kind": "crud-resource",
            "resource": {
                "name": "invoice",
                "operations": ["list", "create"],
                "fields": [{"name": "total", "type": "int"}],
            },
            "auth": {"required": True, "roles": list(roles)},
        }
    )


def _guidance(spec: CrudResourceSpec | AuthSpec, project: str) -> str:
    plan = make_plan(spec, request=prepare(spec, project=PROJECTS / project))
    return "\n".join(g for f in plan.files for g in f.guidance)


def test_a_project_with_a_superuser_dependency_reuses_it() -> None:
    text = _guidance(_crud(("admin",)), "fullstack")
    assert "`get_current_active_superuser`" in text
    assert "require_role(*roles)" not in text


def test_a_project_without_a_role_check_gets_a_require_role_factory() -> None:
    text = _guidance(_crud(("admin",)), "async_sqlalchemy")
    assert "require_role(*roles)" in text
    assert "get_current_active_superuser" not in text


def test_an_auth_plan_with_roles_reuses_the_projects_role_check() -> None:
    spec = AuthSpec(kind="auth", scheme="password-jwt", roles=("admin", "member"))
    text = _guidance(spec, "fullstack")
    assert "`get_current_active_superuser` (from `app.api.deps`)" in text
    assert "require_role(*roles)" not in text
