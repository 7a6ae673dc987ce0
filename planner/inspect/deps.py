"""Find models, schemas, services, dependencies and settings among the scans."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from planner.facts import (
    Dependency,
    ModelBase,
    ModelsFacts,
    OrmKind,
    PackageVersion,
    PaginationFacts,
    SecurityScheme,
    SourceRef,
)
from planner.inspect.corpus import Corpus
from planner.inspect.naming import NON_RESOURCES, singularize, snake
from planner.inspect.python import FuncDef, ModuleScan, mentions
from planner.inspect.versions import major

# A suffix only says how the session is had (`get_db_session`, `get_db_async`):
# `get_session_context`, `get_db_vendor_name` name something else.
_SESSION_FUNCTION = re.compile(
    r"get_(async_)?(db|database|session|db_session|async_session|conn|connection)"
    r"(_(async|sync|session|db|conn|connection|dep|rw|ro|read|write|readonly))*"
)
# The types a database session dependency hands out, and the packages whose
# types they are: `boto3.Session`, `requests.Session` and `aiohttp.ClientSession`
# are sessions of another kind.
_SESSION_TYPES = frozenset(
    {
        "Session",
        "AsyncSession",
        "Connection",
        "AsyncConnection",
        "scoped_session",
        "async_scoped_session",
    }
)
_DB_PACKAGES = frozenset(
    {"sqlalchemy", "sqlmodel", "databases", "asyncpg", "psycopg", "psycopg2"}
    | {"aiosqlite", "sqlite3", "edgedb", "piccolo", "tortoise"}
)
# Wrappers that say nothing of what a dependency yields (`-> Generator`).
_TYPING_WORDS = frozenset(
    {"Generator", "AsyncGenerator", "Iterator", "AsyncIterator", "Iterable"}
    | {"AsyncIterable", "Awaitable", "Coroutine", "Optional", "Union", "Any"}
    | {"None", "typing", "collections", "abc", "t"}
)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_USER_FUNCTION = re.compile(r"(get_)?current_\w*user\w*")
_USER_ALIAS = re.compile(r"\w*Current\w*User\w*|\w*UserDep")
_BASE_ORDER: tuple[ModelBase, ...] = (
    "DeclarativeBase",
    "as_declarative",
    "declarative_base",
)
ROLE_WORDS: dict[str, frozenset[str]] = {
    "schemas": frozenset({"schemas", "schema"}),
    "crud": frozenset({"crud", "cruds"}),
    "services": frozenset({"service", "services"}),
    "repositories": frozenset({"repository", "repositories", "repo", "repos"}),
    "dependencies": frozenset({"deps", "dependencies"}),
    "models": frozenset({"models", "model"}),
}


# Folders of tooling and history, not of the application's layers.
_TOOLING = frozenset(
    {"docs", "doc", "scripts", "tools", "bin", "examples", "migrations", "alembic"}
)


def role_modules(sources: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Return, per role (schemas, crud, ...), the modules named for it."""
    found: dict[str, list[str]] = {role: [] for role in ROLE_WORDS}
    for rel in sources:
        # String slicing, not PurePosixPath: this runs on every file of the project.
        folder, _, name = rel.rpartition("/")
        stem = name.removesuffix(".py")
        if stem == "__init__":
            continue
        folders = folder.split("/")
        if _TOOLING & set(folders):
            continue  # `docs/scripts/generate_api_schema.py` serves no route
        # Any folder of the path names the role (`schema/group/webhook.py`).
        parts = {stem, stem.partition("_")[0], stem.rpartition("_")[2], *folders}
        for role, words in ROLE_WORDS.items():
            if words & parts:
                found[role].append(rel)
    return {role: tuple(sorted(items)) for role, items in found.items()}


def usage(corpus: Corpus, route_files: Sequence[str], name: str) -> int:
    """Count the route modules that mention `name`."""
    return sum(
        mentions(corpus.texts[rel].data, name)
        for rel in route_files
        if rel in corpus.scans
    )


def _app_scans(corpus: Corpus) -> list[ModuleScan]:
    return [scan for _, scan in sorted(corpus.scans.items())]


def _pick(
    candidates: list[Dependency], score: Callable[[Dependency], int]
) -> Dependency | None:
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda dep: (-score(dep), dep.kind != "annotated", dep.file, dep.name),
    )


def _project_module(corpus: Corpus, module: str) -> bool:
    """Whether an absolute import names a module of the project itself."""
    tail = module.replace(".", "/")
    return any(
        rel == f"{tail}.py"
        or rel.startswith(f"{tail}/")
        or f"/{tail}.py" in rel
        or f"/{tail}/" in rel
        for rel in corpus.files
    )


def _session_type(corpus: Corpus, scan: ModuleScan, words: Iterable[str]) -> bool:
    """Whether a type names a database session or connection.

    By its name and where the module takes it from: a database package, or the
    project itself (a module re-exporting its `Session`); a class the module
    defines counts too.
    """
    for word in words:
        if word not in _SESSION_TYPES:
            continue
        ref = scan.imports.get(word)
        if ref is None or ref.level > 0:
            return True
        if ref.module.partition(".")[0] in _DB_PACKAGES or _project_module(
            corpus, ref.module
        ):
            return True
    return False


def _is_session_function(corpus: Corpus, scan: ModuleScan, func: FuncDef) -> bool:
    """Whether a function hands out a database session.

    Its return type decides where it names one; a name alone
    (`get_db`, `get_async_session`) only where the type says nothing.
    """
    words = [word for word in func.returns.split() if word not in _TYPING_WORDS]
    if words:
        return _session_type(corpus, scan, words)
    return _SESSION_FUNCTION.fullmatch(func.name) is not None


def find_session_dependency(
    corpus: Corpus, route_files: Sequence[str]
) -> Dependency | None:
    """Return the dependency routes use to get a database session."""
    found: list[Dependency] = []
    for scan in _app_scans(corpus):
        for func in scan.functions:
            if not func.name.startswith("get_"):
                continue
            if _is_session_function(corpus, scan, func):
                is_async = func.is_async or "AsyncSession" in func.returns.split()
                found.append(
                    Dependency(
                        name=func.name,
                        file=scan.path,
                        line=func.line,
                        kind="function",
                        is_async=is_async,
                    )
                )
    found += _session_aliases(corpus, {dep.name: dep for dep in found})
    return _pick(found, lambda dep: usage(corpus, route_files, dep.name))


def _session_aliases(
    corpus: Corpus, functions: dict[str, Dependency]
) -> list[Dependency]:
    found: list[Dependency] = []
    for scan in _app_scans(corpus):
        for alias in scan.aliases:
            words = _IDENTIFIER.findall(alias.type_text)
            if not _session_type(corpus, scan, words):
                continue
            target = functions.get((alias.depends or "").rpartition(".")[2])
            is_async = "Async" in alias.type_text or bool(target and target.is_async)
            found.append(
                Dependency(
                    name=alias.name,
                    file=scan.path,
                    line=alias.line,
                    kind="annotated",
                    function=alias.depends,
                    is_async=is_async,
                )
            )
    return found


def find_user_dependency(
    corpus: Corpus, route_files: Sequence[str]
) -> Dependency | None:
    """Return the dependency routes use to require a signed-in user."""
    found: list[Dependency] = []
    for scan in _app_scans(corpus):
        for alias in scan.aliases:
            target = alias.depends or ""
            if _USER_ALIAS.fullmatch(alias.name) or _USER_FUNCTION.fullmatch(
                target.rpartition(".")[2]
            ):
                found.append(
                    Dependency(
                        name=alias.name,
                        file=scan.path,
                        line=alias.line,
                        kind="annotated",
                        function=alias.depends,
                    )
                )
        for func in scan.functions:
            if _USER_FUNCTION.fullmatch(func.name):
                found.append(
                    Dependency(
                        name=func.name,
                        file=scan.path,
                        line=func.line,
                        kind="function",
                        is_async=func.is_async,
                    )
                )

    def score(dep: Dependency) -> int:
        narrow = any(
            word in dep.name.lower() for word in ("super", "admin", "optional")
        )
        return usage(corpus, route_files, dep.name) - (1000 if narrow else 0)

    return _pick(found, score)


def find_security_schemes(corpus: Corpus) -> tuple[SecurityScheme, ...]:
    """Return every security scheme object the application creates."""
    return tuple(
        SecurityScheme(kind=kind, variable=variable, file=scan.path, line=line)
        for scan in _app_scans(corpus)
        for kind, variable, line in scan.schemes
    )


def find_models(corpus: Corpus) -> ModelsFacts:
    """Return the ORM model modules, table classes and declarative base."""
    scans = _app_scans(corpus)
    modules = [scan.path for scan in scans if scan.table_classes]
    classes = sorted({name for scan in scans for name in scan.table_classes})
    if any(scan.sqlmodel_tables for scan in scans):
        return ModelsFacts(
            modules=tuple(modules), classes=tuple(classes), base="SQLModel"
        )
    for kind in _BASE_ORDER:
        for scan in scans:
            if scan.base_kind == kind:
                return ModelsFacts(
                    modules=tuple(modules), classes=tuple(classes), base=kind,
                    base_file=scan.path,
                )  # fmt: skip
    return ModelsFacts(modules=tuple(modules), classes=tuple(classes))


def model_resources(models: ModelsFacts) -> set[str]:
    """Return the singular snake_case resource name of each table class."""
    names = {singularize(snake(name)) for name in models.classes}
    return {name for name in names if name not in NON_RESOURCES}


def find_settings(corpus: Corpus) -> tuple[SourceRef | None, dict[str, str]]:
    """Return the settings class and the string defaults of every settings class."""
    classes = [
        (scan.path, item) for scan in _app_scans(corpus) for item in scan.settings
    ]
    values = {key: value for _, item in classes for key, value in item.values}
    if not classes:
        return None, values
    path, item = min(
        classes,
        key=lambda c: (c[1].name != "Settings", c[0].count("/"), c[0], c[1].line),
    )
    return SourceRef(name=item.name, file=path, line=item.line), values


def find_db_module(corpus: Corpus, session: Dependency | None) -> str | None:
    """Return the module creating the engine or session factory."""
    engines = [
        scan.path
        for scan in _app_scans(corpus)
        if scan.engine_async or scan.engine_sync
    ]
    if engines:
        return min(engines, key=lambda rel: (rel.count("/"), rel))
    return session.file if session else None


def find_security_module(
    sources: Sequence[str], schemes: Sequence[SecurityScheme]
) -> str | None:
    """Return the module for password hashing and tokens, or the scheme's module."""
    named = [rel for rel in sources if rel.rpartition("/")[2] == "security.py"]
    if named:
        return min(named, key=lambda rel: (rel.count("/"), rel))
    return schemes[0].file if schemes else None


def find_pagination(
    corpus: Corpus, versions: Sequence[PackageVersion]
) -> PaginationFacts:
    """Return the pagination library in use and local pagination helpers."""
    used = corpus.hints.get("fastapi-pagination", 0) > 0
    installed = any(item.package == "fastapi-pagination" for item in versions)
    helpers = tuple(
        SourceRef(name=name, file=scan.path, line=line)
        for scan in _app_scans(corpus)
        for name, line in scan.pagination_helpers
    )
    library = "fastapi-pagination" if used or installed else None
    return PaginationFacts(library=library, helpers=helpers)


def find_orm(
    corpus: Corpus, models: ModelsFacts, versions: Sequence[PackageVersion]
) -> OrmKind:
    """Return the ORM: SQLModel tables, SQLAlchemy models, or a declared dependency."""
    if models.base == "SQLModel":
        return "sqlmodel"
    if models.classes or models.base:
        return "sqlalchemy"
    packages = {item.package for item in versions}
    if "sqlmodel" in packages:
        return "sqlmodel"
    engines = any(
        scan.engine_sync or scan.engine_async for scan in corpus.scans.values()
    )
    return "sqlalchemy" if engines or "sqlalchemy" in packages else "none"


def session_is_async(corpus: Corpus, session: Dependency | None) -> bool | None:
    """Whether database sessions are async, judged by the dependency or engine."""
    if session is not None and session.is_async is not None:
        return session.is_async
    scans = _app_scans(corpus)
    if any(scan.engine_async for scan in scans):
        return True
    if any(scan.engine_sync for scan in scans):
        return False
    return None


def pydantic_major(corpus: Corpus, versions: Sequence[PackageVersion]) -> int | None:
    """Return Pydantic's major version: declared, implied by FastAPI, or by code."""
    by_name = {item.package: item for item in versions}
    declared = major(by_name.get("pydantic"))
    if declared is not None:
        return declared
    fastapi = by_name.get("fastapi")
    if fastapi is not None and fastapi.kind in {"locked", "pinned"}:
        parts = re.findall(r"\d+", fastapi.version)[:2]
        if len(parts) == 2 and (int(parts[0]), int(parts[1])) < (0, 100):
            return 1
    hints = corpus.pydantic_hints()
    v1, v2 = hints.get("pydantic1", 0), hints.get("pydantic2", 0)
    if v1 or v2:
        return 1 if v1 > v2 else 2
    return None
