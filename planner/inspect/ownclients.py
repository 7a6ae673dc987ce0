"""The test modules that build an HTTP client of their own.

Where no conftest shares a client fixture, route tests build their client
module by module: a fixture (`def client(): return TestClient(app)`), a
helper (`_build_client(monkeypatch)`) or a module-level `client =
TestClient(app)`. A new test module does as its nearest such module does.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from planner.inspect.clientfixture import call_name, is_fixture
from planner.inspect.corpus import Corpus
from planner.inspect.model.shared import parse_bytes

__all__ = ["find_own_clients"]

# What a module building an in-process client holds: a TestClient, or an
# httpx client over the app (`app=` or an ASGI transport). An httpx client
# over a mock transport calls another service, not the API.
_GATES = (b"TestClient(", b"ASGITransport(", b"(app=")


def find_own_clients(
    corpus: Corpus, conftests: Sequence[str]
) -> tuple[tuple[str, str, str], ...]:
    """(module, builder, kind) of each test module building its own client.

    Kind is `fixture`, `helper` or `module`; one builder per module, the
    first it defines.
    """
    found: list[tuple[str, str, str]] = []
    for rel in sorted(corpus.tests):
        src = corpus.texts.get(rel)
        if rel in conftests or src is None:
            continue
        if not any(gate in src.data for gate in _GATES):
            continue
        tree = parse_bytes(src.data, src.digest)
        if isinstance(tree, ast.Module):
            builder = _builder(tree)
            if builder is not None:
                found.append((rel, *builder))
    return tuple(found)


def _builder(tree: ast.Module) -> tuple[str, str] | None:
    """The module-level fixture, helper or name that builds the client."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            fixture = is_fixture(node)
            # A test that builds a client for itself shares it with no other.
            test = node.name.startswith("test") and not fixture
            if test or not _builds_client(node):
                continue
            return node.name, "fixture" if fixture else "helper"
        if isinstance(node, ast.Assign | ast.AnnAssign) and _builds_client(node):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if names:
                return names[0], "module"
    return None


def _builds_client(node: ast.AST) -> bool:
    """Whether the code calls the API in process: a TestClient or an ASGI client."""
    calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
    names = {call_name(c) for c in calls}
    if "TestClient" in names:
        return True
    if not names & {"AsyncClient", "Client"}:
        return False
    return "ASGITransport" in names or any(
        kw.arg == "app" for c in calls for kw in c.keywords
    )
