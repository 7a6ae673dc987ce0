"""One walk, one read and one parse per file: the facts and the model share them."""

from __future__ import annotations

import collections
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from planner.api import prepare, project_layout
from planner.inspect.model import files, shared
from planner.inspect.model.project import read_project
from planner.inspect.project import inspect_project
from planner.inspect.versions import _lock_entries, _lock_packages
from planner.spec import CrudResourceSpec

FIXTURE = Path(__file__).parents[1] / "fixtures" / "model" / "office"

SPEC = CrudResourceSpec.model_validate(
    {
        "kind": "crud-resource",
        "resource": {
            "name": "lamp",
            "fields": [{"name": "label", "type": "str", "required": True}],
        },
    }
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "office")
    return tmp_path / "office"


def _count(monkeypatch: pytest.MonkeyPatch, name: str) -> collections.Counter[str]:
    """Count the calls of a `shared` helper by their first argument."""
    calls: collections.Counter[str] = collections.Counter()
    real = getattr(shared, name)

    def counted(first: object, *args: object) -> object:
        key = first.decode() if isinstance(first, bytes) else str(first)
        calls[key] += 1
        return real(first, *args)

    monkeypatch.setattr(shared, name, counted)
    return calls


def test_a_plan_lists_the_tree_once_and_parses_each_file_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = collections.Counter[str]()
    real_list = files.list_tree

    def list_tree(root: Path) -> files.TreeListing:
        listed[os.fspath(root)] += 1
        return real_list(root)

    monkeypatch.setattr(shared, "list_tree", list_tree)
    parsed = _count(monkeypatch, "parse_data")
    request = prepare(SPEC, project=project)
    assert request.model is not None
    assert listed == {os.fspath(project): 1}  # both cache keys, both passes
    assert parsed
    assert max(parsed.values()) == 1


def test_a_shared_read_hides_ignored_files_from_the_call_that_ignores_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = collections.Counter[str]()
    real_list = files.list_tree

    def list_tree(root: Path) -> files.TreeListing:
        listed[os.fspath(root)] += 1
        return real_list(root)

    monkeypatch.setattr(shared, "list_tree", list_tree)
    router = "office/apps/admin/routers/desks.py"
    hidden = frozenset({router})
    with shared.one_read():
        whole = read_project(project, cache=False)
        partial = read_project(project, cache=False, ignore=hidden)
        facts = inspect_project(project, ignore=hidden)
        again = inspect_project(project)
    assert router in whole.paths
    assert router not in partial.paths
    assert router not in facts.existing
    assert router in again.existing
    assert listed == {os.fspath(project): 1}  # filtered, never listed anew


def test_without_a_shared_read_every_call_sees_the_files_as_they_are(
    project: Path,
) -> None:
    before = read_project(project, cache=False)
    (project / "office" / "apps" / "admin" / "routers" / "lamps.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/lamps')\n\n\n"
        "@router.get('/')\ndef list_lamps() -> list[str]:\n    return []\n",
        encoding="utf-8",
    )
    after = read_project(project, cache=False)
    assert "office/apps/admin/routers/lamps.py" not in before.paths
    assert "office/apps/admin/routers/lamps.py" in after.paths


def test_a_module_without_a_fact_is_not_parsed_for_the_facts(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Names a session, so it passes the first filter, but states no fact.
    (project / "office" / "reports.py").write_text(
        "def total(db_session: Session) -> int:\n    return db_session.count()\n",
        encoding="utf-8",
    )
    parsed = _count(monkeypatch, "parse_data")
    inspect_project(project)
    assert parsed  # the routers and tables still are
    assert not any("db_session.count" in key for key in parsed)


def test_a_pipe_named_like_a_module_is_never_opened(project: Path) -> None:
    os.mkfifo(project / "office" / "stream.py")
    facts = inspect_project(project)  # opening the pipe would wait for ever
    layout = project_layout(project)
    assert "office/stream.py" not in facts.existing
    assert layout.source != "default"


UV_LOCK = """version = 1

[[package]]
name = "office"
source = { editable = "." }
dependencies = [{ name = "fastapi" }]

[[package]]
name = "fastapi"
version = "0.115.2"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://example.invalid/fastapi.whl", hash = "sha256:00" }]

[[package]]
name = "pydantic"
version = "2.9.2"
source = { registry = "https://pypi.org/simple" }
"""


def test_lock_files_are_read_from_their_package_headers() -> None:
    expected = list(_lock_packages(tomllib.loads(UV_LOCK)))
    assert _lock_entries(UV_LOCK) == expected
    assert ("fastapi", "0.115.2", True) in expected
    # A table whose version is not on the line after its name: parsed in full.
    source = 'source = { registry = "https://pypi.org/simple" }\n'
    moved = UV_LOCK.replace(
        f'name = "pydantic"\nversion = "2.9.2"\n{source}',
        f'name = "pydantic"\n{source}version = "2.9.2"\n',
    )
    assert moved != UV_LOCK
    assert ("pydantic", "2.9.2", True) in _lock_entries(moved)
