"""Turn inspected project facts into the Layout plans name files from."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from planner.facts import ProjectFacts
from planner.inspect.layout import DEFAULT_LAYOUT, Layout
from planner.inspect.naming import Patterns

__all__ = ["NO_APP_FINDING", "layout_from_facts"]

NO_APP_FINDING = "no FastAPI app found; using planner's default layout"


class _Paths:
    """Where new code goes when the project has no module of that kind yet."""

    def __init__(self, facts: ProjectFacts) -> None:
        self.facts = facts
        self.patterns = Patterns(facts.resources)
        self.package = facts.app_root or "."
        self.single = facts.style == "single-module"
        app = facts.app.file if facts.app else None
        self.app_file = app or self.under("main.py")
        pattern = facts.router_naming.pattern
        self.resource_dir = (
            str(PurePosixPath(pattern).parent)
            if pattern and facts.router_naming.file_name
            else None
        )

    def under(self, name: str) -> str:
        """Return a path inside the application package."""
        return name if self.package == "." else f"{self.package}/{name}"

    def beside_project(self, name: str) -> str:
        """Return a path inside the folder holding the project's pyproject."""
        base = self.facts.project_dir
        return name if base == "." else f"{base}/{name}"

    def fallback(self, per_resource: str, layered: str) -> str:
        """Return the default for a missing module in this layout style."""
        if self.single:
            return self.app_file
        if self.resource_dir is not None:
            return f"{self.resource_dir}/{per_resource}"
        return self.under(layered)

    def core(self, name: str, flat: str) -> str:
        """Return `core/<name>` when the package keeps a `core/` folder, else flat."""
        prefix = self.under("core/")
        if any(rel.startswith(prefix) for rel in self.facts.existing):
            return self.fallback(flat, f"core/{name}")
        return self.fallback(flat, flat)

    def role(self, modules: Sequence[str], fallback: str) -> str:
        """Return the pattern most resources follow, else the shared module."""
        best = self.patterns.best(modules)
        if best is not None:
            return best[0]
        if modules:
            return min(modules, key=lambda rel: (rel.count("/"), rel))
        return fallback


def _routes(paths: _Paths) -> str:
    pattern = paths.facts.router_naming.pattern
    if pattern is not None:
        return pattern
    if paths.single or not paths.facts.routers:
        # Path operations declared on the app itself live in the app's module.
        return paths.app_file
    return paths.under("routers/{plural}.py")


def _models(paths: _Paths) -> tuple[str, str | None]:
    facts = paths.facts
    model = paths.role(facts.models.modules, paths.fallback("models.py", "models.py"))
    if "{" not in model:
        return model, None
    # Alembic autogenerate sees only imported models: find the module importing them.
    folder = str(PurePosixPath(model).parent)
    for candidate in (paths.under("db/base.py"), f"{folder}/__init__.py"):
        if "{" not in candidate and candidate in facts.existing:
            return model, candidate
    alembic = facts.alembic
    if alembic is not None and alembic.env_imports_models:
        return model, alembic.env
    return model, None


def _schema(paths: _Paths, model: str) -> str:
    facts = paths.facts
    if facts.schema_modules:
        return paths.role(facts.schema_modules, model)
    if "{" not in model or paths.resource_dir is not None:
        return paths.fallback("schemas.py", "schemas.py") if "{" in model else model
    return model.replace("/models/", "/schemas/")


def _service(paths: _Paths, model: str) -> str:
    facts = paths.facts
    for modules in (
        facts.service_modules,
        facts.crud_modules,
        facts.repository_modules,
    ):
        if modules:
            return paths.role(modules, model)
    if "{" not in model and not paths.single:
        return str(PurePosixPath(model).with_name("crud.py"))
    return paths.fallback("service.py", "services/{singular}.py")


def _deps(paths: _Paths) -> str:
    facts = paths.facts
    if facts.current_user_dependency is not None:
        return facts.current_user_dependency.file
    shared = [rel for rel in facts.dependency_modules if "{" not in rel]
    if shared:
        return min(shared, key=lambda rel: (rel.count("/"), rel))
    if facts.security_schemes:
        return facts.security_schemes[0].file
    if facts.session_dependency is not None:
        return facts.session_dependency.file
    return paths.app_file if paths.single else paths.under("dependencies.py")


def _tests(paths: _Paths) -> tuple[str, str]:
    tests = paths.facts.tests
    folder = tests.folder or paths.beside_project("tests")
    inside = "" if folder == "." else f"{folder}/"
    pattern = tests.file_pattern
    if pattern is None:
        files = sorted(rel for rel in paths.facts.existing if _is_test_file(rel))
        only = paths.single and len(files) == 1
        pattern = files[0] if only else f"{inside}test_{{plural}}.py"
    conftest = f"{inside}conftest.py"
    if tests.conftests and conftest not in tests.conftests:
        conftest = tests.conftests[0]
    return pattern, conftest


def _is_test_file(rel: str) -> bool:
    name = PurePosixPath(rel).name
    return name.endswith(".py") and (
        name.startswith("test_") or name.endswith("_test.py")
    )


def _migrations(paths: _Paths) -> dict[str, Any]:
    facts = paths.facts
    if facts.alembic is not None:
        return {
            "migrations": "alembic",
            "migrations_dir": facts.alembic.versions_dir,
            "migrations_env": facts.alembic.env,
            # Histories side by side each have their own head: none of them
            # is the `down_revision` of every new revision.
            "migration_head": (", ".join(facts.alembic.heads) or None)
            if facts.alembic.trees == 1
            else None,
        }
    if facts.sql_migrations is not None:
        return {
            "migrations": "sql",
            "migrations_dir": facts.sql_migrations.folder,
            "migrations_env": None,
            "migration_head": facts.sql_migrations.latest,
        }
    return {
        "migrations": "none",
        "migrations_dir": paths.beside_project("alembic/versions"),
        "migrations_env": None,
        "migration_head": None,
    }


def _orm_found(facts: ProjectFacts) -> bool:
    """Whether the project maps its tables with SQLAlchemy or SQLModel.

    An engine alone is no ORM: a project whose data access modules exist and
    no class maps a table (raw SQL through `engine.connect()`) writes its
    own queries, and plans follow them.
    """
    if facts.orm == "none":
        return False
    mapped = bool(facts.models.classes or facts.models.base)
    data_access = facts.crud_modules or facts.service_modules
    return mapped or not (data_access or facts.repository_modules)


def _common(facts: ProjectFacts) -> dict[str, Any]:
    """Fields that come from facts whatever the layout source."""
    from planner.inspect.versions import ceiling

    tests = facts.tests
    session_async = True if facts.session_async is None else facts.session_async
    tests_async = (
        tests.async_style is not None or tests.uses_async_client
        if tests.folder is not None
        else session_async
    )
    return {
        "orm": "sqlmodel" if facts.orm == "sqlmodel" else "sqlalchemy",
        "orm_found": _orm_found(facts),
        "session_is_async": session_async,
        "pydantic_major": facts.pydantic_major or 2,
        "tests_async": tests_async,
        # Tests without a client fixture planner could find: the plan says to
        # add one rather than naming a fixture that may not exist.
        "test_client_fixture": tests.client_fixture
        or ("" if tests.folder is not None else "client"),
        "test_client_base_path": tests.client_base_path,
        "test_client_headers": tests.client_headers,
        "test_own_clients": tests.own_clients,
        "test_db_fixtures": tests.db_fixtures,
        # Unread tests say nothing of the habit: keep the plan's own advice.
        "tests_override_dependencies": tests.overrides_dependencies
        or tests.folder is None,
        "test_user_fixtures": tests.user_fixtures,
        "rate_limiter": _rate_limiter(facts),
        "pagination_library": facts.pagination.library,
        "generated_client": facts.generated_client.path
        if facts.generated_client
        else None,
        # Only resolved versions (a lock or an exact pin): a lower bound says
        # nothing about what is installed, so plans must not warn from it.
        "versions": tuple(
            (item.package, item.version)
            for item in facts.versions
            if item.version and item.kind in ("locked", "pinned")
        ),
        "ceilings": tuple(
            (item.package, bound)
            for item in facts.versions
            if item.kind not in ("locked", "pinned")
            and (bound := ceiling(item.constraint))
        ),
        "existing": facts.existing,
    }


# Packages that limit request rates in a FastAPI app.
_LIMITERS = ("slowapi", "fastapi-limiter", "asgi-ratelimit", "fastapi-throttle")
_LIMIT_MODULES = ("rate_limit.py", "ratelimit.py", "rate_limits.py", "throttling.py")


def _rate_limiter(facts: ProjectFacts) -> str:
    """``<package> <module>`` of the project's own rate limiting, "" if none."""
    declared = {item.package for item in facts.versions}
    package = next((p for p in _LIMITERS if p in declared), "")
    module = min(
        (
            p
            for p in facts.existing
            if p.rsplit("/", 1)[-1] in _LIMIT_MODULES and "test" not in p
        ),
        key=lambda p: (p.count("/"), p),
        default="",
    )
    return f"{package} {module}".strip() if package or module else ""


def _known_resources(facts: ProjectFacts) -> tuple[str, ...]:
    models = {
        re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in facts.models.classes
    }
    return tuple(sorted(set(facts.resources) | models))


def layout_from_facts(facts: ProjectFacts) -> Layout:
    """Map what inspection found onto the Layout's path patterns and names."""
    if facts.app is None and not facts.routers:
        # "No tests", "no ORM": with no app at all, only what was found is news.
        found = tuple(line for line in facts.findings if not line.startswith("no "))
        update = {**_common(facts), "findings": (NO_APP_FINDING, *found)}
        return dataclasses.replace(DEFAULT_LAYOUT, **update)
    paths = _Paths(facts)
    model, registry = _models(paths)
    test_module, conftest = _tests(paths)
    session, user = facts.session_dependency, facts.current_user_dependency
    fields: dict[str, Any] = {
        "source": "detected",
        "style": f"{facts.style} ({facts.style_detail})"
        if facts.style_detail
        else (facts.style),
        "package": paths.package,
        "main_module": paths.app_file,
        "router_registry": facts.router_registry or paths.app_file,
        "api_prefix": facts.api_prefix,
        "route_module": _routes(paths),
        "model_module": model,
        "models_registry": registry,
        "schema_module": _schema(paths, model),
        "service_module": _service(paths, model),
        "deps_module": _deps(paths),
        "settings_module": facts.settings.file
        if facts.settings
        else paths.core("config.py", "config.py"),
        "security_module": facts.security_module
        or paths.core("security.py", "security.py"),
        "db_module": facts.db_module or paths.core("db.py", "database.py"),
        "test_module": test_module,
        "conftest": conftest,
        "session_dep": session.name if session else DEFAULT_LAYOUT.session_dep,
        "session_dep_exists": session is not None,
        "known_resources": _known_resources(facts),
        "current_user_dep": user.name if user else None,
        "findings": facts.findings,
        **_migrations(paths),
        **_common(facts),
    }
    return Layout(**fields)
