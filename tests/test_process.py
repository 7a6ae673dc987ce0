"""The console script starts and ends quickly without changing what it does.

planner/_process.py turns the garbage collector off, skips pydantic's plugin
scan and skips the interpreter's teardown (docs/performance.md). Each test
runs a fresh interpreter, since all three change the process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "crud-items.toml"


NEW = [sys.executable, "-m", "planner", "new", "crud-resource", "--no-input"]


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**environ, **env},
    )


def test_the_whole_plan_reaches_a_pipe(tmp_path: Path) -> None:
    """Ending without teardown still flushes all of a large plan."""
    out = subprocess.run(
        [*NEW, "--spec", str(EXAMPLE), "--out", "-", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["name"] == "items-crud"


def test_exit_codes_are_kept(tmp_path: Path) -> None:
    out = subprocess.run(
        [*NEW, "--spec", str(tmp_path / "missing.toml"), "--out", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "spec file not found" in out.stderr


def test_later_atexit_handlers_still_run() -> None:
    out = _python(
        "import atexit, sys\n"
        "from planner import _process\n"
        "_process.start()\n"
        "atexit.register(print, 'handler ran')\n"
        "_process.finish(3)\n"
        "sys.exit(3)\n"
    )
    assert out.returncode == 3
    assert out.stdout == "handler ran\n"


def test_teardown_is_kept_when_a_handler_came_first() -> None:
    """A handler registered before (coverage, say) would be lost: keep it."""
    out = _python(
        "import atexit, sys\n"
        "atexit.register(print, 'earlier handler ran')\n"
        "from planner import _process\n"
        "_process.start()\n"
        "_process.finish(0)\n"
        "sys.exit(0)\n"
    )
    assert out.returncode == 0
    assert out.stdout == "earlier handler ran\n"


def test_a_command_that_raised_is_reported_as_usual() -> None:
    out = _python(
        "from planner import _process\n_process.start()\nraise RuntimeError('boom')\n"
    )
    assert out.returncode == 1
    assert "RuntimeError: boom" in out.stderr


SCAN = (
    "import sys\n"
    "from planner import _process\n"
    "_process.start()\n"
    "import pydantic\n"
    "class M(pydantic.BaseModel):\n"
    "    x: int\n"
    "assert M(x=1).x == 1\n"
    "print('importlib.metadata' in sys.modules)\n"
)


def test_the_plugin_scan_is_skipped_when_plugins_are_disabled() -> None:
    out = _python(SCAN, PYDANTIC_DISABLE_PLUGINS="__all__")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "False\n"


def test_the_plugin_scan_runs_when_plugins_are_not_disabled() -> None:
    out = _python(SCAN)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "True\n"


def test_other_loader_names_come_from_pydantic() -> None:
    out = _python(
        "from planner import _process\n"
        "_process.start()\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"
        "print(PYDANTIC_ENTRY_POINT_GROUP)\n",
        PYDANTIC_DISABLE_PLUGINS="__all__",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "pydantic\n"


def test_the_interpreter_is_not_torn_down_after_a_command() -> None:
    """No module teardown (a global's __del__ never runs), no collector."""
    out = _python(
        "import gc, sys\n"
        "from planner import _process\n"
        "_process.start()\n"
        "class Noisy:\n"
        "    def __del__(self):\n"
        "        print('torn down')\n"
        "keep = Noisy()\n"
        "print(gc.isenabled())\n"
        "_process.finish(0)\n"
        "sys.exit(0)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "False\n"
