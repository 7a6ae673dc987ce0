"""Say in short sentences what inspection inferred and why, in a fixed order."""

from __future__ import annotations

from collections.abc import Callable

from planner.facts import Dependency, ProjectFacts

_KEY_PACKAGES = ("fastapi", "pydantic", "sqlalchemy", "sqlmodel", "alembic")
MAX_LISTED = 5


def _listed(items: tuple[str, ...]) -> str:
    more = len(items) - MAX_LISTED
    return ", ".join(items[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def _app(facts: ProjectFacts) -> list[str]:
    if facts.app is None:
        return ["no FastAPI() call found outside tests"]
    app = facts.app
    root = (
        "the app module is a top-level module, not in a package"
        if facts.app_root == "."
        else f"application package root is {facts.app_root} (highest folder above "
        "the app module that is still a package)"
    )
    return [f"FastAPI app `{app.name}` is created in {app.file}:{app.line}", root]


def _style(facts: ProjectFacts) -> list[str]:
    if facts.style == "unknown":
        return []
    detail = f" ({facts.style_detail})" if facts.style_detail else ""
    return [f"layout style: {facts.style}{detail}"]


def _routes(facts: ProjectFacts) -> list[str]:
    naming = facts.router_naming
    lines: list[str] = []
    if naming.pattern is not None:
        matched = sum(1 for r in facts.routers if r.resource)
        lines.append(
            f"route modules follow {naming.pattern} ({naming.number} names; "
            f"{matched} of {len(facts.routers)} APIRouter modules serve a resource)"
        )
    if facts.router_registry is not None and not facts.registrations:
        lines.append(
            f"path operations are declared on the app in {facts.router_registry}"
        )
    elif facts.router_registry is not None:
        # Where, not how many: one more router registered (the plan's own, once
        # implemented) changes no plan.
        prefix = f" under the API prefix {facts.api_prefix}" if facts.api_prefix else ""
        lines.append(f"routers are registered in {facts.router_registry}{prefix}")
    return lines


def _versions(facts: ProjectFacts) -> list[str]:
    parts = [
        f"{item.package} {item.version or item.constraint or 'unpinned'} "
        f"({item.kind}, {item.source})"
        for item in facts.versions
        if item.package in _KEY_PACKAGES
    ]
    lines = [f"versions: {'; '.join(parts)}"] if parts else []
    if facts.pydantic_major is not None:
        why = (
            "declared"
            if facts.version("pydantic") is not None
            else "implied by the FastAPI pin or the code"
        )
        lines.append(f"Pydantic v{facts.pydantic_major} ({why})")
    return lines


def _dependency(label: str, dep: Dependency | None) -> list[str]:
    if dep is None:
        return []
    over = f" over {dep.function}" if dep.function else ""
    kind = "Annotated alias" if dep.kind == "annotated" else "function"
    return [f"{label} dependency {dep.name} ({kind}{over}) in {dep.file}:{dep.line}"]


def _data(facts: ProjectFacts) -> list[str]:
    lines: list[str] = []
    if facts.orm != "none":
        where = _listed(facts.models.modules) or "no table models yet"
        base = f", base {facts.models.base}" if facts.models.base else ""
        mode = {True: "async", False: "sync", None: "of unknown kind"}[
            facts.session_async
        ]
        lines.append(f"ORM: {facts.orm} ({where}{base}); sessions are {mode}")
    else:
        # Only SQLAlchemy and SQLModel models are read: another ORM's (peewee,
        # Tortoise) may be there, so this names what was looked for.
        session = (
            "; no database session dependency"
            if facts.session_dependency is None
            else ""
        )
        lines.append(f"no SQLAlchemy or SQLModel models found{session}")
    lines += _dependency("session", facts.session_dependency)
    lines += _dependency("current-user", facts.current_user_dependency)
    lines += [
        f"security scheme {s.kind} `{s.variable}` in {s.file}:{s.line}"
        for s in facts.security_schemes
    ]
    if facts.settings is not None:
        lines.append(f"settings class {facts.settings.name} in {facts.settings.file}")
    return lines


def _migrations(facts: ProjectFacts) -> list[str]:
    alembic, sql = facts.alembic, facts.sql_migrations
    if alembic is not None:
        source = f" (from {alembic.config})" if alembic.config else ""
        heads = ", ".join(alembic.heads) or "none"
        several = (
            "; several heads: a new revision lists them all as its "
            "`down_revision`, which merges them"
            if len(alembic.heads) > alembic.trees
            else ""
        )
        trees = (
            f" ({alembic.trees} histories side by side)" if alembic.trees > 1 else ""
        )
        return [
            f"Alembic scripts in {alembic.script_location}{source}, "
            f"head {heads}{trees}{several}"
        ]
    if sql is not None:
        return [
            f"no Alembic; {len(sql.scripts)} SQL migration scripts in {sql.folder} "
            f"(latest {sql.latest})"
        ]
    return (
        ["no Alembic tree or SQL migration scripts found"]
        if facts.orm != "none"
        else []
    )


def _pagination(facts: ProjectFacts) -> list[str]:
    page = facts.pagination
    lines = [f"pagination library: {page.library}"] if page.library else []
    lines += [f"pagination helper {h.name} in {h.file}:{h.line}" for h in page.helpers]
    return lines


def _tests(facts: ProjectFacts) -> list[str]:
    tests = facts.tests
    if tests.folder is None:
        return ["no tests found"]
    style = f"{tests.async_style} async" if tests.async_style else "sync"
    client = (
        f", client fixture `{tests.client_fixture}`" if tests.client_fixture else ""
    )
    lines = [f"tests in {tests.folder} ({style}{client})"]
    setup = [f"base URL path `{tests.client_base_path}`"] * bool(
        tests.client_base_path
    ) + [f"sends `{h}`" for h in tests.client_headers]
    if setup:
        lines.append(
            f"the `{tests.client_fixture}` fixture's client: {', '.join(setup)}"
        )
    if tests.own_clients:
        names = ", ".join(f"`{rel}`" for rel, _, _ in tests.own_clients[:3])
        more = f" and {len(tests.own_clients) - 3} more" * (len(tests.own_clients) > 3)
        lines.append(
            f"no shared client fixture; test modules build their own: {names}{more}"
        )
    if tests.db_fixtures and not tests.overrides_dependencies:
        names = ", ".join(f"`{name}`" for name in tests.db_fixtures)
        lines.append(
            f"tests run on a real database set up by {names} and never use "
            "`dependency_overrides`"
        )
    if tests.user_fixtures:
        names = ", ".join(f"`{name}`" for name in tests.user_fixtures)
        lines.append(f"tests sign users in with {names}")
    if tests.file_pattern is not None:
        mirrored = ", mirroring the application" if tests.mirrored else ""
        lines.append(f"test modules follow {tests.file_pattern}{mirrored}")
    return lines


def _extras(facts: ProjectFacts) -> list[str]:
    lines: list[str] = []
    client = facts.generated_client
    if client is not None:
        how = f" by {client.generator}" if client.generator else ""
        lines.append(
            f"API client generated{how} in {client.path}: regenerate, never edit"
        )
    if facts.unreadable:
        lines.append(
            f"could not parse {len(facts.unreadable)} file(s) (a syntax error, or "
            f"too large to read), so what they hold is unknown: "
            f"{_listed(facts.unreadable)}"
        )
    return lines


_SECTIONS: tuple[Callable[[ProjectFacts], list[str]], ...] = (
    _app, _style, _routes, _versions, _data, _migrations, _pagination, _tests, _extras,
)  # fmt: skip


def describe(facts: ProjectFacts) -> tuple[str, ...]:
    """Return the findings about a project, one short sentence each."""
    return tuple(line for section in _SECTIONS for line in section(facts))
