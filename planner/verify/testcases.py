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
    # Under `@pytest.mark.parametrize`: the method may come from a parameter.
    parametrized: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def check_tests(
    plan: PlanView, model: ProjectModel, code: SourceCache
) -> list[Finding]:
    """One finding per planned test that names a status code or is found by name.

    A planned test without a status code in its name is only looked up by
    name; when it is not found it is reported as unknown, not missing, since
    any test may check it. A grouped row (one status and cause on several
    operations) is met by a test of its name, or by tests asserting its status
    on each operation it covers, a parametrized test among them.
    """
    found = _test_functions(model, code)
    constants = {f: _constants(f, code) for f in sorted({t.file for t in found})}
    by_name = {t.name: t for t in sorted(found, key=lambda t: t.where, reverse=True)}
    out = []
    for planned in plan.tests:
        same = _named(planned, by_name, found)
        if same is not None:
            out.append(Finding("test", planned.name, "ok", "found by name", same.where))
        elif planned.status is None:
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
        else:
            out.append(_by_assertion(planned, plan, model, found, constants))
    return out


def _by_assertion(
    planned: PlannedTest,
    plan: PlanView,
    model: ProjectModel,
    found: list[_TestFunction],
    constants: dict[str, dict[str, str]],
) -> Finding:
    """Tests asserting the planned status on each operation the row covers."""
    status = planned.status or 0
    endpoints = _endpoints_of(planned, plan)
    matches = {
        e.label: _asserting(planned, status, e, found, constants) for e in endpoints
    }
    if endpoints and all(matches.values()):
        tests = [t for t in dict.fromkeys(matches.values()) if t is not None]
        return Finding(
            "test",
            planned.name,
            "ok",
            _asserted(tests, status, len(endpoints)),
            tests[0].where,
        )
    untested = [label for label, test in matches.items() if test is None]
    where = planned.file if planned.file in model.paths else ""
    return Finding(
        "test",
        planned.name,
        "missing",
        f"no test named so, and none asserts {status} on "
        f"{', '.join(untested) or 'this endpoint'}"
        + ("" if where else f" ({planned.file} does not exist)"),
        where or planned.file,
        plan.line_of(planned.name),
    )


def _asserted(tests: list[_TestFunction], status: int, operations: int) -> str:
    """`test_a` asserts 404; `test_a`, `test_b` assert 401 on its 2 operations."""
    names = ", ".join(f"`{t.name}`" for t in tests)
    verb = "asserts" if len(tests) == 1 else "assert"
    on = f" on its {operations} operations" if operations > 1 else ""
    return f"{names} {verb} {status}{on}"


def _named(
    planned: PlannedTest, by_name: dict[str, _TestFunction], found: list[_TestFunction]
) -> _TestFunction | None:
    same_file = [t for t in found if t.file == planned.file and t.name == planned.name]
    return same_file[0] if same_file else by_name.get(planned.name)


def _endpoints_of(planned: PlannedTest, plan: PlanView) -> list[PlannedEndpoint]:
    """The operations a row covers: those it groups, else the one its name holds."""
    if planned.covers:
        return [e for e in plan.endpoints if e.function in planned.covers]
    named = [e for e in plan.endpoints if e.function and e.function in planned.name]
    one = max(named, key=lambda e: len(e.function), default=None)
    return [one] if one else []


def _asserting(
    planned: PlannedTest,
    status: int,
    endpoint: PlannedEndpoint,
    found: list[_TestFunction],
    constants: dict[str, dict[str, str]],
) -> _TestFunction | None:
    code = re.compile(rf"(?<![\w.]){status}(?![\w.])|HTTP_{status}_")
    words = _words(endpoint)
    candidates = []
    for test in found:
        if not code.search(test.source):
            continue
        source = _expanded(test, constants)
        if not _calls(test, source, endpoint.method.lower()):
            continue
        if not any(w in source.lower() for w in words):
            continue
        if _is_item(endpoint) and not _names_an_item(source, words):
            continue
        candidates.append(test)
    # A grouped row's name holds no function: rank by the operation's as well.
    tokens = set(planned.name.split("_")) | set(endpoint.function.split("_"))
    return max(
        candidates,
        key=lambda t: (
            t.file == planned.file,
            len(tokens & set(t.name.split("_"))),
            -t.line,
        ),
        default=None,
    )


def _calls(test: _TestFunction, source: str, method: str) -> bool:
    """Whether the test calls `method`: `client.get(`, or as a parameter's value."""
    if f".{method}(" in test.source.lower():
        return True
    return (
        test.parametrized
        and re.search(rf"""["']{method}["']""", source, re.IGNORECASE) is not None
    )


def _expanded(test: _TestFunction, constants: dict[str, dict[str, str]]) -> str:
    """The test's source with the module's constants it names added.

    Two rounds, so a table of cases (`OPERATIONS = [("get", NOTES)]`) brings
    in the path constant it names as well.
    """
    named = constants.get(test.file, {})
    text = test.source
    seen: set[str] = set()
    for _ in range(2):
        new = [k for k in named if k not in seen and k in text]
        seen.update(new)
        text += "".join(named[k] for k in new)
    return text


def _constants(path: str, code: SourceCache) -> dict[str, str]:
    """Module-level constants of a test file: a string's value, else its source."""
    tree = code.tree(path)
    text = code.text(path)
    out = {}
    for node in tree.body if tree else ():
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out[node.targets[0].id] = value.value
            else:
                out[node.targets[0].id] = ast.get_source_segment(text, value) or ""
    return out


def _is_item(endpoint: PlannedEndpoint) -> bool:
    """`/api/notes/{note_id}`: the path ends in a parameter."""
    return endpoint.path.rstrip("/").endswith("}")


def _names_an_item(source: str, words: tuple[str, ...]) -> bool:
    """A path below the collection: `/notes/1`, or joined as `f"{NOTES}/1"`.

    Without this, a list test asserting 422 on `?limit=0` would stand for an
    item test asserting 422 on a bad id.
    """
    lowered = source.lower()
    return "}/" in source or any(f"{w}/" in lowered for w in words)


def _words(endpoint: PlannedEndpoint) -> tuple[str, ...]:
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
                out.append(_test_function(path, text, node))
    return out


def _test_function(
    path: str, text: str, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> _TestFunction:
    """A test with its decorators' source: a parametrized one's cases are there."""
    marks = [ast.get_source_segment(text, d) or "" for d in node.decorator_list]
    parametrized = any("parametrize" in m for m in marks)
    source = "\n".join([*marks, ast.get_source_segment(text, node) or ""])
    return _TestFunction(path, node.name, node.lineno, source, parametrized)
