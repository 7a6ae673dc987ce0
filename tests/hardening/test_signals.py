"""Signals against `planner render`: no temporary file left, the truth told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening.helpers import ITEMS_SPEC, make_project
from tests.paths import ROOT

COUNT = 120


def many_specs(project: Path) -> None:
    folder = project / ".planner" / "specs"
    folder.mkdir(parents=True)
    for n in range(COUNT):
        text = ITEMS_SPEC.replace('name = "item"', f'name = "thing{n:03d}"', 1)
        (folder / f"thing{n:03d}.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("signum", "delay"),
    [
        (signal.SIGTERM, 0.35),
        (signal.SIGHUP, 0.5),
        (signal.SIGINT, 0.65),
        (signal.SIGTERM, 0.8),
    ],
)
def test_a_signal_during_render_leaves_all_or_nothing_and_says_which(
    tmp_path: Path, signum: signal.Signals, delay: float
) -> None:
    project = make_project(tmp_path / "p")
    many_specs(project)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "planner", "render"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    child.send_signal(signum)
    out, err = child.communicate(timeout=60)
    leftovers = [p.name for p in project.rglob("*.tmp")]
    assert leftovers == []
    plans = list((project / ".claude" / "docs").glob("*.md"))
    message = err.decode()
    if child.returncode == 0:  # finished before the signal came
        assert len(plans) == COUNT
        return
    if child.returncode < 0:  # before planner began, or after it finished
        # On a loaded machine the signal can come while Python still imports
        # planner, before its handlers exist: Python's own report, not ours.
        assert len(plans) in (0, COUNT)
        return
    assert "Traceback" not in message
    assert child.returncode == 130, message
    if "nothing was written" in message:
        assert plans == []
        assert not (project / ".claude").exists()  # folders made are removed too
    else:
        assert "every plan was put in place" in message
        assert len(plans) == COUNT
    del out


def test_a_signal_a_library_wraps_in_its_own_error_is_still_an_interrupt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli import main as cli
    from planner.interrupt import Interrupted, handle_signals

    def dispatch(*_: object) -> int:
        with handle_signals():
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)
            except Interrupted as err:  # as pydantic does inside a serializer
                raise RuntimeError(f"Error calling function: {err!r}") from None
        return 0

    monkeypatch.setattr(cli, "_dispatch", dispatch)
    assert cli.main(["check"]) == 130
    assert "interrupted; nothing was written" in capsys.readouterr().err
