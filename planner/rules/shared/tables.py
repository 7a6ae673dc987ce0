"""Shared data-model helpers: change an existing table, plan its migration."""

from __future__ import annotations

import dataclasses
import posixpath

from planner.engine.builder import Context, PlanBuilder
from planner.inspect.model.migrations import (
    alembic_slug,
    next_revision,
    revision_id,
    revision_message,
    revision_seed,
)
from planner.inspect.model.records import PlannedRevision
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
        revision = _migration_file(
            ctx, plan, f"alter {table}", f"migration: alter {table}"
        )
        if _is_new_command(plan, revision):
            steps.append(
                revision_step(revision)
                + "; review it: autogenerate misses renames and unnamed constraints."
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
        message = revision or f"add {table.name}"
        planned = _migration_file(ctx, plan, message, f"migration: {message}")
        step = (
            revision_step(planned)
            + "; check columns, nullability, named constraints and every index above."
            if _is_new_command(plan, planned)
            else f"Create `{table.name}` in the same revision."
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


def planned_revisions(ctx: Context, message: str) -> tuple[PlannedRevision, ...]:
    """The plan's new Alembic revisions, one per history it extends.

    Those the project's model named (in its trees' own file pattern), else
    one in the layout's versions folder, named for `message`.
    """
    if ctx.targets is not None and ctx.targets.revisions:
        return ctx.targets.revisions
    lay = ctx.layout
    heads = tuple(lay.migration_head.split(", ")) if lay.migration_head else ()
    revision = next_revision([], heads) or revision_id(
        revision_seed(ctx.spec), lay.migrations_dir, heads
    )
    message = revision_message(tuple(message.split()))
    return (
        PlannedRevision(
            path=f"{lay.migrations_dir}/{revision}_{alembic_slug(message)}.py",
            versions_dir=lay.migrations_dir,
            revision=revision,
            message=message,
            heads=heads,
            config=None,
            section=None,
        ),
    )


def revision_step(revision: PlannedRevision) -> str:
    """The command that writes a planned revision, where and after what."""
    section = (
        f"-n {revision.section} "
        if revision.section and revision.section != "alembic"
        else ""
    )
    head = f" after head {code(', '.join(revision.heads))}" if revision.heads else ""
    folder = posixpath.dirname(revision.config or "")
    where = f", run from {code(folder)} where its `alembic.ini` is" if folder else ""
    # With several heads Alembic refuses to guess which one to extend.
    base = f"--head {revision.heads[0]} " if len(revision.heads) > 1 else ""
    # `-n NAME` reads only that section: the `[alembic]` template the tree's
    # files follow is applied by the project's own command, not by this one.
    named = (
        f"; `-n {revision.section}` names the file `<rev>_<slug>.py`, not by the "
        "`[alembic]` section's `file_template` the folder's files follow: write "
        f"it with the project's own revision command, or rename it "
        f"{code(posixpath.basename(revision.path))}"
        if section and revision.main_template
        else ""
    )
    return (
        f"`alembic {section}revision --autogenerate {base}--rev-id {revision.revision} "
        f'-m "{revision.message}"` in {code(revision.versions_dir)}{head}{where}{named}'
    )


def revision_guidance(revision: PlannedRevision) -> str:
    """What a planned revision's file says about its name and parent."""
    name = posixpath.basename(revision.path)
    rev = revision.revision
    text = (
        f"`alembic revision --rev-id {rev}` writes this file (see "
        "the migration steps)"
        + (", so its name carries that id" if rev in name else "")
        + (
            f"; the history numbers its revisions, and {code(rev)} is the next"
            if rev.isdecimal()
            else ""
        )
        + (
            "; the id's `<...>` parts are the date and time you write it, in the "
            "form the history's ids take"
            if "<" in rev
            else ""
        )
        + (
            "; Alembic fills in the `<...>` parts with the date and time it writes it. "
            if "<" in name.replace(rev, "")
            else ". "
        )
    )
    if revision.heads:
        text += f"Its `down_revision` must be {code(', '.join(revision.heads))}. "
    if len(revision.heads) > 1:
        text += (
            f"`alembic revision` extends one head (`--head {revision.heads[0]}`): "
            "add the others to `down_revision` by hand, which merges them. "
        )
    if revision.section is None and revision.config is not None:
        text += (
            f"No section of {code(revision.config)} names "
            f"{code(revision.versions_dir)}: the project's own code (its "
            "`env.py` or migration command) picks this history, so generate it "
            "with the configuration that selects it. "
        )
    return text + "Review it before committing."


def _migration_file(
    ctx: Context, plan: PlanBuilder, message: str, purpose: str
) -> PlannedRevision:
    """Plan the revision of a change; a plan's changes share one revision.

    One new migration per plan, so each history keeps a single head.
    """
    revision = planned_revisions(ctx, message)[0]
    planned = next(
        (
            f.path
            for f in plan.files()
            if f.action == "create" and f.path.startswith(f"{revision.versions_dir}/")
        ),
        None,
    )
    if planned is not None and planned != revision.path:
        # A second change of the same plan goes into the revision already planned.
        plan.file(planned, purpose, f"Also in this revision: {purpose}.")
        slug = posixpath.basename(planned).removesuffix(".py")
        words = slug.partition(f"{revision.revision}_")[2].split("_")
        return dataclasses.replace(revision, path=planned, message=" ".join(words))
    plan.file(revision.path, purpose, revision_guidance(revision), action="create")
    return revision


def _is_new_command(plan: PlanBuilder, revision: PlannedRevision) -> bool:
    """Whether the plan has no step writing this revision yet (ids are unique)."""
    flag = f"--rev-id {revision.revision} "
    return not any(flag in step for step in plan.migration)
