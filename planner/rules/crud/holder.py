"""Guidance for routes that take a wrapper of data access, not a session."""

from __future__ import annotations

from planner.engine.builder import Context
from planner.inspect.model.names import Names
from planner.render.escape import code
from planner.rules.shared.params import DataHolder, data_holder, holder_access


def _resource(ctx: Context) -> tuple[Names, str]:
    """The new resource's names, and the exemplar's name ("" without one)."""
    res = getattr(ctx.spec, "resource", None)
    new = Names.of(res.name, res.plural_name) if res is not None else Names((), ())
    ex = ctx.targets.exemplar if ctx.targets is not None else None
    return new, ex.name if ex is not None else ""


def holder_param(ctx: Context) -> str | None:
    """How the new routes take and use the holder, or None without one.

    What it hands them is named as the routes type it, and the handlers use
    it as the exemplar's do: a session opened through it
    (`db.session_context(...)`), or the new resource's attribute of it
    (`server.identity_manager` beside `server.tool_manager`).
    """
    holder = data_holder(ctx)
    if holder is None:
        return None
    new, ex = _resource(ctx)
    like = f"as `{ex}`'s routes do" if ex else "as the project's routes do"
    what = f"a `{holder.type_}`" if holder.type_ else "what it returns"
    text = f"Take {code(holder.declared)} {like} (it hands them {what}, not a session)"
    opens, attr, old = holder_access(ctx, holder, new)
    if opens:
        text += (
            f"; open the session in each handler through "
            f"`{holder.name}.{attr}(...)` as they do, and pass it to the "
            "data access functions"
        )
    elif attr and old and attr != old:
        text += (
            f"; reach the data through `{holder.name}.{attr}`, as they "
            f"reach theirs through `{holder.name}.{old}`"
        )
    elif attr:
        text += f"; reach the data through `{holder.name}.{attr}`"
    return text


def holder_opens_sessions(ctx: Context) -> bool | None:
    """Whether handlers open sessions through the holder; None without one."""
    holder = data_holder(ctx)
    if holder is None:
        return None
    new, _ = _resource(ctx)
    return holder_access(ctx, holder, new)[0]


def holder_commit(ctx: Context) -> str | None:
    """Who owns the transaction where the routes take a holder, else None."""
    holder = data_holder(ctx)
    if holder is None:
        return None
    new, ex = _resource(ctx)
    opens, attr, _ = holder_access(ctx, holder, new)
    if opens:
        like = f", as `{ex}`'s handlers open it" if ex else ""
        return (
            f"The block each handler opens through `{holder.name}.{attr}"
            f"(...)` holds the transaction{like}: the functions never call "
            "`commit()` (they `flush()` where a write must reach the database "
            "before the block ends)."
        )
    return _owner_commits(ctx, holder, attr)


def _owner_commits(ctx: Context, holder: DataHolder, attr: str) -> str:
    """The data access behind the holder owns its transactions."""
    found = ctx.targets.slot("service_class") if ctx.targets is not None else None
    if found:
        new_class, old_class, _ = found.split(" ", 2)
        return (
            f"The routes never see a session: the `{new_class}` methods that "
            f"write own their transaction, as `{old_class}`'s do."
        )
    through = f"`{holder.name}.{attr}`" if attr else f"`{holder.name}`"
    return (
        f"The routes never see a session: the data access they reach through "
        f"{through} owns the transaction."
    )


def holder_tests(ctx: Context) -> str | None:
    """How the tests give the routes their data, where they take a holder."""
    holder = data_holder(ctx)
    if holder is None:
        return None
    return (
        f"; the routes take {code(holder.name)} from {code(holder.dependency)}, "
        "not a session: give the tests their database as the project's tests "
        "do, and keep each test's rows apart."
    )
