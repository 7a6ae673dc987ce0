"""The project's own client fixture is named, never described as planner builds one."""

from __future__ import annotations

from dataclasses import replace

from planner.inspect.layout import DEFAULT_LAYOUT
from planner.rules.shared.testclient import client_fixture

STYLE = "`httpx.AsyncClient(transport=ASGITransport(app=app))`"


def test_the_project_fixture_is_named_without_how_planner_would_build_it() -> None:
    layout = replace(DEFAULT_LAYOUT, test_client_fixture="test_client_admin")
    text = client_fixture(layout, STYLE)
    assert text == "Use the `test_client_admin` fixture"


def test_a_fixture_to_add_is_described() -> None:
    layout = replace(DEFAULT_LAYOUT, test_client_fixture="")
    assert STYLE in client_fixture(layout, STYLE)
