"""The fixture a project's tests call its HTTP API with.

pytest finds fixtures in conftests, in the modules a conftest star-imports
(`from .fixtures.api import *`) or names in `pytest_plugins`, and in the test
module that defines them; planner looks in the same places, in that order.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence

from planner.inspect.corpus import Corpus
from planner.inspect.model.shared import parse_bytes
from planner.inspect.python import FuncDef, scan_module

__all__ = ["find_client_fixture", "fixture_modules"]

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
# A module-level fixture whose name holds `client`: the cheap test before a
# test module is parsed.
_CLIENT_FIXTURE = re.compile(
    rb"^@pytest\.fixture\b[^\n]*\n(?:@[^\n]*\n)*(?:async[ \t]+)?def[ \t]+\w*client",
    re.M,
)
# The words of a fixture's name that say what client it is, not which app.
_CLIENT_WORDS = frozenset({"test", "api", "http", "async", "app", "client"})


def find_client_fixture(
    corpus: Corpus, conftests: Sequence[str], *, api_files: Iterable[str] = ()
) -> str | None:
    """The fixture tests call the API with, or None when none can be told apart.

    Conftests and the modules they pull fixtures from come first; a fixture a
    test module defines for itself counts only where no shared one exists.
    Among several, `client` wins, then one named for a folder of the API's
    files (`test_client_admin` where routers live in `apps/admin/`), then the
    one most test modules use.
    """
    names = _http_clients(_fixtures(corpus, fixture_modules(corpus, conftests)))
    shared = bool(names)
    if not shared:
        own = [
            rel
            for rel in corpus.tests
            if rel not in conftests
            and (src := corpus.texts.get(rel)) is not None
            and _CLIENT_FIXTURE.search(src.data)
        ]
        names = _http_clients(_fixtures(corpus, own))
    if not names:
        return None
    folders = {part for path in api_files for part in path.split("/")[:-1]}
    # A shared `client` is the generic one; among fixtures each test module
    # keeps for itself, the one most tests take is the API's.
    counted = len(names) > 1 and not (shared and "client" in names)
    uses = _uses(corpus, names) if counted else {}

    def rank(name: str) -> tuple[int, bool, bool, int, int, str]:
        named = bool((set(name.split("_")) - _CLIENT_WORDS) & folders)
        first = 0 if shared else -uses.get(name, 0)
        return (first, name != "client", not named, -uses.get(name, 0), len(name), name)

    return min(names, key=rank)


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
            if "client" in f.name and any("fixture" in d for d in f.decorators)
        ]
    return found


def _http_clients(fixtures: list[FuncDef]) -> set[str]:
    """The fixtures that give an HTTP client: typed as one, else named as one."""
    typed = {f.name for f in fixtures if _HTTP_CLIENT_TYPE.search(f.returns)}
    named = {
        f.name
        for f in fixtures
        if _HTTP_CLIENT_NAME.fullmatch(f.name)
        and not f.name.endswith(("_mock", "_fake", "_stub"))
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
