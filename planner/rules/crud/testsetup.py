"""How a resource's tests give its routes their data, as the project's tests do."""

from __future__ import annotations

from planner.engine.builder import Context
from planner.rules.crud.data import without_orm
from planner.rules.crud.holder import holder_tests
from planner.rules.shared.testclient import real_database

__all__ = ["test_database"]


def test_database(ctx: Context) -> str:
    """The clause after the client: a holder's data, the real database, overrides.

    A project whose API tests run on a real database and never override a
    dependency gets its own fixtures named, not the overrides it never uses.
    """
    held = holder_tests(ctx)
    if held:
        return held
    if without_orm(ctx):
        return (
            "; point the data access at a scratch database for each test, as "
            "the project's tests do."
        )
    real = real_database(ctx.layout)
    if real:
        return f"; {real}."
    return (
        "; override the session dependency with `app.dependency_overrides` "
        "and isolate each test in a rolled-back transaction."
    )
