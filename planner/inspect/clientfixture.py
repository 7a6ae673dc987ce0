"""The fixture a project's tests call its HTTP API with.

pytest shares fixtures from conftests and from the modules a conftest
star-imports (`from .fixtures.api import *`) or names in `pytest_plugins`;
planner looks in the same places. A fixture a test module defines for itself
is no other module's (`ownclients` reads those).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from planner.inspect.corpus import Corpus
from planner.inspect.model.shared import parse_bytes
from planner.inspect.python import FuncDef, scan_module

__all__ = [
    "call_name",
    "client_defaults",
    "find_client_fixture",
    "fixture_modules",
    "is_fixture",
]

# An HTTP test client, by its return annotation (`TestClient`, `AsyncClient`)
# or else by its name: `client`, `test_client`, `async_client_admin`; not
# `temporal_client` (another service's client) nor a mock.
_HTTP_CLIENT_TYPE = re.compile(r"\b(?:TestClient|AsyncClient|httpx\.Client)\b")
_HTTP_CLIENT_NAME = re.compile(r"(?:(?:test|api|http|async|app)_)?client(?:_[a-z]+)?")
_STAR = re.compile(rb"^from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\*", re.M)
_PLUGINS = re.compile(
    rb"^pytest_plugins\s*=\s*([\[(][^\])]*[\])]|['\"][^'\"]*['\"])", re.M
)
_DOTTED = re.compile(rb"['\"]([\w.]+)['\"]")
# The classes an HTTP test client is built from.
_CLIENT_CLASSES = frozenset({"TestClient", "AsyncClient", "Client"})
# Headers whose value a plan repeats; any other (`Authorization`) is named only.
_SHOWN_HEADERS = frozenset({"content-type", "accept"})
# The words of a fixture's name that say what client it is, not which app.
_CLIENT_WORDS = frozenset({"test", "api", "http", "async", "app", "client"})


def find_client_fixture(
    corpus: Corpus, conftests: Sequence[str], *, api_files: Iterable[str] = ()
) -> str | None:
    """The shared fixture tests call the API with, or None when none is shared.

    Only conftests and the modules they pull fixtures from share one: a
    fixture a test module defines for itself reaches no other module (see
    `ownclients`). Among several, `client` wins, then one named for a folder
    of the API's files (`test_client_admin` where routers live in
    `apps/admin/`), then the one most test modules use.
    """
    modules = fixture_modules(corpus, conftests)
    names = {
        name
        for name in _http_clients(_fixtures(corpus, modules))
        if not all(map(_gives_other_client, _definitions(corpus, modules, name)))
    }
    if not names:
        return None
    folders = {part for path in api_files for part in path.split("/")[:-1]}
    # A shared `client` is the generic one.
    uses = _uses(corpus, names) if len(names) > 1 and "client" not in names else {}

    def rank(name: str) -> tuple[bool, bool, int, int, str]:
        named = bool((set(name.split("_")) - _CLIENT_WORDS) & folders)
        return (name != "client", not named, -uses.get(name, 0), len(name), name)

    return min(names, key=rank)


def client_defaults(
    corpus: Corpus, conftests: Sequence[str], name: str
) -> tuple[str, tuple[str, ...]]:
    """The path of a shared fixture's `base_url` and its client-wide headers.

    Read where the fixture builds its client inline (`AsyncClient(app=app,
    base_url="http://testserver/v1", headers={...})`); a value that is no
    literal is left out, as planner cannot know it.
    """
    found = _definitions(corpus, fixture_modules(corpus, conftests), name)
    return _built_with(found[0]) if found else ("", ())


def _definitions(
    corpus: Corpus, modules: Iterable[str], name: str
) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module-level functions of that name in the modules, in their order."""
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for rel in modules:
        src = corpus.texts.get(rel)
        if src is None or name.encode() not in src.data:
            continue
        tree = parse_bytes(src.data, src.digest)
        if isinstance(tree, ast.Module):
            found += [
                node
                for node in tree.body
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and fixture_name(node) == name
            ]
    return found


def fixture_name(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The name pytest knows a function by: its decorator's `name=`, else its own."""
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call) and is_fixture(node):
            for k in deco.keywords:
                if k.arg == "name" and isinstance(k.value, ast.Constant):
                    return str(k.value.value)
    return node.name


def _gives_other_client(fixture: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the fixture hands out another class's object (`Letta(base_url=...)`).

    An SDK client of a running server is named `client` too, but calls the API
    over the network, not in process.
    """
    for node in ast.walk(fixture):
        if isinstance(node, ast.Return | ast.Yield) and isinstance(
            node.value, ast.Call
        ):
            called = call_name(node.value)
            if called[:1].isupper() and called not in _CLIENT_CLASSES:
                return True
    return False


def _built_with(
    fixture: ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[str, tuple[str, ...]]:
    for node in ast.walk(fixture):
        if not isinstance(node, ast.Call) or call_name(node) not in _CLIENT_CLASSES:
            continue
        path = ""
        headers: list[str] = []
        for kw in node.keywords:
            if kw.arg == "base_url" and isinstance(url := _text(kw.value), str):
                path = urlsplit(url).path.rstrip("/")
            elif kw.arg == "headers" and isinstance(kw.value, ast.Dict):
                headers += [
                    _header(key, _text(v))
                    for k, v in zip(kw.value.keys, kw.value.values, strict=True)
                    if isinstance(key := _text(k), str)
                ]
        return path, tuple(headers)
    return "", ()


def _header(name: str, value: str | None) -> str:
    """A header as the plan shows it: a credential's value is never copied."""
    if value is not None and name.lower() in _SHOWN_HEADERS:
        return f"{name}: {value}"
    return name


def _text(node: ast.expr | None) -> str | None:
    """A string literal's value; None for anything planner cannot know."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_fixture(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is decorated `@pytest.fixture`, `@fixture(...)` or alike."""
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = target.attr if isinstance(target, ast.Attribute) else ""
        name = target.id if isinstance(target, ast.Name) else name
        if "fixture" in name:
            return True
    return False


def call_name(node: ast.Call) -> str:
    """The called name: `TestClient` of `TestClient(app)` and `x.TestClient(app)`."""
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def fixture_modules(corpus: Corpus, conftests: Sequence[str]) -> list[str]:
    """The conftests and every module they pull fixtures from, transitively."""
    found: dict[str, None] = {}
    files = frozenset(corpus.files)
    todo = list(conftests)
    while todo:
        rel = todo.pop(0)
        if rel in found:
            continue
        found[rel] = None
        src = corpus.texts.get(rel)
        if src is None:
            continue
        for name in _pulled(src.data):
            path = _module_path(files, rel, name)
            if path and path not in found:
                todo.append(path)
    return list(found)


def _pulled(data: bytes) -> list[str]:
    """Modules a file takes fixtures from: star imports and `pytest_plugins`."""
    names = [m.group(1).decode() for m in _STAR.finditer(data)]
    for match in _PLUGINS.finditer(data):
        names += [d.decode() for d in _DOTTED.findall(match.group(1))]
    return names


def _module_path(files: frozenset[str], importer: str, name: str) -> str:
    """The project file of a module name, relative (`.fixtures.api`) or absolute."""
    dots = len(name) - len(name.lstrip("."))
    parts = [p for p in name.lstrip(".").split(".") if p]
    if dots:
        base = importer.split("/")[:-dots]
        stems = ["/".join([*base, *parts])]
    else:
        stems = ["/".join(parts)]
    for stem in stems:
        for path in (f"{stem}.py", f"{stem}/__init__.py"):
            if path in files:
                return path
    if dots or not parts:
        return ""
    # An absolute import of the project's own package, under `src/` or not.
    tails = (f"/{stems[0]}.py", f"/{stems[0]}/__init__.py")
    inside = sorted((f for f in files if f.endswith(tails)), key=lambda f: (len(f), f))
    return inside[0] if inside else ""


def _fixtures(corpus: Corpus, modules: Iterable[str]) -> list[FuncDef]:
    """The module-level fixtures whose names hold `client`."""
    found: list[FuncDef] = []
    for rel in modules:
        scan = corpus.test_scans.get(rel)
        if scan is None:
            src = corpus.texts.get(rel)
            # Read, as conftests are, only where both words are written.
            if src is None or b"client" not in src.data or b"fixture" not in src.data:
                continue
            tree = parse_bytes(src.data, src.digest)
            if not isinstance(tree, ast.Module):
                continue
            scan = scan_module(rel, tree)
        found += [
            f
            for f in scan.functions
            if "client" in (f.fixture or f.name)
            and any("fixture" in d for d in f.decorators)
        ]
    return found


def _http_clients(fixtures: list[FuncDef]) -> set[str]:
    """The fixtures that give an HTTP client: typed as one, else named as one."""
    typed = {
        f.fixture or f.name for f in fixtures if _HTTP_CLIENT_TYPE.search(f.returns)
    }
    named = {
        name
        for f in fixtures
        if _HTTP_CLIENT_NAME.fullmatch(name := f.fixture or f.name)
        and not name.endswith(("_mock", "_fake", "_stub"))
        and "Mock" not in f.returns
    }
    return typed or named


def _uses(corpus: Corpus, names: set[str]) -> dict[str, int]:
    """How many test functions take each fixture as a parameter."""
    patterns = {
        n: re.compile(rb"def test_\w*\([^)]*\b" + n.encode() + rb"\b") for n in names
    }
    counts = dict.fromkeys(names, 0)
    for rel in corpus.tests:
        src = corpus.texts.get(rel)
        if src is None or b"client" not in src.data:
            continue
        for name, pattern in patterns.items():
            counts[name] += len(pattern.findall(src.data))
    return counts
