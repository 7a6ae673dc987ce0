"""The owner's key of a user-owned resource, as the project's owned rows have it."""

from __future__ import annotations

from planner.engine.builder import Context
from planner.plan import Column
from planner.rules.shared.tables import user_fk

OWNER_COLUMN = user_fk("owner_id")


def users_table(ctx: Context) -> tuple[str, str, str] | None:
    """The project's users table, its key's kind and its class (`?` unread).

    None where no project was read: the plan's own `users` table stands.
    """
    found = ctx.targets.slot("user_table") if ctx.targets is not None else None
    parts = (found or "").split(" ")
    return (parts[0], parts[1], parts[2]) if len(parts) == 4 else None


def owner_name(ctx: Context) -> str:
    """The owner's column: the one the project's owned rows use (`user_id`)."""
    found = ctx.targets.slot("user_table") if ctx.targets is not None else None
    parts = (found or "").split(" ")
    return parts[3] if len(parts) == 4 and parts[3] != "?" else "owner_id"


def owner_column(ctx: Context) -> Column:
    """The owner's key, named, typed and pointed as the project's owned rows have it."""
    users = users_table(ctx)
    if users is None:
        return OWNER_COLUMN
    table, kind, cls = users
    # Not made up: what planner could not read is named as the users'.
    if table != "?":
        target = f"{table}.id"
    elif cls != "?":
        target = f"the `{cls}` table's `id`"
    else:
        target = "the users table's key"
    return Column(
        name=owner_name(ctx),
        type={"uuid": "Uuid", "str": "String", "int": "Integer"}.get(
            kind, "the type of the users' key"
        ),
        nullable=False,
        constraints=(f"FK → {target} ON DELETE CASCADE",),
    )
