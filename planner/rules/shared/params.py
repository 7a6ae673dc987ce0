"""How a route's parameters are written: the form the project's FastAPI reads.

FastAPI reads `Annotated[T, Query()]` from 0.95.0; before it, the marker is the
parameter's default value (`limit: int = Query(20, le=100)`). Every guidance
that writes a parameter goes through here, so a plan never tells an older
project to write what it cannot run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.engine.builder import Context
from planner.engine.knowledge import at_least
from planner.inspect.model.names import Names, words

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

    Where the project's routes take a wrapper instead (a database object,
    a server with managers: see `data_holder`), that parameter. An alias the
    project does not have yet stands for an `Annotated` one the plan adds;
    before FastAPI 0.95 the routes take the function it would wrap.
    """
    holder = data_holder(ctx)
    if holder is not None:
        return holder.declared
    lay = ctx.layout
    kind = "AsyncSession" if lay.session_is_async else "Session"
    dep = lay.session_dep
    if dep[:1].isupper() and not lay.session_dep_exists and not annotated(ctx):
        dep = "get_session"
    return depends(ctx, lay.session_param, kind, dep)


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
    habit = ctx.targets.convention("response_declaration") if ctx.targets else ""
    if habit == "response_model" and schema:
        # The project's habit, which FastAPI still reads; a note would only
        # ask every route to change.
        return f"`response_model={schema}` on the decorator, as the project's routes do"
    return (
        f"a return annotation (`-> {schema or 'None'}`) rather than `response_model=`"
    )


@dataclass(frozen=True, slots=True)
class DataHolder:
    """What the routes take their data access through, in place of a session.

    `name` and `type_` are the parameter's (`db`, `PrefectDBInterface`; the
    type "" where the routes leave it unread), `dependency` the function or
    alias that hands it, `declared` the parameter as a new route writes it.
    """

    name: str
    type_: str
    dependency: str
    declared: str


_HOLDER = re.compile(
    r"(?P<name>\w+)(?:: (?P<type>.+?))? = (?P<dep>[\w.{}]+) \(.*\)"
    r"|(?P<aname>\w+): (?P<alias>[\w.]+) \(.*\)"
)


def data_holder(ctx: Context) -> DataHolder | None:
    """The wrapper the project's routes reach data through, if they take one.

    The `data_dependency` vote's winner where it is one (a parameter whose
    attributes handlers call to open a session or reach a manager), not
    `session`: more routes take that wrapper than take a session.
    """
    targets = ctx.targets
    vote = targets.convention("data_dependency") if targets is not None else ""
    found = _HOLDER.fullmatch(vote)
    if found is None:
        return None
    name = found["name"] or found["aname"]
    if found["alias"]:
        alias = found["alias"]
        return DataHolder(name, alias, alias, f"{name}: {alias}")
    type_, dep = found["type"] or "", found["dep"]
    if "{" in type_ + dep:
        # One data-access class per resource: the new routes take their own.
        own = _own_names(ctx)
        if own is None:
            return None
        camel, snake = own
        type_ = type_.replace("{Singular}", camel)
        dep = dep.replace("{singular}", snake)
    if type_:
        declared = depends(ctx, name, type_, dep)
    else:
        declared = f"{name} = Depends({dep})"
    return DataHolder(name, type_, dep, declared)


def _own_names(ctx: Context) -> tuple[str, str] | None:
    """The CamelCase and snake_case singular of the resource the routes serve."""
    res = getattr(ctx.spec, "resource", None)
    ex = ctx.targets.exemplar if ctx.targets is not None else None
    snake = res.name if res is not None else ex.singular if ex is not None else ""
    if not snake:
        return None
    return "".join(w.title() for w in snake.split("_")), snake


# Attribute words of a session a handler opens (`db.session_context()`), as
# against a layer of data access it calls (`server.tool_manager`).
_OPENS = frozenset({"session", "transaction", "connection", "connect", "begin"})


def holder_access(
    ctx: Context, holder: DataHolder, new: Names
) -> tuple[bool, str, str]:
    """How handlers use the holder: whether to open a session, and the attribute.

    The `data_access` vote's attribute (`session_context`, or
    `{singular}_manager` named for each route's resource), as the new
    resource writes it and as the exemplar does; "" where none settled.
    """
    targets = ctx.targets
    vote = targets.convention("data_access") if targets is not None else ""
    head, _, attr = vote.partition(".")
    if head != holder.name or not attr:
        return False, "", ""
    ex = targets.exemplar if targets is not None else None
    old = Names.guess(ex.plural) if ex is not None else None
    opens = bool(set(words(attr)) & _OPENS)
    return opens, _fill(attr, new), _fill(attr, old) if old else ""


def _fill(attr: str, names: Names) -> str:
    """`{singular}_manager` for one resource: `identity_manager`."""
    return attr.replace("{plural}", "_".join(names.plural)).replace(
        "{singular}", "_".join(names.singular)
    )
