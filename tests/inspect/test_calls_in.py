"""A route's calls are listed in the order of a full walk of its body."""

from __future__ import annotations

import ast

from planner.inspect.model.astbits import body_calls, calls_in

SOURCE = """
async def create(item: In, db=Depends(get_db)):
    if not allowed(user.id, scopes=[scope("write")]):
        raise Forbidden(detail=f"{describe(item)}")
    rows = [normalise(r) for r in fetch(db, limit=int("10"))]
    total = sum(r.size for r in rows) + extra(1) * other()
    await repo.save(db, build(item, rows=rows, total=total))
    return respond(lambda: render(rows))[pick()]
"""


def test_body_calls_follow_the_order_of_a_full_walk() -> None:
    fn = ast.parse(SOURCE).body[0]
    assert isinstance(fn, ast.AsyncFunctionDef)
    nodes = [node for stmt in fn.body for node in ast.walk(stmt)]
    walked = [node for node in nodes if isinstance(node, ast.Call)]
    assert [node for stmt in fn.body for node in calls_in(stmt)] == walked
    # Statement by statement, each one breadth first.
    assert body_calls(fn) == (
        "allowed", "Forbidden", "scope", "describe", "normalise", "fetch", "int",
        "sum", "extra", "other", "repo.save", "build", "respond", "pick", "render",
    )  # fmt: skip
