"""Planned tests against the project's test functions: by name, else by assertion."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from planner.inspect.model import ProjectModel
from planner.inspect.model.routes import is_test_path

from .code import SourceCache
from .planview import PlannedEndpoint, PlannedTest, PlanView
from .records import Finding

__all__ = ["check_tests"]


@dataclass(frozen=True, slots=True)
class _TestFunction:
    file: str
    name: str
    line: int
    source: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def check_tests(
    plan: PlanView, model: ProjectModel, code: SourceCache
) -> list[Finding]:
    """One finding per planned test that names a status code or is found by name.

    A planned test without a status code in its name is only looked up by
    name; when it is not found it is reported as unknown, not missing, since
    any test may check it.
    """
    found = _test_functions(model, code)
    constants = {f: _constants(f, code) for f in sorted({t.file for t in found})}
    by_name = {t.name: t for t in sorted(found, key=lambda t: t.where, reverse=True)}
    out = []
    for planned in plan.tests:
        same = _named(planned, by_name, found)
        if same is not None:
            out.append(Finding("test", planned.name, "ok", "found by name", same.where))
            continue
        status = planned.status
        if status is None:
            out.append(
                Finding(
                    "test",
                    planned.name,
                    "unknown",
                    "no test of that name; what it checks may be tested under "
                    "another one",
                    planned.file,
                )
            )
            continue
        endpoint = _endpoint_of(planned, plan)
        match = _asserting(planned, status, endpoint, found, constants)
        if match is not None:
            out.append(
                Finding(
                    "test",
                    planned.name,
                    "ok",
                    f"`{match.name}` asserts {status}",
                    match.where,
                )
            )
        else:
            where = planned.file if planned.file in model.paths else ""
            out.append(
                Finding(
                    "test",
                    planned.name,
                    "missing",
                    f"no test named so, and none asserts {status} on "
                    f"{endpoint.label if endpoint else 'this endpoint'}"
                    + ("" if where else f" ({planned.file} does not exist)"),
                    where or planned.file,
                    plan.line_of(planned.name),
                )
            )
    return out


def _named(
    planned: PlannedTest, by_name: dict[str, _TestFunction], found: list[_TestFunction]
) -> _TestFunction | None:
    same_file = [t for t in found if t.file == planned.file and t.name == planned.name]
    return same_file[0] if same_file else by_name.get(planned.name)


def _endpoint_of(planned: PlannedTest, plan: PlanView) -> PlannedEndpoint | None:
    named = [e for e in plan.endpoints if e.function and e.function in planned.name]
    return max(named, key=lambda e: len(e.function), default=None)


def _asserting(
    planned: PlannedTest,
    status: int,
    endpoint: PlannedEndpoint | None,
    found: list[_TestFunction],
    constants: dict[str, dict[str, str]],
) -> _TestFunction | None:
    code = re.compile(rf"(?<![\w.]){status}(?![\w.])|HTTP_{status}_")
    method = f".{endpoint.method.lower()}(" if endpoint else ""
    words = _words(endpoint)
    candidates = []
    for test in found:
        if not code.search(test.source) or method not in test.source.lower():
            continue
        if not any(w in _expanded(test, constants).lower() for w in words):
            continue
        candidates.append(test)
    tokens = set(planned.name.split("_"))
    return max(
        candidates,
        key=lambda t: (
            t.file == planned.file,
            len(tokens & set(t.name.split("_"))),
            -t.line,
        ),
        default=None,
    )


def _expanded(test: _TestFunction, constants: dict[str, dict[str, str]]) -> str:
    """The test's source with the module's string constants it names added."""
    named = constants.get(test.file, {})
    return test.source + "".join(v for k, v in named.items() if k in test.source)


def _constants(path: str, code: SourceCache) -> dict[str, str]:
    """Module-level string constants (`NOTES = "/api/notes"`) of a test file."""
    tree = code.tree(path)
    out = {}
    for node in tree.body if tree else ():
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            out[node.targets[0].id] = node.value.value
    return out


def _words(endpoint: PlannedEndpoint | None) -> tuple[str, ...]:
    if endpoint is None:
        return ()
    parts = [p for p in endpoint.path.strip("/").split("/") if p and "{" not in p]
    return (f"/{parts[-1].lower()}",) if parts else ()


def _test_functions(model: ProjectModel, code: SourceCache) -> list[_TestFunction]:
    out = []
    for path in sorted(model.paths):
        if not (path.endswith(".py") and is_test_path(path)):
            continue
        tree = code.tree(path)
        text = code.text(path)
        for node in ast.walk(tree) if tree else ():
            if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef
            ) and node.name.startswith("test"):
                source = ast.get_source_segment(text, node) or ""
                out.append(_TestFunction(path, node.name, node.lineno, source))
    return out
