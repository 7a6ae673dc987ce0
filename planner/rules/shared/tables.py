"""Shared data-model helpers: change an existing table, plan its migration."""

from __future__ import annotations

import dataclasses
import hashlib

from planner.engine.builder import Context, PlanBuilder
from planner.inspect.layout import Layout
from planner.plan import Column, Index, Table
from planner.render.escape import code

ID_COLUMN = Column(
    name="id", type="Integer", nullable=False, constraints=("primary key",)
)
UUID_ID_COLUMN = Column(
    name="id", type="Uuid", nullable=False, constraints=("primary key", "default uuid4")
)


STR_ID_COLUMN = Column(
    name="id", type="String", nullable=False, constraints=("primary key",)
)


def id_column(id_type: str = "int") -> Column:
    """Return the primary key `id` of a table whose ids are `int`, `uuid` or `str`."""
    return {"uuid": UUID_ID_COLUMN, "str": STR_ID_COLUMN}.get(id_type, ID_COLUMN)


def user_fk(name: str, id_type: str = "int") -> Column:
    """Return a non-null foreign key to `users.id` that cascades on delete."""
    return Column(
        name=name,
        type="Uuid" if id_type == "uuid" else "Integer",
        nullable=False,
        constraints=("FK → users.id ON DELETE CASCADE",),
    )


def add_table(plan: PlanBuilder, table: Table) -> None:
    """Add a table to the plan, merging columns and indexes with one already there."""
    for i, known in enumerate(plan.tables):
        if known.name == table.name:
            columns = known.columns + tuple(
                c for c in table.columns if c not in known.columns
            )
            indexes = known.indexes + tuple(
                x for x in table.indexes if x not in known.indexes
            )
            plan.tables[i] = dataclasses.replace(
                known, columns=columns, indexes=indexes
            )
            return
    plan.tables.append(table)


def alter_table(
    ctx: Context,
    plan: PlanBuilder,
    *,
    table: str,
    model: str,
    model_file: str,
    columns: tuple[Column, ...] = (),
    indexes: tuple[Index, ...] = (),
    change: str,
) -> None:
    """Plan a change to an existing table: model, table entry and migration."""
    add_table(
        plan,
        Table(
            name=table, model=model, action="alter", columns=columns, indexes=indexes
        ),
    )
    for column in columns:
        plan.file(
            model_file,
            f"the `{model}` table model",
            f"Add {code(column.name)}: `{column.type}`, "
            + ("nullable" if column.nullable else "NOT NULL")
            + "".join(f", {c}" for c in column.constraints)
            + ".",
            action="modify",
        )
    for index in indexes:
        plan.file(
            model_file,
            f"the `{model}` table model",
            f"Declare `Index({_quoted(index.name, *index.columns)})` in "
            "`__table_args__` so autogenerate sees it.",
            action="modify",
        )
    _plan_alter_migration(
        ctx, plan, table=table, change=change, has_index=bool(indexes)
    )


def _quoted(*names: str) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _plan_alter_migration(
    ctx: Context, plan: PlanBuilder, *, table: str, change: str, has_index: bool
) -> None:
    lay = ctx.layout
    steps: list[str] = []
    if lay.migrations == "sql":
        steps.append(
            f"Add a numbered SQL script in {code(lay.migrations_dir)} that does "
            f"this to `{table}`: {change}."
        )
    elif lay.migrations == "none":
        plan.ask(
            "The project has no migrations: add Alembic now (recommended) or apply "
            f"the change to `{table}` by hand?"
        )
        return
    else:
        head = f" after head {code(lay.migration_head)}" if lay.migration_head else ""
        _migration_file(ctx, plan, f"alter_{table}", f"migration: alter {table}")
        steps.append(
            f'`alembic revision --autogenerate -m "alter {table}"` in '
            f"{code(lay.migrations_dir)}{head}; review it: autogenerate misses "
            "renames and unnamed constraints."
        )
        steps.append(f"The revision must {change}.")
    if has_index:
        steps.append(
            "On a large PostgreSQL table build the index without blocking writes: "
            "`op.create_index(..., postgresql_concurrently=True)` inside "
            "`with op.get_context().autocommit_block():`."
        )
    _add_steps(plan, steps)
    if lay.migrations == "alembic":
        plan.practice("alembic-autogenerate-review")


def create_table(
    ctx: Context,
    plan: PlanBuilder,
    table: Table,
    *,
    model_file: str,
    guidance: tuple[str, ...],
    revision: str | None = None,
) -> None:
    """Plan a new table: model module, registry import and migration.

    Tables created together pass the same `revision` message and share one
    migration.
    """
    add_table(plan, table)
    plan.file(model_file, f"the `{table.model}` table model", *guidance)
    lay = ctx.layout
    if lay.models_registry and lay.models_registry != model_file:
        plan.file(
            lay.models_registry,
            "model registry",
            f"Import `{table.model}` so `Base.metadata` (and Alembic autogenerate) "
            "sees the table.",
        )
    if lay.migrations == "none":
        plan.ask(
            "The project has no migrations: add Alembic now (recommended) or create "
            f"`{table.name}` by hand? `create_all()` is only for demos."
        )
        return
    if lay.migrations == "sql":
        step = (
            f"Add a numbered SQL script in {code(lay.migrations_dir)} creating "
            f"`{table.name}` with the columns and indexes above."
        )
    else:
        message = revision or f"create {table.name} table"
        _migration_file(ctx, plan, message.replace(" ", "_"), f"migration: {message}")
        step = (
            f'`alembic revision --autogenerate -m "{message}"`; '
            "check columns, nullability, named constraints and every index above."
        )
        plan.practice("alembic-autogenerate-review")
    _add_steps(plan, [step])


_ROUND_TRIP = (
    "`downgrade()` reverses each change; run upgrade, downgrade and upgrade again "
    "on a scratch database."
)


def _add_steps(plan: PlanBuilder, steps: list[str]) -> None:
    """Append migration steps once each, keeping the round-trip check last."""
    if _ROUND_TRIP in plan.migration:
        plan.migration.remove(_ROUND_TRIP)
    plan.migration.extend(step for step in steps if step not in plan.migration)
    plan.migration.append(_ROUND_TRIP)


def new_revision_path(lay: Layout, slug: str) -> str:
    """The file of a new migration: the tree's own name where planner read it.

    In a project that was read, the revision id is derived from the slug, so
    the path is a real file name; with nothing read it stays `<revision>`.
    """
    if lay.migration_file:
        return lay.migration_file
    if lay.source == "default":
        return f"{lay.migrations_dir}/<revision>_{slug}.py"
    revision = hashlib.sha256(slug.encode()).hexdigest()[:12]
    return f"{lay.migrations_dir}/{revision}_{slug}.py"


def _migration_file(ctx: Context, plan: PlanBuilder, slug: str, purpose: str) -> None:
    head = ctx.layout.migration_head
    # One new migration per plan, so the project keeps a single Alembic head.
    path = new_revision_path(ctx.layout, slug)
    planned = next(
        (
            f.path
            for f in plan.files()
            if f.action == "create"
            and f.path.startswith(f"{ctx.layout.migrations_dir}/")
        ),
        None,
    )
    if planned is not None and planned != path:
        # A second change of the same plan goes into the revision already planned.
        plan.file(planned, purpose, f"Also in this revision: {purpose}.")
        return
    plan.file(
        path,
        purpose,
        "Generated by Alembic (the file name starts with the new revision id). "
        + (f"Its `down_revision` must be {code(head)}. " if head else "")
        + "Review it before committing: see the migration steps below.",
        action="create",
    )
