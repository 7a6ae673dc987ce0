"""The compiled plan template is cached like bytecode, never in the project."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from planner import DEFAULT_LAYOUT, Plan, build_plan, read_spec, render_markdown
from planner.render import markdown
from tests.paths import EXAMPLES


@pytest.fixture
def plan() -> Plan:
    return build_plan(
        read_spec(EXAMPLES / "crud-items.toml").spec, layout=DEFAULT_LAYOUT
    )


@pytest.fixture
def fresh_template() -> Iterator[None]:
    """Each test compiles or loads the template anew, and leaves none behind."""
    markdown._template.cache_clear()
    yield
    markdown._template.cache_clear()


@pytest.fixture
def pycache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Python writes bytecode, under a prefix of this test's own."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pyc"))
    return tmp_path


def _cached(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("plan-template-*.jinja2"))


def _compile_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the template was compiled, not loaded")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


@pytest.mark.usefixtures("fresh_template")
def test_second_render_loads_the_cached_code(
    plan: Plan, pycache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_markdown(plan)
    assert len(_cached(pycache)) == 1
    markdown._template.cache_clear()
    _compile_fails(monkeypatch)
    assert render_markdown(plan) == first


@pytest.mark.usefixtures("fresh_template")
def test_nothing_is_cached_when_python_writes_no_bytecode(
    plan: Plan, pycache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    render_markdown(plan)
    assert _cached(pycache) == []


@pytest.mark.usefixtures("fresh_template")
def test_a_damaged_cache_is_compiled_again(plan: Plan, pycache: Path) -> None:
    first = render_markdown(plan)
    (cached,) = _cached(pycache)
    cached.write_bytes(b"not a template's code")
    markdown._template.cache_clear()
    assert render_markdown(plan) == first
    assert cached.read_bytes() != b"not a template's code"


@pytest.mark.usefixtures("fresh_template")
def test_a_cache_folder_that_cannot_be_made_only_costs_a_compile(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(blocker))
    expected = render_markdown(plan)
    markdown._template.cache_clear()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert render_markdown(plan) == expected
    assert blocker.is_file()
