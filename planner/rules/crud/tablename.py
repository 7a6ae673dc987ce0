"""The name of a resource's table, as the project would give it.

Every place of a plan that names the table (the data model, the model's
declaration, the migration and its file, index and constraint names, the
ER diagram, keys that point at it) takes it from here, so they agree.
"""

from __future__ import annotations

from planner.engine.builder import Context
from planner.render.escape import code
from planner.spec import CrudResourceSpec


def base_naming(ctx: Context) -> tuple[str, str] | None:
    """The name the project's base gives the new table ("" unread), and the base.

    None where the project's tables write their own `__tablename__` (or no
    project was read).
    """
    slot = ctx.targets.slot("base_table") if ctx.targets is not None else None
    if not slot:
        return None
    name, _, base = slot.partition(" ")
    return ("" if name == "?" else name), base


def resource_table(ctx: Context) -> str:
    """The resource's table: the project's where it has it, else the new one's.

    A new table is named as the base the project's tables take their names
    from would name its class (``email_template`` of ``EmailTemplate``);
    otherwise as most tables that write their own names are named
    (``system_category`` beside ``system_tier``), else the spec's plural.
    """
    spec = ctx.spec
    if not isinstance(spec, CrudResourceSpec):
        raise TypeError(f"rule needs a crud-resource spec, got {spec.kind!r}")
    own = ctx.targets.own_table if ctx.targets is not None else None
    if own is not None and own.tablename:
        return own.tablename
    named = base_naming(ctx)
    if named is not None and named[0]:
        return named[0]
    own_style = ctx.targets.slot("table_name") if ctx.targets is not None else None
    return own_style or spec.resource.plural_name


def revision_subject(ctx: Context) -> str:
    """What a new table's Alembic revision is named for: ``add <this>``.

    The table's name where a base of the project gives it, else the spec's
    plural, as the revisions planned from the project's own trees are named.
    """
    named = base_naming(ctx)
    return named[0] if named is not None and named[0] else crud_plural(ctx)


def crud_plural(ctx: Context) -> str:
    """The spec's plural of the resource."""
    spec = ctx.spec
    if not isinstance(spec, CrudResourceSpec):
        raise TypeError(f"rule needs a crud-resource spec, got {spec.kind!r}")
    return spec.resource.plural_name


def table_style_sentence(ctx: Context) -> str:
    """The line saying how the new table's name follows the project's ("" if not)."""
    return (ctx.targets.slot("table_name_why") or "") if ctx.targets else ""


def tablename_clause(ctx: Context) -> str:
    """How the new model class says its table: ``with `__tablename__ = "x"` ``.

    Where a base of the project names its tables, none is written (as the
    project's other tables write none); where planner cannot follow how the
    base names them, the plan's name is written and the plan says why.
    """
    named = base_naming(ctx)
    table = resource_table(ctx)
    if named is None:
        return f'with `__tablename__ = "{table}"`'
    base = code(named[1].rsplit(".", 1)[-1])
    if named[0]:
        return (
            f"with no `__tablename__` (the project's {base} names it `{table}`, as "
            "it names its other tables)"
        )
    return (
        f'with `__tablename__ = "{table}"` (the project\'s base {base} computes '
        "its tables' names in code planner could not follow, and may name this "
        "one differently: leave `__tablename__` out to keep its naming, and use "
        "that name in the migration and index names)"
    )


def tablename_sentence(ctx: Context) -> str:
    """What a class declared like the exemplar's writes of its table's name.

    "" where the project's tables write their own `__tablename__`, unless
    its name follows their habit rather than the spec's plural.
    """
    named = base_naming(ctx)
    if named is None:
        # The name the project's habit gives differs from the class's or the
        # spec's: the class says it.
        if table_style_sentence(ctx):
            return f' `__tablename__ = "{resource_table(ctx)}"`.'
        return ""
    base = code(named[1].rsplit(".", 1)[-1])
    if named[0]:
        return (
            f" No `__tablename__`: the project's {base} names it `{named[0]}`, as it "
            "names its other tables."
        )
    return (
        f" The project's base {base} computes its tables' names in code planner "
        "could not follow: leave `__tablename__` out as its tables do, and use "
        f"the name it gives in place of `{resource_table(ctx)}` in the migration "
        "and index names."
    )
