"""planner's own data, compiled once and kept like bytecode."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planner.engine import knowledge
from planner.engine.compiled import load_data


@pytest.fixture
def pycache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Python writes bytecode, under a prefix of this test's own."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pyc"))
    return tmp_path


class Builds:
    """A build that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, source: bytes) -> dict[str, object]:
        self.calls += 1
        return {"text": source.decode(), "items": [1, 2.5, True, None]}


def _cached(root: Path) -> list[Path]:
    return sorted(root.rglob("data.*.marshal"))


@pytest.mark.usefixtures("pycache")
def test_the_same_bytes_are_built_once() -> None:
    build = Builds()
    first = load_data("data", b"a = 1", build)
    assert load_data("data", b"a = 1", build) == first
    assert build.calls == 1


@pytest.mark.usefixtures("pycache")
def test_other_bytes_are_built_again() -> None:
    build = Builds()
    load_data("data", b"a = 1", build)
    assert load_data("data", b"a = 2", build)["text"] == "a = 2"
    assert build.calls == 2


def test_a_damaged_cache_is_built_again(pycache: Path) -> None:
    build = Builds()
    load_data("data", b"a = 1", build)
    (cached,) = _cached(pycache)
    cached.write_bytes(b"\xff not marshal")
    assert load_data("data", b"a = 1", build)["text"] == "a = 1"
    assert build.calls == 2


def test_nothing_is_written_when_python_writes_no_bytecode(
    pycache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    build = Builds()
    load_data("data", b"a = 1", build)
    assert _cached(pycache) == []


def test_a_folder_that_cannot_be_made_only_costs_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(blocker))
    build = Builds()
    assert load_data("data", b"a = 1", build)["text"] == "a = 1"
    assert load_data("data", b"a = 1", build)["text"] == "a = 1"
    assert build.calls == 2


def test_the_knowledge_base_reads_the_same_from_its_cache(pycache: Path) -> None:
    knowledge.load_knowledge.cache_clear()
    first = knowledge.load_knowledge()
    assert len(list(pycache.rglob("knowledge.*.marshal"))) == 1
    knowledge.load_knowledge.cache_clear()
    again = knowledge.load_knowledge()
    knowledge.load_knowledge.cache_clear()
    assert again == first
    assert first.notes
