"""Where things go in the target project: the layout plans name files from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileAction = Literal["create", "modify"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """Paths and names a plan uses; patterns take `{singular}` and `{plural}`.

    Every path is relative to the project root, with forward slashes.
    """

    source: Literal["default", "detected", "configured"] = "default"
    style: str = "layered packages (planner default)"
    package: str = "app"
    main_module: str = "app/main.py"
    router_registry: str = "app/main.py"
    api_prefix: str = ""
    route_module: str = "app/routers/{plural}.py"
    model_module: str = "app/models/{singular}.py"
    models_registry: str | None = "app/models/__init__.py"
    schema_module: str = "app/schemas/{singular}.py"
    service_module: str = "app/services/{singular}.py"
    deps_module: str = "app/dependencies.py"
    settings_module: str = "app/core/config.py"
    security_module: str = "app/core/security.py"
    db_module: str = "app/core/db.py"
    test_module: str = "tests/test_{plural}.py"
    conftest: str = "tests/conftest.py"
    migrations: Literal["alembic", "sql", "none"] = "alembic"
    migrations_dir: str = "alembic/versions"
    migrations_env: str | None = "alembic/env.py"
    migration_head: str | None = None
    # The new migration's file, named as the project's own migrations are;
    # None: `<migrations_dir>/<revision>_<slug>.py`.
    migration_file: str | None = None
    orm: Literal["sqlalchemy", "sqlmodel"] = "sqlalchemy"
    # False when the project was read and no ORM found: tables come from
    # migrations or hand-written SQL (`orm` is then only the plan's advice).
    orm_found: bool = True
    session_dep: str = "SessionDep"
    # What the project's routes call the parameter taking it (`db`).
    session_param: str = "session"
    # Whether the project already defines `session_dep`; if not, plans add it.
    session_dep_exists: bool = False
    session_is_async: bool = True
    current_user_dep: str | None = None
    pydantic_major: int = 2
    # Suffixes of a resource's schemas: what it answers with (`TagPublic`),
    # what creating and updating take (`TagCreate`, `TagUpdate`).
    schema_read_suffix: str = "Public"
    schema_create_suffix: str = "Create"
    schema_update_suffix: str = "Update"
    test_client_fixture: str = "client"
    # The shared fixture's `base_url` path and client-wide headers.
    test_client_base_path: str = ""
    test_client_headers: tuple[str, ...] = ()
    # Test modules that build their own client where no fixture is shared:
    # (module, builder, `fixture`/`helper`/`module`).
    test_own_clients: tuple[tuple[str, str, str], ...] = ()
    # Shared fixtures giving the tests a real database, and whether the tests
    # ever swap dependencies through `app.dependency_overrides`.
    test_db_fixtures: tuple[str, ...] = ()
    tests_override_dependencies: bool = True
    # Fixtures and helpers the project's tests already sign users in with.
    test_user_fixtures: tuple[str, ...] = ()
    # How the project limits request rates already: ``<package> <module>``
    # (``asgi-ratelimit server/app/rate_limit.py``), either part "" unknown.
    rate_limiter: str = ""
    tests_async: bool = True
    generated_client: str | None = None
    pagination_library: str | None = None
    versions: tuple[tuple[str, str], ...] = ()
    # Upper bounds of the versions not resolved (`pydantic` `<2.0.0`): a
    # release at or above one is not installed, whatever else is unknown.
    ceilings: tuple[tuple[str, str], ...] = ()
    # A set in memory, a sorted list in JSON: never hash-seed order.
    existing: frozenset[str] = frozenset()
    # Resources (snake_case, singular) the project has models or routers for;
    # empty when nothing was read, so references cannot be checked.
    known_resources: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    def path(self, pattern: str, *, singular: str, plural: str) -> str:
        """Fill a path pattern with a resource's names."""
        return pattern.replace("{singular}", singular).replace("{plural}", plural)

    def action(self, path: str) -> FileAction:
        """Return `modify` for a file the project has, else `create`."""
        return "modify" if path in self.existing else "create"

    def version(self, package: str) -> str | None:
        """Return the detected version of a package, if any."""
        return dict(self.versions).get(package)


# With no project to read, plans assume the skeleton every FastAPI service with a
# database has; docs/layout.md explains the choice.
DEFAULT_LAYOUT = Layout(
    existing=frozenset(
        {
            "alembic/env.py",
            "app/core/config.py",
            "app/core/db.py",
            "app/dependencies.py",
            "app/main.py",
            "app/models/__init__.py",
            "tests/conftest.py",
        }
    ),
    findings=(
        "No project was inspected; paths follow planner's default layout "
        "(docs/layout.md).",
    ),
)
