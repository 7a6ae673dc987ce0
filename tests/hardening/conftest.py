"""Keep the user's own planner config (~/.config/planner) out of these tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-user-config.toml"))
