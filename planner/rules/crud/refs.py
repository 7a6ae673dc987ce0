"""The tables a new resource's foreign keys point at, as the project names them."""

from __future__ import annotations

from planner.engine.builder import Context
from planner.rules.crud.tablename import resource_table
from planner.rules.shared.types import referenced_table
from planner.spec import CrudResourceSpec, FieldSpec


def _found(ctx: Context, item: FieldSpec) -> tuple[str, str] | None:
    """The project's table name (`?` if unread) and class of a ref, if it has one."""
    slot = ctx.targets.slot("ref_tables") if ctx.targets is not None else None
    for entry in (slot or "").split(";"):
        parts = entry.split(" ")
        if len(parts) == 3 and parts[0] == item.references:
            return parts[1], parts[2]
    return None


def ref_table(ctx: Context, item: FieldSpec) -> str:
    """The table a ref field points at, as a name for diagrams and lists.

    The project's own (`project`, where its base names tables from their
    classes), its class where planner could not read the name, else the
    plan's plural.
    """
    found = _found(ctx, item)
    spec = ctx.spec
    if found is None and isinstance(spec, CrudResourceSpec):
        if item.references == spec.resource.name:  # a key to its own table
            return resource_table(ctx)
    if found is None:
        return referenced_table(item)
    table, cls = found
    return table if table != "?" else cls


def ref_key(ctx: Context, item: FieldSpec) -> tuple[str, bool]:
    """The key a ref field's foreign key names, and whether it is code.

    ``project.id``; ``the `Project` table's `id` `` (prose) where the
    project's table name could not be read: never a made-up plural.
    """
    found = _found(ctx, item)
    key = _key(ctx, found[0]) if found is not None else "id"
    if found is not None and found[0] == "?":
        return f"the `{found[1]}` table's `{key}`", False
    return f"{ref_table(ctx, item)}.{key}", True


def _key(ctx: Context, table: str) -> str:
    """A table's primary key where it is not `id` (``browser_profile_id``)."""
    slot = ctx.targets.slot("table_keys") if ctx.targets is not None else None
    keys = dict(e.split(":", 1) for e in (slot or "").split(";") if ":" in e)
    return keys.get(table, "id")
