"""What held in the campaign and must keep holding."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from planner.errors import WriteError
from planner.fileio import write_atomic
from tests.hardening.helpers import ITEMS_SPEC, cli, make_project
from tests.hardening.model_server import answer_body, model_server, raw


def test_a_full_disk_keeps_the_old_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.md"
    target.write_text("the old plan\n")

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.handle = real_fdopen(fd, "wb")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def fileno(self) -> int:
            return self.handle.fileno()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    with pytest.raises(WriteError, match="No space left"):
        write_atomic(target, "the new plan\n" * 10_000, force=True)
    monkeypatch.undo()
    assert target.read_text() == "the old plan\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_json_plans_stay_valid_json_with_hostile_text(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    hostile = json.dumps('"}\x1b\u202e\\ {{ 7*7 }} </script>\ud7ff')
    spec = ITEMS_SPEC.replace(
        "owned_by_user = true", f"owned_by_user = true\ndescription = {hostile}"
    )
    (project / "items.toml").write_text(spec, encoding="utf-8")
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "items.toml", "--no-input", "--out", "-", "--format", "json")  # fmt: skip
    assert ran.code == 0, ran.err
    assert isinstance(json.loads(ran.out), dict)
    assert "{{ 7\\*7 }}" in json.loads(ran.out)["summary"]  # never evaluated


def test_the_api_key_never_reaches_output_or_disk(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = "sk-test-never-shown-0123456789"
    monkeypatch.setenv("PLANNER_LLM_API_KEY", key)
    body = answer_body(f"Echoing the key back: {key}")
    with model_server(raw(body)) as base_url:
        project = make_project(
            tmp_path / "p",
            pyproject=f'[tool.planner.llm]\nbase_url = "{base_url}"\nmodel = "m"\n',
        )
        (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
        ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
                  "items.toml", "--no-input", "--refine", "--debug")  # fmt: skip
    assert key not in ran.out + ran.err
    for path in project.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
