"""Same spec and project, same bytes: across processes, hash seeds and locales."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def plan_bytes(spec: Path, *, cwd: Path, seed: str, locale: str, fmt: str) -> bytes:
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "LC_ALL": locale,
        "TZ": "Pacific/Chatham",
    }
    kind = spec.read_text(encoding="utf-8").split('kind = "', 1)[1].split('"', 1)[0]
    result = subprocess.run(
        [sys.executable, "-m", "planner", "new", kind, "--spec", str(spec),
         "--no-input", "--project", str(cwd), "--format", fmt, "--out", "-"],
        cwd=cwd, env=env, capture_output=True, check=True,
    )  # fmt: skip
    return result.stdout


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_bytes_do_not_depend_on_seed_locale_or_folder(
    spec: Path, fmt: str, tmp_path: Path
) -> None:
    first = tmp_path / "a"
    second = tmp_path / "deeper" / "b"
    first.mkdir()
    second.mkdir(parents=True)
    a = plan_bytes(spec, cwd=first, seed="1", locale="C", fmt=fmt)
    b = plan_bytes(spec, cwd=second, seed="4242", locale="C.UTF-8", fmt=fmt)
    assert a == b
    assert str(tmp_path).encode() not in a, "no absolute paths in plans"
