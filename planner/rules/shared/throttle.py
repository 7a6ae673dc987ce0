"""Shared rate-limit rules: the 429 case and how any route is throttled."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder
from planner.plan import ErrorCase
from planner.render.escape import code

_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def window_seconds(limit: str) -> int:
    """Return the window of a `5/minute` limit in seconds."""
    return _SECONDS[limit.split("/", 1)[1]]


def rate_limit_error(limit: str, *, per: str) -> ErrorCase:
    """Return the 429 case of a route limited to `limit` requests per `per`."""
    return ErrorCase(
        status=429,
        when=f"more than {code(limit)} requests per {per}",
        headers=("Retry-After: <seconds until the window resets>",),
    )


def plan_rate_limit(
    ctx: Context,
    plan: PlanBuilder,
    *,
    limit: str,
    functions: tuple[str, ...],
    router_file: str,
    key: str,
    practice: str | None = None,
) -> None:
    """Plan a slowapi limit on routes, keyed as `key` describes.

    `practice` names a knowledge note that replaces the generic 429 note.
    A project that limits rates its own way already gets the limit there.
    """
    if not _own_limiter(ctx, plan, limit, functions, key):
        _plan_slowapi(ctx, plan, limit, functions, router_file, key)
    if practice:
        plan.practice(practice)
        return
    plan.note(
        "security",
        f"Rate limits answer 429 with `Retry-After` (RFC 6585 §4). The window here "
        f"is {window_seconds(limit)} s; make the limit a setting so operators can "
        "tune it without a release, and enforce it before any expensive work.",
        key="rate-limit-429",
    )


def _own_limiter(
    ctx: Context, plan: PlanBuilder, limit: str, functions: tuple[str, ...], key: str
) -> bool:
    """Plan the limit in the project's own rate limiting, if it has one."""
    package, _, module = ctx.layout.rate_limiter.partition(" ")
    if package.endswith(".py"):
        package, module = "", package
    if not module or package == "slowapi":
        return False
    routes = " and ".join(code(f) for f in functions)
    plan.file(
        module,
        "rate limits",
        f"Limit {routes} to `{limit}`, keyed by {key}, as this module writes "
        "the project's other limits (no second rate limiter beside it); check "
        "which environments it applies in before testing the 429.",
        action="modify",
    )
    return True


def _plan_slowapi(
    ctx: Context,
    plan: PlanBuilder,
    limit: str,
    functions: tuple[str, ...],
    router_file: str,
    key: str,
) -> None:
    plan.file(
        router_file,
        "path operations",
        " and ".join(code(f) for f in functions)
        + f': `@limiter.limit("{limit}")` directly under the route decorator; '
        "the function must take `request: Request` for slowapi to read it. Key "
        f"the limit by {key}.",
    )
    plan.file(
        ctx.layout.main_module,
        "application setup",
        "Create one `Limiter(key_func=..., headers_enabled=True)` (slowapi; "
        "without `headers_enabled` it sends no `Retry-After`), set "
        "`app.state.limiter`, and register `_rate_limit_exceeded_handler` for "
        "`RateLimitExceeded` so callers get 429 with `Retry-After`; with several "
        "workers, back it with Redis (`storage_uri`) or the count is per process.",
    )
    # A read project without pyproject.toml declares its packages elsewhere.
    deps = next(
        (f for f in ("pyproject.toml", "requirements.txt", "Pipfile") if ctx.exists(f)),
        "pyproject.toml" if ctx.targets is None else None,
    )
    if deps:
        plan.file(
            deps,
            "dependencies",
            "Add `slowapi` (or enforce the limit at the gateway and drop it here).",
            action="modify",
        )
