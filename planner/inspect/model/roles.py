"""The role a file plays, read from its path."""

from __future__ import annotations

from .names import words


def is_test_path(path: str) -> bool:
    """Whether a path is test code (a tests folder, test_*.py or conftest.py)."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(p in ("tests", "test", "testing") for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


_ROLE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "migration",
        frozenset({"migrations", "migration", "alembic", "versions", "migrator"}),
    ),
    (
        "router",
        frozenset(
            {"router", "routers", "routes", "route", "views", "endpoints", "api"}
        ),
    ),
    ("dependency", frozenset({"dependencies", "deps", "dependency"})),
    (
        "schema",
        frozenset(
            {
                "schemas",
                "schema",
                "request",
                "response",
                "dto",
                "dtos",
                "defs",
                "actions",
                "filters",
                "sorting",
                "payloads",
            }
        ),
    ),
    (
        "service",
        frozenset(
            {
                "service",
                "services",
                "crud",
                "manager",
                "managers",
                "repository",
                "repositories",
                "store",
                "dao",
                "queries",
                "db",
                "records",
            }
        ),
    ),
    ("model", frozenset({"models", "model", "orm", "tables", "entities", "entity"})),
    ("settings", frozenset({"settings", "config", "configs"})),
    ("security", frozenset({"security", "auth", "authentication", "jwt", "tokens"})),
    ("errors", frozenset({"errors", "exceptions", "exception"})),
)


ROLE_WORDS = frozenset(w for _, keys in _ROLE_WORDS for w in keys)


def role_words(path: str) -> set[str]:
    """Words of a path that name a role (``api``, ``models``, ``service``)."""
    return {
        w for p in path.removesuffix(".py").split("/") for w in words(p)
    } & ROLE_WORDS


def role_of(path: str) -> str:
    """A coarse role: router, service, schema, model, test, migration, ... or module."""
    if is_test_path(path):
        return "test"
    parts = path.removesuffix(".py").split("/")
    folders = [_role_in(set(words(folder))) for folder in reversed(parts[:-1])]
    folder_role = next((r for r in folders if r), None)
    name = words(parts[-1])
    # A file's name says its role at its end (``notes_router``), alone
    # (``schemas``), or at its start outside a role's folder (``crud_user``);
    # elsewhere the word is the resource's (``models/admin_api_key.py``).
    ends = {name[-1]} if folder_role else {name[0], name[-1]}
    named = _role_in(ends) if name else None
    # The nearest folder that names a role decides (``api/defs/query/x.py`` is
    # a schema module: ``defs`` is nearer than ``api``).
    return named or folder_role or "module"


def _role_in(found: set[str]) -> str | None:
    for role, keys in _ROLE_WORDS:
        if found & keys:
            return role
    return None
