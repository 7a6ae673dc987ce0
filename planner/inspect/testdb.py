"""How a project's tests give its API a database.

Two habits: swapping the session dependency through
`app.dependency_overrides`, or running the app against a real database that
a shared fixture creates (`test_db` making the tables, `session` on top of
it). A plan follows the project's habit rather than advising the other.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from planner.inspect.clientfixture import (
    call_name,
    fixture_modules,
    fixture_name,
    is_fixture,
)
from planner.inspect.corpus import Corpus
from planner.inspect.model.shared import parse_bytes

__all__ = ["find_test_database"]

# A fixture makes a database where its code (or a helper of its module it
# calls) creates the tables, an engine or a session, or runs the migrations.
_GATES = (
    b"create_all",
    b"create_engine",
    b"upgrade(",
    b"Session(",
    b"sessionmaker(",
)
_MAKERS = frozenset({"create_all", "create_engine", "create_async_engine"})
# Opening a session on the app's engine (`Session(engine)`) is a real one too.
_SESSIONS = frozenset({"Session", "AsyncSession", "sessionmaker", "async_sessionmaker"})
# A fixture built on one that hands the tests a session or a connection.
_SESSION_WORDS = frozenset({"db", "session", "database", "conn", "connection"})
# `from pkg.testing.conf import session, test_db`: pytest registers
# the names a conftest imports as its fixtures.
_NAMED = re.compile(
    rb"^from[ \t]+([\w.]+)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w, \t]+))", re.M
)


def find_test_database(
    corpus: Corpus, conftests: Sequence[str]
) -> tuple[tuple[str, ...], bool]:
    """The shared fixtures giving tests a real database; whether tests override.

    The second item is True when any test module or fixture module writes
    `dependency_overrides`.
    """
    modules = fixture_modules(corpus, conftests)
    overrides = any(
        (src := corpus.texts.get(rel)) is not None
        and b"dependency_overrides" in src.data
        for rel in dict.fromkeys([*corpus.tests, *modules])
    )
    found: dict[str, None] = {}
    for rel, names in _sources(corpus, conftests, modules):
        src = corpus.texts.get(rel)
        if src is None or not any(gate in src.data for gate in _GATES):
            continue
        tree = parse_bytes(src.data, src.digest)
        if isinstance(tree, ast.Module):
            found.update(dict.fromkeys(_database_fixtures(tree, names)))
    return tuple(found), overrides


def _sources(
    corpus: Corpus, conftests: Sequence[str], modules: list[str]
) -> Iterator[tuple[str, frozenset[str] | None]]:
    """Modules whose fixtures the tests share; None: all of them, else the names."""
    for rel in modules:
        yield rel, None
    files = frozenset(corpus.files)
    for rel in conftests:
        src = corpus.texts.get(rel)
        if src is None:
            continue
        for match in _NAMED.finditer(src.data):
            stem = match.group(1).decode().replace(".", "/")
            listed = (match.group(2) or match.group(3)).decode()
            # pytest knows a fixture by its own name, whatever it is imported as.
            names = frozenset(
                n.split()[0] for n in listed.replace("\n", " ").split(",") if n.strip()
            )
            # A fixture imported to be registered is never used in the conftest
            # itself: its name occurs once. Other imports are not followed.
            if not any(src.data.count(n.encode()) == 1 for n in names):
                continue
            for path in _project_paths(files, stem):
                target = corpus.texts.get(path)
                if target is not None and any(
                    b"def " + n.encode() + b"(" in target.data for n in names
                ):
                    yield path, names


def _project_paths(files: frozenset[str], stem: str) -> list[str]:
    """The project's module of a dotted name, under `src/` or not."""
    for path in (f"{stem}.py", f"{stem}/__init__.py"):
        if path in files:
            return [path]
    tails = (f"/{stem}.py", f"/{stem}/__init__.py")
    inside = sorted((f for f in files if f.endswith(tails)), key=lambda f: (len(f), f))
    return inside[:1]


def _database_fixtures(tree: ast.Module, names: frozenset[str] | None) -> list[str]:
    """The module's fixtures that make a database, then those built on them."""
    # Fixtures by the name tests and other fixtures ask for them by.
    funcs = {
        fixture_name(n): n
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    fixtures = [
        (name, f)
        for name, f in funcs.items()
        if is_fixture(f) and (names is None or name in names)
    ]
    makers = [name for name, f in fixtures if _makes_database(f, funcs, set())]
    built = [
        name
        for name, f in fixtures
        if name not in makers
        and set(name.split("_")) & _SESSION_WORDS
        and {a.arg for a in f.args.args} & set(makers)
    ]
    return makers + built


def _makes_database(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    funcs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    seen: set[str],
) -> bool:
    """Whether the function, or a function of its module it calls, makes one."""
    seen.add(func.name)
    for node in ast.walk(func):
        # `create_all` is often passed, not called: `run_sync(meta.create_all)`.
        if (isinstance(node, ast.Attribute) and node.attr in _MAKERS) or (
            isinstance(node, ast.Name) and node.id in _MAKERS
        ):
            return True
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        # Alembic's `command.upgrade(config, "head")` runs the migrations.
        called = node.func
        upgrade = (
            isinstance(called, ast.Attribute)
            and isinstance(called.value, ast.Name)
            and called.value.id == "command"
        )
        if name in _SESSIONS or (name == "upgrade" and upgrade):
            return True
        helper = funcs.get(name)
        if (
            helper is not None
            and name not in seen
            and _makes_database(helper, funcs, seen)
        ):
            return True
    return False
