"""Rules every kind runs: session context, project findings, shared notes."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder, rule
from planner.inspect.layout import FileAction
from planner.inspect.model.records import SIGNED_IN_CLIENT
from planner.render.escape import code
from planner.rules.shared.followed import followed_guidance
from planner.rules.shared.schemas import suffix_note


@rule("common.project")
def plan_project(ctx: Context, plan: PlanBuilder) -> None:
    """Record what was found in the project, and assumptions where nothing was."""
    lay = ctx.layout
    for finding in lay.findings:
        plan.assume(finding)
    suffixes = suffix_note(lay)
    if suffixes:
        plan.assume(suffixes)
    if lay.pydantic_major == 1:
        plan.note(
            "compatibility",
            "The project uses Pydantic v1, and this plan describes its models in "
            "v1 idioms (`class Config`, `.dict()`, `@validator`), as the project "
            "writes them. FastAPI dropped v1 support in 0.126.0: migrate "
            "(`bump-pydantic`) before upgrading FastAPI past it.",
            key="pydantic-v1-project",
        )
        plan.practice("pydantic-v2-methods", has="uses Pydantic v1")


@rule("common.analogy")
def plan_analogy(ctx: Context, plan: PlanBuilder) -> None:
    """Name the resource the plan follows, and the project files it adds."""
    targets = ctx.targets
    if targets is None:
        return
    if targets.reason:
        plan.assume(targets.reason)
    for target in targets.files:
        if target.why == SIGNED_IN_CLIENT and ctx.layout.test_user_fixtures:
            continue  # the tests already sign users in with the project's own
        if not plan.has_file(target.path):
            action: FileAction = "modify" if target.action == "modify" else "create"
            plan.file(target.path, target.why, action=action)
        if plan.is_blank(target.path):
            plan.file(target.path, target.why, followed_guidance(ctx, target))
    for unknown in targets.unknowns:
        plan.ask(unknown)
    _before_catch_all(ctx, plan)


def _before_catch_all(ctx: Context, plan: PlanBuilder) -> None:
    """Keep a new route ahead of a catch-all that would otherwise answer it."""
    found = ctx.targets.slot("catch_all") if ctx.targets is not None else None
    if not found:
        return
    method, path, where = found.split(" ", 2)
    file = where.rsplit(":", 1)[0]
    files = ctx.targets.files if ctx.targets is not None else ()
    home = next((t.path for t in files if t.role == "router"), file)
    how = (
        "declare the new route above it"
        if home == file
        else "include the new route's router before the one that declares it"
    )
    plan.file(
        home,
        "path operations",
        f"`{method} {path}` ({code(where)}) matches every path below it, and "
        f"Starlette tries routes in the order they were added: {how}, or the "
        "catch-all answers the new path.",
    )


@rule("common.writes")
def plan_writes(ctx: Context, plan: PlanBuilder) -> None:
    """Notes for any plan whose endpoints accept JSON bodies."""
    if any(ep.request_schema for ep in plan.endpoints):
        plan.practice("strict-content-type")
    if plan.endpoints:
        plan.habit("python-310-union")
    if ctx.context_source:
        plan.assume(f"Session context read from {code(ctx.context_source)}.")
