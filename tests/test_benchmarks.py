"""The benchmark script runs and reports every figure; no timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LABELS = (
    "cold plan, planner new",
    "cold plan, copier copy",
    "import floor",
    "planner / copier",
    "planner / floor",
    "batch plans per second",
    "batch, library: validate + build + render",
    "inspect, library call",
    "inspect, whole process",
    "import cost, top modules",
    "heavy imports on the non-interactive path: none",
)


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
    assert result.returncode == 0, result.stdout + result.stderr
    missing = [label for label in LABELS if label not in result.stdout]
    assert missing == [], result.stdout
    assert "NOT MET" not in result.stdout  # --quick never judges budgets
