"""Projects and command runs shared by the hardening tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.cli.main import main
from tests.paths import EXAMPLES, ROOT

ITEMS_SPEC = (EXAMPLES / "crud-items.toml").read_text(encoding="utf-8")
PYPROJECT = '[project]\nname = "app"\ndependencies = ["fastapi"]\n'


@dataclass(frozen=True)
class Ran:
    """A finished command: exit code and what it printed."""

    code: int
    out: str
    err: str


def make_project(root: Path, *, pyproject: str = PYPROJECT) -> Path:
    """Write a minimal project folder (a pyproject.toml) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    cwd: Path,
    *args: str,
) -> Ran:
    """Run `planner ARGS` in-process in `cwd`."""
    monkeypatch.chdir(cwd)
    code = main(list(args))
    out, err = capsys.readouterr()
    return Ran(code, out, err)


def spawn(
    cwd: Path, *args: str, stdin: bytes | None = None, timeout: float = 30
) -> Ran:
    """Run `python -m planner ARGS` in a child process in `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    return Ran(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def one_error_line(err: str) -> str:
    """The `error:` line of a report; there must be exactly one, no traceback."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]
