"""Shared fixtures and options: golden-file updates and pty timeouts."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/plan.{md,json} from the current code; review "
        "the diff like code",
    )
    parser.addoption(
        "--spawn-timeout",
        type=float,
        default=30.0,
        help="seconds to wait for each expected screen in pseudo-terminal tests",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def spawn_timeout(request: pytest.FixtureRequest) -> float:
    return float(request.config.getoption("--spawn-timeout"))
