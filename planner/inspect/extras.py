"""Find migrations, tests and a generated API client around the application."""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from planner.facts import (
    AlembicFacts,
    GeneratedClient,
    ProjectFacts,
    SqlMigrations,
    TestFacts,
)
from planner.inspect.alembic_ini import read_sections
from planner.inspect.clientfixture import client_defaults, find_client_fixture
from planner.inspect.corpus import Corpus
from planner.inspect.naming import Patterns
from planner.inspect.ownclients import find_own_clients
from planner.inspect.testdb import find_test_database
from planner.inspect.userfixtures import find_user_fixtures
from planner.inspect.walk import Listing

MAX_CONFIG_BYTES = 1_000_000
_SQL_DIRS = frozenset({"migrations", "migration", "sql", "schema", "db", "ddl"})
_TEST_DIRS = frozenset({"tests", "test"})
_TEST_PREFER = ("route", "api", "endpoint", "router")
_GENERATORS = (
    ("@hey-api/openapi-ts", "@hey-api/openapi-ts"),
    ("openapi-ts", "@hey-api/openapi-ts"),
    ("openapi-typescript-codegen", "openapi-typescript-codegen"),
    ("openapi --input", "openapi-typescript-codegen"),
    ("openapi-generator", "openapi-generator-cli"),
    ("orval", "orval"),
    ("openapi-typescript", "openapi-typescript"),
)  # fmt: skip
# Compiled on first use (re's cache): only projects with a generated client
# need them.
_TS_OUTPUT = r"output\s*:\s*(?:\{[^}]*?path\s*:\s*)?['\"]([^'\"]+)['\"]"
_TS_INPUT = r"input\s*:\s*['\"]([^'\"]+)['\"]"
_CLI_OUTPUT = r"(?:--output|-o)[ =]+([^\s&;|]+)"
_ASYNCIO_AUTO = re.compile(r"asyncio_mode\s*=\s*['\"]?auto")
_MODELS_IMPORT = re.compile(r"^\s*(?:from|import)\s[^\n]*\bmodels\b", re.M)


def _text(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        return None if len(data) > MAX_CONFIG_BYTES else data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _join(base: str, relative: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(base or ".", relative.strip()))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return joined


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]


def _dir(rel: str) -> str:
    return rel.rpartition("/")[0]


def _alembic_ini(root: Path, rel: str, files: set[str]) -> list[tuple[str, str]]:
    """Script and first versions folder of every section of an ini that names one."""
    sections = read_sections(_text(root / rel) or "", rel, files)
    return sorted(((s.script, s.versions[0]) for s in sections), key=lambda f: f[1])


def find_alembic(root: Path, listing: Listing, corpus: Corpus) -> AlembicFacts | None:
    """Return the Alembic setup nearest the root and its heads, if any."""
    files = set(listing.python)
    setups: list[tuple[str | None, str, str]] = []
    for rel in listing.config:
        if _name(rel) == "alembic.ini":
            setups += [(rel, *found) for found in _alembic_ini(root, rel, files)]
    for mako in listing.mako:
        script = _dir(mako)
        if f"{script}/env.py" in files and all(s[1] != script for s in setups):
            setups.append((None, script, f"{script}/versions"))
    if not setups:
        return None
    config, script, versions = min(
        setups, key=lambda s: (s[0] is None, s[1].count("/"), s[1])
    )
    # The configurations sharing the chosen scripts, one history each.
    folders = sorted({v for c, sc, v in setups if c == config and sc == script})
    ours = [
        (rel, value)
        for rel, value in sorted(corpus.revisions.items())
        if any(rel.startswith(f + "/") for f in folders)
    ]
    graph = [value for _, value in ours]
    downs = {down for _, items in graph for down in items}
    trees = {_tree_folder(rel) for rel, _ in ours}
    env = f"{script}/env.py"
    has_env = env in files
    return AlembicFacts(
        config=config,
        script_location=script,
        env=env if has_env else None,
        env_imports_models=has_env
        and bool(_MODELS_IMPORT.search(_text(root / env) or "")),
        versions_dir=versions,
        revisions=len(graph),
        heads=tuple(sorted({rev for rev, _ in graph} - downs)),
        trees=max(len(trees), 1),
    )


def _tree_folder(rel: str) -> str:
    """The folder of a revision's own history: year folders belong to their parent.

    Some projects keep one history per database dialect side by side
    (`versions/postgresql/`, `versions/sqlite/`), each with its own head.
    """
    folder = _dir(rel)
    return _dir(folder) if re.fullmatch(r"\d{4}", _name(folder)) else folder


def find_sql_migrations(listing: Listing) -> SqlMigrations | None:
    """Return the folder of plain SQL migration scripts, if the project keeps one."""
    by_dir: dict[str, list[str]] = {}
    for rel in listing.sql:
        by_dir.setdefault(_dir(rel), []).append(_name(rel))
    candidates = [d for d in by_dir if _SQL_DIRS & set(d.split("/"))]
    if not candidates:
        return None
    best = min(candidates, key=lambda d: (-len(by_dir[d]), d))
    return SqlMigrations(folder=best, scripts=tuple(sorted(by_dir[best])))


def _test_folder(tests: Sequence[str]) -> str:
    counts: Counter[str] = Counter()
    for rel in tests:
        parts = rel.split("/")[:-1]
        marks = [i for i, part in enumerate(parts) if part in _TEST_DIRS]
        counts["/".join(parts[: marks[0] + 1]) if marks else _dir(rel) or "."] += 1
    return min(counts, key=lambda d: (-counts[d], d))


def _async_style(root: Path, listing: Listing, corpus: Corpus) -> str | None:
    anyio = corpus.test_markers.get("anyio", 0)
    asyncio = corpus.test_markers.get("asyncio", 0)
    for rel in listing.config:
        if _name(rel) in {"pyproject.toml", "pytest.ini", "setup.cfg"}:
            if _ASYNCIO_AUTO.search(_text(root / rel) or ""):
                asyncio += 1
    if not anyio and not asyncio:
        return None
    return "anyio" if anyio > asyncio else "asyncio"


def _is_mirrored(pattern: str | None, folder: str, code: ProjectFacts) -> bool:
    if pattern is None:
        return False
    test_dir = _dir(pattern)
    if "{" in test_dir:
        return True
    route = code.router_naming.pattern
    if route is None or code.app_root is None:
        return False
    inner = posixpath.relpath(test_dir or ".", folder)
    return inner == posixpath.relpath(_dir(route) or ".", code.app_root)


def find_tests(
    root: Path, listing: Listing, corpus: Corpus, code: ProjectFacts
) -> TestFacts:
    """Return where tests live, their client fixture and async style."""
    conftests = tuple(rel for rel in corpus.tests if _name(rel) == "conftest.py")
    tests = [
        rel
        for rel in corpus.tests
        if _name(rel).startswith("test_") or _name(rel).endswith("_test.py")
    ]
    if not tests and not conftests:
        return TestFacts()
    folder = _test_folder(tests or conftests)
    best = Patterns(code.resources).best(tests, prefer=_TEST_PREFER)
    pattern = best[0] if best else None
    suffixed = sum(_name(rel).endswith("_test.py") for rel in tests)
    style = _async_style(root, listing, corpus)
    client = find_client_fixture(
        corpus,
        conftests,
        api_files=[p for p in (code.router_registry, code.router_naming.pattern) if p],
    )
    base_path, headers = (
        client_defaults(corpus, conftests, client) if client else ("", ())
    )
    db_fixtures, overrides = find_test_database(corpus, conftests)
    return TestFacts(
        folder=folder,
        conftests=conftests,
        client_fixture=client,
        client_base_path=base_path,
        client_headers=headers,
        own_clients=() if client else find_own_clients(corpus, conftests),
        db_fixtures=db_fixtures,
        overrides_dependencies=overrides,
        user_fixtures=find_user_fixtures(corpus, conftests),
        async_style="anyio" if style == "anyio" else "asyncio" if style else None,
        uses_async_client=corpus.test_markers.get("async_client", 0) > 0,
        file_pattern=pattern,
        naming=None
        if not tests
        else "*_test.py"
        if suffixed * 2 > len(tests)
        else ("test_*.py"),
        mirrored=_is_mirrored(pattern, folder, code),
        files=len(tests),
    )


def _marker_dirs(markers: Iterable[str]) -> list[str]:
    dirs = set()
    for rel in markers:
        parent = PurePosixPath(rel).parent
        dirs.add(str(parent.parent if parent.name == "core" else parent))
    return sorted(dirs)


def _generator_configs(
    root: Path, listing: Listing
) -> list[tuple[str, str, str | None]]:
    found: list[tuple[str, str, str | None]] = []
    for rel in listing.config:
        text = _text(root / rel) or ""
        if _name(rel).startswith("openapi-ts.config."):
            output = re.search(_TS_OUTPUT, text, flags=re.S)
            found.append(
                (rel, "@hey-api/openapi-ts", output.group(1) if output else None)
            )
        elif _name(rel) == "package.json":
            found.extend(_package_scripts(rel, text))
    return found


def _package_scripts(rel: str, text: str) -> list[tuple[str, str, str | None]]:
    try:
        scripts = json.loads(text).get("scripts", {})
    except (json.JSONDecodeError, AttributeError):
        return []
    found: list[tuple[str, str, str | None]] = []
    for _, command in sorted(scripts.items() if isinstance(scripts, dict) else []):
        for needle, generator in _GENERATORS:
            if isinstance(command, str) and needle in command:
                output = re.search(_CLI_OUTPUT, command)
                found.append((rel, generator, output.group(1) if output else None))
                break
    return found


def _schema_file(root: Path, config: str | None, listing: Listing) -> str | None:
    if config is not None and not config.endswith(".json"):
        match = re.search(_TS_INPUT, _text(root / config) or "")
        if match and "://" not in match.group(1):
            joined = _join(_dir(config), match.group(1))
            if joined in listing.config:
                return joined
    schemas = [rel for rel in listing.config if _name(rel) == "openapi.json"]
    return schemas[0] if schemas else None


def find_generated_client(root: Path, listing: Listing) -> GeneratedClient | None:
    """Return an OpenAPI-generated client the project regenerates, if any."""
    markers = _marker_dirs(listing.client_markers)
    configs = _generator_configs(root, listing)
    for config, generator, output in sorted(configs, key=lambda c: ("json" in c[0], c)):
        path = _join(_dir(config), output) if output else None
        near = [d for d in markers if d.startswith(_dir(config))]
        path = path or (near[0] if near else None)
        if path is not None:
            return GeneratedClient(
                path=path, generator=generator, config=config,
                schema_file=_schema_file(root, config, listing),
            )  # fmt: skip
    if markers:
        return GeneratedClient(
            path=markers[0], schema_file=_schema_file(root, None, listing)
        )
    return None
