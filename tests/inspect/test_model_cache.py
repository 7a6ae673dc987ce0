"""The model's caches: a repeat run reads back what a first run read, or reads anew."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.inspect.model import files, modelcache
from planner.inspect.model.files import walk_project
from planner.inspect.model.index import ProjectIndex
from planner.inspect.model.parse import parse_source
from planner.inspect.model.project import read_project
from planner.inspect.model.scan import scan_imports
from planner.inspect.model.shared import one_read
from planner.inspect.project import inspect_project
from tests.trees import write_tree

FIXTURE = Path(__file__).parents[1] / "fixtures" / "model" / "office"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "office")
    return tmp_path / "office"


def test_a_repeat_read_gives_the_model_the_first_read_kept(project: Path) -> None:
    first = read_project(project)
    assert list(files.cache_folder(project).glob("*-model-*.json"))
    assert read_project(project) == first == read_project(project, cache=False)


def test_another_planners_model_is_not_kept(project: Path) -> None:
    folder = files.cache_folder(project)
    folder.mkdir(parents=True)
    for stale in (
        "model-parse-1.json",
        "model-parse-1-model-000000000000.json",
        f"{files.CACHE_VERSION}-000000000000.json",  # another planner's readers
    ):
        (folder / stale).write_text("{}", encoding="utf-8")
    read_project(project)
    assert {p.name for p in folder.glob("model-parse-*.json")} == {
        files.parse_cache_name(),
        f"{modelcache.MODEL_VERSION}.json",
    }


def test_a_damaged_parse_cache_is_read_past_not_trusted(project: Path) -> None:
    expected = read_project(project, cache=False)
    read_project(project)
    folder = files.cache_folder(project)
    for model in folder.glob("*-model-*.json"):
        model.unlink()  # force a new read from the per-file cache
    store = folder / files.parse_cache_name()
    entries = json.loads(store.read_text(encoding="utf-8"))
    assert entries
    # A summary is kept with its module name, a share of the facts alone.
    damaged = {
        key: [1, 2] if key[64] == "c" else [value[0], [1, 2]]
        for key, value in entries.items()
    }
    store.write_text(json.dumps(damaged), encoding="utf-8")

    assert read_project(project) == expected


def test_files_of_the_same_bytes_under_other_names_are_each_read_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    same = "from . import helpers\n"
    write_tree(project, {f"office/{p}/__init__.py": same for p in ("a", "b", "c")})
    expected = read_project(project)
    for model in files.cache_folder(project).glob("*-model-*.json"):
        model.unlink()  # as after an edit: the model is read from the file cache

    def read_anew(*_: object) -> None:
        raise AssertionError("a file of the parse cache was read anew")

    monkeypatch.setattr(ProjectIndex, "_read_source", read_anew)
    assert read_project(project) == expected


def test_a_first_read_keeps_every_files_share_of_the_facts_with_its_summary(
    project: Path,
) -> None:
    # Two empty `tests/__init__.py` take one module name: the second finds its
    # summary in the store, put there by the first, but no share of its own.
    write_tree(project, {"a/tests/__init__.py": "", "b/tests/__init__.py": ""})
    with one_read():
        ProjectIndex(project, cache=True)
        # What the model's read saved already holds every file's share, so the
        # facts, reading the same files next, have nothing to write again.
        store = files.cache_folder(project) / files.parse_cache_name()
        saved = json.loads(store.read_text(encoding="utf-8"))
        sources = walk_project(project).sources
        assert {f"{s.digest}c{s.path}" for s in sources} <= saved.keys()
        written = store.stat().st_mtime_ns, store.stat().st_ino
        inspect_project(project)
        assert (store.stat().st_mtime_ns, store.stat().st_ino) == written


def test_a_file_replaced_with_the_same_size_and_time_is_read_anew(
    project: Path,
) -> None:
    target = project / "office" / "settings_extra.py"
    target.write_text('PREFIX = "/aaaa"\n', encoding="utf-8")
    stat = target.stat()
    before = modelcache.fingerprint(project, "")
    # An editor's save, a checkout or a copy replaces the file: the same size
    # and modification time, another inode.
    other = project / "office" / "replacement.tmp"
    other.write_text('PREFIX = "/bbbb"\n', encoding="utf-8")
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    other.replace(target)
    assert target.stat().st_size == stat.st_size
    assert modelcache.fingerprint(project, "") != before


SOURCE = b'''"""Docs."""
from __future__ import annotations
import os
import app.core.db as db
import app.models
from . import sibling
from ..pkg import (  # the comment is no name
    first,
    second as other,  # nor this one
)
from .deep.mod import *

def handler():
    from app.services import tags
    value = "import nothing"
    return tags, value

if True:
    import app.late
'''


def test_the_import_scan_binds_what_the_parser_binds() -> None:
    module, package = "app.api.routes", False
    scanned = scan_imports(SOURCE, module, is_package=package)
    parsed = parse_source(SOURCE, module, is_package=package).imports
    assert scanned == parsed
    assert [i.local for i in scanned if i.local] == [
        "annotations", "os", "db", "app", "sibling", "first", "other", "*", "tags",
        "app",
    ]  # fmt: skip


READERS = (
    "planner.inspect.model.index",
    "planner.inspect.model.summary",
    "planner.inspect.model.parse",
    "planner.inspect.model.scan",
    "planner.inspect.model.routes",
    "planner.inspect.model.conventions",
    "planner.inspect.model.normalise",  # what rewrites newer syntax: parses only
)
READ_BACK = """
import json, sys
from pathlib import Path
from planner.inspect.model import read_project
model = read_project(Path(sys.argv[1]))
print(json.dumps([len(model.resources), sorted(m for m in sys.modules if m in {})]))
"""


def test_a_model_read_back_from_the_cache_loads_none_of_the_readers(
    project: Path,
) -> None:
    # A new interpreter: this one has imported every module already.
    read_project(project)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    out = subprocess.run(
        [sys.executable, "-c", READ_BACK.replace("{}", repr(set(READERS))), project],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    resources, loaded = json.loads(out)
    assert resources == len(read_project(project).resources) > 0
    assert loaded == []
