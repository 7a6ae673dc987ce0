"""The benchmark script runs and reports every figure; no timing is asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.paths import ROOT

LABELS = (
    "cold plan, planner new",
    "cold plan, copier copy",
    "planner / copier",
    "planner check, 100 specs",
    "heavy imports: none",
)
# Printed only when a corpus tree is present; otherwise the section says why not.
TREE_LABELS = (
    "real tree, cold planner new",
    "real tree, repeat planner new",
    "real tree, after an edit",
)
TREE_SKIPPED = "real tree: skipped"


@pytest.mark.slow
def test_quick_benchmark_runs_and_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert [label for label in LABELS if label not in out] == [], out
    if TREE_SKIPPED not in out:
        assert [label for label in TREE_LABELS if label not in out] == [], out
    assert "missed" not in out  # --quick judges no budget
