"""How a route's parameters are written: the form the project's FastAPI reads.

FastAPI reads `Annotated[T, Query()]` from 0.95.0; before it, the marker is the
parameter's default value (`limit: int = Query(20, le=100)`). Every guidance
that writes a parameter goes through here, so a plan never tells an older
project to write what it cannot run.
"""

from __future__ import annotations

from planner.engine.builder import Context
from planner.engine.knowledge import at_least

ANNOTATED_SINCE = "0.95.0"
# Pydantic models as `Query()` parameters.
QUERY_MODELS_SINCE = "0.115.0"


def fastapi_at_least(ctx: Context, since: str) -> bool:
    """Tell whether the project's FastAPI has `since`: unknown versions do."""
    return at_least(dict(ctx.layout.versions).get("fastapi"), since) is not False


# `Path()` takes no default (`...`) from here.
PATH_WITHOUT_DEFAULT_SINCE = "0.78.0"


def annotated(ctx: Context) -> bool:
    """Tell whether the project's FastAPI reads `Annotated` parameters."""
    return fastapi_at_least(ctx, ANNOTATED_SINCE)


def param(
    ctx: Context,
    name: str,
    type_: str,
    marker: str,
    *,
    args: str = "",
    default: str | None = None,
) -> str:
    """Return one parameter declaration, e.g. `limit: Annotated[int, Query(le=9)] = 1`.

    Before FastAPI 0.95 the default moves into the marker:
    `limit: int = Query(1, le=9)`.
    """
    if annotated(ctx):
        tail = "" if default is None else f" = {default}"
        return f"{name}: Annotated[{type_}, {marker}({args})]{tail}"
    if (
        default is None
        and marker == "Path"
        and not fastapi_at_least(ctx, PATH_WITHOUT_DEFAULT_SINCE)
    ):
        default = "..."  # `Path()` with no default raises before 0.78.0
    inner = ", ".join(part for part in (default, args) if part)
    return f"{name}: {type_} = {marker}({inner})"


def depends(ctx: Context, name: str, type_: str, dependency: str) -> str:
    """Return a parameter that runs `dependency`: an alias is used as it is.

    An `Annotated` alias (`SessionDep`) is the project's own spelling, so it is
    kept whatever the version.
    """
    if dependency[:1].isupper():
        return f"{name}: {dependency}"
    return param(ctx, name, type_, "Depends", args=dependency)


def dependency_alias(
    ctx: Context, alias: str, type_: str, dependency: str, *, name: str
) -> str:
    """Return how routes share a dependency: an alias, or the plain parameter.

    Before FastAPI 0.95 an `Annotated` alias is not understood, so each route
    declares the dependency as its default value (`name: type_ = Depends(...)`).
    """
    if annotated(ctx):
        return f"export `{alias} = Annotated[{type_}, Depends({dependency})]`"
    plain = param(ctx, name, type_, "Depends", args=dependency)
    return (
        f"declare `{plain}` in each route (an `Annotated` alias needs FastAPI "
        f"{ANNOTATED_SINCE})"
    )


def session_param(ctx: Context) -> str:
    """Return the route's session parameter, through the project's dependency.

    An alias the project does not have yet stands for an `Annotated` one the
    plan adds; before FastAPI 0.95 the routes take the function it would wrap.
    """
    lay = ctx.layout
    kind = "AsyncSession" if lay.session_is_async else "Session"
    dep = lay.session_dep
    if dep[:1].isupper() and not lay.session_dep_exists and not annotated(ctx):
        dep = "get_session"
    return depends(ctx, "session", kind, dep)


# FastAPI reads a route's return annotation as its response model from here.
RETURN_ANNOTATION_SINCE = "0.89.0"


def response_declaration(ctx: Context, schema: str | None) -> str:
    """How a route declares what it answers, in the project's FastAPI.

    A return annotation where FastAPI reads it; before 0.89.0 only
    `response_model=` is read, so plans keep it there.
    """
    if not fastapi_at_least(ctx, RETURN_ANNOTATION_SINCE):
        return (
            f"`response_model={schema}` on the decorator (this FastAPI does not "
            "read return annotations)"
            if schema
            else "no `response_model=`"
        )
    return (
        f"a return annotation (`-> {schema or 'None'}`) rather than `response_model=`"
    )
