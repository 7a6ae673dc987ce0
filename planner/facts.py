"""What inspecting a FastAPI project found: pure data, paths relative, sorted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AlembicFacts",
    "Dependency",
    "GeneratedClient",
    "LayoutStyle",
    "ModelsFacts",
    "PackageVersion",
    "PaginationFacts",
    "ProjectFacts",
    "Registration",
    "RouterModule",
    "RouterNaming",
    "SecurityScheme",
    "SourceRef",
    "SqlMigrations",
    "TestFacts",
    "VersionKind",
]

LayoutStyle = Literal[
    "layered", "domain", "single-module", "per-resource-package", "unknown"
]
VersionKind = Literal["locked", "pinned", "lower-bound", "upper-bound", "unpinned"]
OrmKind = Literal["sqlalchemy", "sqlmodel", "none"]
ModelBase = Literal["DeclarativeBase", "declarative_base", "as_declarative", "SQLModel"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceRef:
    """A named thing (variable, class, function) defined in a project file."""

    name: str
    file: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RouterModule:
    """A module that creates an `APIRouter`."""

    file: str
    variable: str
    line: int
    prefix: str | None = None
    class_based: bool = False
    aggregates: bool = False
    resource: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RouterNaming:
    """How route modules are named, as a pattern with `{singular}`/`{plural}`."""

    pattern: str | None = None
    number: Literal["plural", "singular", "unknown"] = "unknown"
    suffix: str = ""
    file_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    """One `include_router(...)` call."""

    file: str
    line: int
    target: str
    router: str
    router_file: str | None = None
    prefix: str | None = None
    prefix_source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageVersion:
    """The version of one dependency and where it was read."""

    package: str
    version: str
    kind: VersionKind
    constraint: str
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependency:
    """A FastAPI dependency: an `Annotated[..., Depends(f)]` alias or a function."""

    name: str
    file: str
    line: int
    kind: Literal["annotated", "function"]
    function: str | None = None
    is_async: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    """A security scheme object such as `OAuth2PasswordBearer(...)`."""

    kind: str
    variable: str
    file: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelsFacts:
    """ORM model modules, their table classes and the declarative base."""

    modules: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    base: ModelBase | None = None
    base_file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AlembicFacts:
    """An Alembic setup and its revision graph."""

    config: str | None
    script_location: str
    env: str | None
    env_imports_models: bool = False
    versions_dir: str
    revisions: int
    heads: tuple[str, ...]
    # Histories side by side under the versions folder, one per dialect.
    trees: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class SqlMigrations:
    """Plain SQL migration scripts, in name order."""

    folder: str
    scripts: tuple[str, ...]

    @property
    def latest(self) -> str:
        """The last script by name."""
        return self.scripts[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class PaginationFacts:
    """A pagination library in use and local pagination helpers."""

    library: str | None = None
    helpers: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TestFacts:
    """Where tests live and how they are written."""

    folder: str | None = None
    conftests: tuple[str, ...] = ()
    # A fixture the conftests share (or pull in); a test module's own is no
    # fixture other modules can take.
    client_fixture: str | None = None
    # What the shared fixture builds its client with: the path of its
    # `base_url` (`/v1`) and its client-wide headers (`Content-Type: ...`).
    client_base_path: str = ""
    client_headers: tuple[str, ...] = ()
    # Where no fixture is shared: (test module, builder, kind) of the modules
    # that build an HTTP client of their own, kind `fixture`, `helper` or
    # `module` (a module-level `client = TestClient(app)`).
    own_clients: tuple[tuple[str, str, str], ...] = ()
    # Shared fixtures that set up a real database (and those built on them),
    # and whether any test swaps a dependency through `dependency_overrides`.
    db_fixtures: tuple[str, ...] = ()
    overrides_dependencies: bool = False
    # Fixtures and helpers the tests already act as a signed-in user with.
    user_fixtures: tuple[str, ...] = ()
    async_style: Literal["anyio", "asyncio"] | None = None
    uses_async_client: bool = False
    file_pattern: str | None = None
    naming: Literal["test_*.py", "*_test.py"] | None = None
    mirrored: bool = False
    files: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedClient:
    """An API client generated from the OpenAPI schema; regenerate, never edit."""

    path: str
    generator: str | None = None
    config: str | None = None
    schema_file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectFacts:
    """Everything inspection learnt about a project, from its files alone."""

    app_root: str | None = None
    app: SourceRef | None = None
    project_dir: str = "."
    style: LayoutStyle = "unknown"
    style_detail: str = ""
    resources: tuple[str, ...] = ()
    routers: tuple[RouterModule, ...] = ()
    router_naming: RouterNaming = RouterNaming()
    registrations: tuple[Registration, ...] = ()
    router_registry: str | None = None
    api_prefix: str = ""
    versions: tuple[PackageVersion, ...] = ()
    pydantic_major: int | None = None
    orm: OrmKind = "none"
    session_async: bool | None = None
    session_dependency: Dependency | None = None
    current_user_dependency: Dependency | None = None
    security_schemes: tuple[SecurityScheme, ...] = ()
    models: ModelsFacts = ModelsFacts()
    schema_modules: tuple[str, ...] = ()
    crud_modules: tuple[str, ...] = ()
    service_modules: tuple[str, ...] = ()
    repository_modules: tuple[str, ...] = ()
    dependency_modules: tuple[str, ...] = ()
    settings: SourceRef | None = None
    db_module: str | None = None
    security_module: str | None = None
    alembic: AlembicFacts | None = None
    sql_migrations: SqlMigrations | None = None
    pagination: PaginationFacts = PaginationFacts()
    tests: TestFacts = TestFacts()
    generated_client: GeneratedClient | None = None
    # A set in memory, a sorted list in JSON: never hash-seed order.
    existing: frozenset[str] = frozenset()
    unreadable: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    def version(self, package: str) -> str | None:
        """Return the detected version of a package, if any."""
        for item in self.versions:
            if item.package == package:
                return item.version
        return None
