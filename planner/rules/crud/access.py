"""How a resource's data-access functions are written, as the project writes its own.

Plain functions taking a session, a class per resource (`ClientManager`),
or an instance of the project's generic base (`crud_tags = CRUDTag(Tag)`).
"""

from __future__ import annotations

from planner.engine.builder import Context
from planner.engine.knowledge import at_least
from planner.render.escape import code
from planner.rules.crud.data import resource_paths, without_orm
from planner.rules.crud.holder import holder_opens_sessions
from planner.spec import CrudResourceSpec


def functions_guidance(ctx: Context, spec: CrudResourceSpec, model: str) -> list[str]:
    """The functions to write and how they query (no generic base to use)."""
    return [
        _functions_guidance(ctx, _service_functions(spec)),
        _query_guidance(ctx, model),
    ]


def in_handlers(ctx: Context) -> bool:
    """Whether the handlers do the data work: no data-access module to put it in.

    The exemplar's routes query with the session they take, and no layer
    beside the router was laid out for the new resource.
    """
    paths = resource_paths(ctx)
    ex = ctx.targets.exemplar if ctx.targets is not None else None
    return (
        ex is not None
        and paths["service"] == paths["router"]
        and sum(r.session for r in ex.routes) * 2 > len(ex.routes)
    )


def _functions_guidance(ctx: Context, functions: list[str]) -> str:
    lay = ctx.layout
    ex = ctx.targets.exemplar if ctx.targets is not None else None
    if ex is not None and in_handlers(ctx):
        return (
            f"No data-access module, as the routes of `{ex.name}` have none: "
            "each handler does its own queries with the session it takes and "
            "answers a missing row or a conflict itself (`HTTPException`)."
        )
    names = ", ".join(f"`{fn}`" for fn in functions)
    found = ctx.targets.slot("service_class") if ctx.targets is not None else None
    if found:
        # The project's data access is a class per resource: one more.
        new, old, path = found.split(" ", 2)
        head = (
            f"A `{new}` class written as `{old}` in {code(path)} is (its "
            f"constructor, how it gets its session, its base class), with the "
            f"methods {names}"
        )
        made = ctx.targets.slot("service_object") if ctx.targets else None
        if made:
            obj, theirs = made.split(" ", 1)
            head += (
                f", and the module-level `{obj}` the routes use, made as `{theirs}` is"
            )
    elif not without_orm(ctx) and holder_opens_sessions(ctx) is not False:
        session = "AsyncSession" if lay.session_is_async else "Session"
        head = f"Plain functions taking `session: {session}` first: {names}"
    else:
        head = (
            f"Functions, or methods where the project's data access is a class: {names}"
        )
    return (
        head + ". Keep them free of HTTP: return `None` for a missing row, raise a "
        "domain error for conflicts, and let the router choose status codes."
    )


def instance_guidance(ctx: Context) -> str:
    """The data access as an instance of the project's generic base, or "".

    Where the exemplar's module holds `crud_users = CRUDUser(User)` and its
    routes call what the base writes, the new module holds one more
    instance; the base's methods are its functions.
    """
    found = ctx.targets.slot("service_instance") if ctx.targets is not None else None
    parts = (found or "").split(" ")
    if len(parts) != 5:
        return ""
    new, old, path, base, methods = parts
    calls = ", ".join(f"`{new}.{m}(...)`" for m in methods.split(","))
    return (
        f"`{new}`, an instance of the generic base in {code(base)}, made as "
        f"`{old}` is in {code(path)} (its class, the table and the schemas it "
        f"is given): the routes call what the base writes ({calls}, as "
        f"`{old}`'s routes do) rather than new functions; write a method of "
        "its own only for what the base lacks, and leave the queries and "
        "writes the base does to it."
    )


def _query_guidance(ctx: Context, model: str) -> str:
    lay = ctx.layout
    if without_orm(ctx):
        # No ORM: the project's own data access is the pattern, not SQLAlchemy's.
        ex = ctx.targets.exemplar if ctx.targets is not None else None
        like = (
            f" as the data access of `{ex.name}` does" if ex else " as the project does"
        )
        return (
            "No table is mapped with SQLAlchemy or SQLModel: store and load the "
            f"rows{like} (its ORM, its SQL or its storage), with bound "
            "parameters in any SQL, never string formatting."
        )
    awaited = " (awaited)" if lay.session_is_async else ""
    if lay.orm == "sqlmodel":
        return (
            f"Query with `session.exec(select({model}))`{awaited} and "
            f"`session.get({model}, id)`; create with `{model}.model_validate(data, "
            "update={...})` and update with `obj.sqlmodel_update(changes)`."
        )
    installed = dict(lay.versions).get("sqlalchemy")
    if at_least(installed, "1.4") is False:
        return (
            f"Query with `session.query({model})` and fetch by key with "
            f"`session.query({model}).get(id)`, as the project's SQLAlchemy "
            f"{installed} does: `select()` through the session needs 1.4."
        )
    if at_least(installed, "1.4.24") is False:
        return (
            f"Query with `session.execute(select({model})).scalars()` and "
            f"`session.get({model}, id)`{awaited}; `session.scalars()` needs "
            "SQLAlchemy 1.4.24."
        )
    return (
        f"Query with `select({model})` and `session.scalars(...)`/"
        f"`session.get(...)`{awaited}; no `session.query()`."
    )


def _service_functions(spec: CrudResourceSpec) -> list[str]:
    res = spec.resource
    names = {
        "list": f"list_{res.plural_name}",
        "read": f"get_{res.name}",
        "create": f"create_{res.name}",
        "update": f"update_{res.name}",
        "delete": f"delete_{res.name}",
    }
    return [names[op] for op in res.operations]
