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
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    return build_plan(spec, layout=DEFAULT_LAYOUT)


@pytest.fixture
def pycache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Python writes bytecode under a prefix of this test's own.

    Each test compiles or loads the template anew and leaves none behind.
    """
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pyc"))
    markdown._template.cache_clear()
    yield tmp_path
    markdown._template.cache_clear()


def _cached(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("template-*.jinja2"))


def _compile_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the template was compiled, not loaded")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_second_render_loads_the_cached_code(
    plan: Plan, pycache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_markdown(plan)
    assert len(_cached(pycache)) == 1
    markdown._template.cache_clear()
    _compile_fails(monkeypatch)
    assert render_markdown(plan) == first


def test_no_bytecode_writing_still_reads_what_is_there(
    plan: Plan, pycache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    first = render_markdown(plan)
    assert _cached(pycache) == []
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    markdown._template.cache_clear()
    render_markdown(plan)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    markdown._template.cache_clear()
    _compile_fails(monkeypatch)
    assert render_markdown(plan) == first


def test_a_damaged_cache_is_compiled_again(plan: Plan, pycache: Path) -> None:
    first = render_markdown(plan)
    (cached,) = _cached(pycache)
    cached.write_bytes(b"not a template's code")
    markdown._template.cache_clear()
    assert render_markdown(plan) == first
    assert cached.read_bytes() != b"not a template's code"
