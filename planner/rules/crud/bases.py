"""A new table declared as the exemplar's is: its base classes and what they give.

Projects derive their tables from a base of their own that declares the id
and the timestamps (``class Tool(SqlalchemyBase, OrganizationMixin)``). A new
table derives from the same classes and declares only what they lack. The
columns a base gives are those planner saw in its body and in its own
project bases; a base that is not the project's (a library's) may give more,
and the plan says that it could not see them rather than guess.
"""

from __future__ import annotations

from planner.engine.builder import Context
from planner.inspect.model.records import TableBase, TableClass
from planner.render.escape import code

# Names of the columns that stand for a row's creation and update times.
_CREATED = ("created", "inserted")
_UPDATED = ("updated", "modified")


def followed_table(ctx: Context) -> TableClass | None:
    """The exemplar's table class when the plan creates a table like it.

    None where the resource's table exists already, or where the exemplar's
    bases neither give a column nor hide one (a bare ``Base``): the plan's
    own declaration holds then.
    """
    targets = ctx.targets
    if targets is None or targets.own_table is not None:
        return None
    table = targets.exemplar_table
    if table is None or not table.bases:
        return None
    if any(b.columns or not b.known for b in _shared(table)):
        return table
    return None


def _shared(table: TableClass) -> tuple[TableBase, ...]:
    """The bases of a table that other tables may share: not its own.

    A base named for the table (``UserBase`` of ``User``, SQLModel's fields
    shared with the schemas) is that resource's own; the new table has its
    counterpart, with the spec's fields.
    """
    return tuple(b for b in table.bases if table.name not in b.name)


def inherited_columns(ctx: Context) -> frozenset[str]:
    """The columns the followed table's bases give: the new table redeclares none."""
    table = followed_table(ctx)
    if table is None:
        return frozenset()
    return frozenset(c for b in _shared(table) for c in b.columns)


def has_timestamps(given: frozenset[str]) -> bool:
    """Whether inherited columns record both when a row was made and changed."""
    return any(c.startswith(_CREATED) for c in given) and any(
        c.startswith(_UPDATED) for c in given
    )


def _origin(base: TableBase) -> str:
    where = f" from {code(base.module)}" if base.module else ""
    return f"{code(base.name)}{where}"


def base_style(ctx: Context, model: str, *, sqlmodel: bool) -> str | None:
    """How the new table class derives from the exemplar's bases, if it does."""
    table = followed_table(ctx)
    if table is None:
        return None
    names = ", ".join(b.name.replace(table.name, model) for b in table.bases)
    header = (
        f"class {model}({names}, table=True)" if sqlmodel else f"class {model}({names})"
    )
    shared = _shared(table)
    given = [c for b in shared for c in b.columns]
    text = (
        f"{code(header)}, as {code(table.name)} is declared ("
        + ", ".join(_origin(b) for b in shared)
        + ")"
    )
    if given:
        text += (
            ": they give "
            + ", ".join(code(c) for c in dict.fromkeys(given))
            + ", so do not redeclare those; the data model below lists only the "
            "columns they lack"
        )
    unread = [b for b in shared if not b.known]
    if unread:
        text += (
            "; planner could not read all of what "
            + ", ".join(code(b.name) for b in unread)
            + " gives (a class that is not the project's, or built on one): "
            "check it before declaring an `id` or timestamps"
        )
    return text + "."


def own_id(ctx: Context) -> str | None:
    """How the exemplar declares its own `id`, where its bases do not give one."""
    table = followed_table(ctx)
    if table is None or table.id is None or "id" in inherited_columns(ctx):
        return None
    maker = table.id.maker
    made = f", made by {code(maker.code)}" if maker is not None else ""
    return f"declared as {code(table.id.owner + '.id')} is{made}"
