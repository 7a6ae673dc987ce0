"""Rules for a resource's data: table, model, schemas, migration, ER diagram."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from planner.engine.builder import Context, PlanBuilder, rule
from planner.engine.knowledge import at_least
from planner.plan import Column, Index, Table
from planner.render.escape import code, inline
from planner.rules.crud.bases import (
    base_style,
    has_timestamps,
    inherited_columns,
    own_id,
)
from planner.rules.crud.fieldnotes import (
    SQLALCHEMY_1_ID,
    SQLALCHEMY_ID,
    SQLMODEL_ID,
    default_guidance,
)
from planner.rules.crud.ids import id_type_of
from planner.rules.crud.owner import OWNER_COLUMN, owner_column, owner_name
from planner.rules.crud.refs import ref_key
from planner.rules.crud.tablename import (
    resource_table,
    revision_subject,
    table_style_sentence,
    tablename_clause,
    tablename_sentence,
)
from planner.rules.shared.paging import paging_from, sort_index
from planner.rules.shared.tables import (
    id_column,
    planned_revisions,
    revision_guidance,
    revision_step,
)
from planner.rules.shared.types import (
    camel,
    column_type,
    enum_class,
    sql_default,
)
from planner.spec import CrudResourceSpec, IdType


def crud_spec(ctx: Context) -> CrudResourceSpec:
    """Return the context's spec, which these rules need to be a CRUD spec."""
    if not isinstance(ctx.spec, CrudResourceSpec):
        raise TypeError(f"rule needs a crud-resource spec, got {ctx.spec.kind!r}")
    return ctx.spec


def resource_id_type(ctx: Context) -> IdType:
    """The type of the resource's ids: the spec's, else its exemplar's."""
    return id_type_of(crud_spec(ctx).resource, ctx.targets)


def resource_paths(ctx: Context) -> Mapping[str, str]:
    """Return the files of the spec's resource, named in the project's own layout."""
    return ctx.derive(_resource_paths)


def _resource_paths(ctx: Context) -> Mapping[str, str]:
    res = crud_spec(ctx).resource
    lay = ctx.layout
    names = {"singular": res.name, "plural": res.plural_name}
    return {
        "model": lay.path(lay.model_module, **names),
        "schema": lay.path(lay.schema_module, **names),
        "service": lay.path(lay.service_module, **names),
        "router": lay.path(lay.route_module, **names),
        "test": lay.path(lay.test_module, **names),
    }


# Every timestamped table has these two, so every plan shares the same models.
TIMESTAMP_COLUMNS = (
    Column(
        name="created_at",
        type="DateTime(timezone=True)",
        nullable=False,
        constraints=("server default now()",),
    ),
    Column(
        name="updated_at",
        type="DateTime(timezone=True)",
        nullable=False,
        constraints=("server default now()", "onupdate now()"),
    ),
)


def resource_columns(ctx: Context) -> tuple[Column, ...]:
    """Return the columns of the spec's resource table (built once per plan)."""
    return ctx.derive(_columns)


def _columns(ctx: Context) -> tuple[Column, ...]:
    res = crud_spec(ctx).resource
    given = inherited_columns(ctx)
    cols = [] if "id" in given else [_id_column(ctx)]
    for item in res.fields:
        if item.column_name in given:
            continue
        cons: list[str] = []
        if item.unique:
            # One uniqueness, said once: per owner it is the composite index.
            cons.append("unique per owner" if res.owned_by_user else "unique")
        if item.type == "ref":
            action = (item.on_delete or "restrict").upper().replace("-", " ")
            cons.append(f"FK → {ref_key(ctx, item)[0]} ON DELETE {action}")
        if item.default is not None:
            cons.append(f"server default {code(sql_default(item))}")
        elif item.type == "bool" and not item.required:
            cons.append("server default false")
        nullable = not item.required and item.type != "bool"
        cols.append(
            Column(
                name=item.column_name,
                type=column_type(res.name, item),
                nullable=nullable,
                constraints=tuple(cons),
            )
        )
    if res.owned_by_user and OWNER_COLUMN.name not in given:
        cols.append(owner_column(ctx))
    if res.timestamps and not has_timestamps(given):
        cols.extend(TIMESTAMP_COLUMNS)
    return tuple(cols)


def _id_column(ctx: Context) -> Column:
    """The `id` column: as the exemplar declares its own beside bases that give some."""
    column = id_column(resource_id_type(ctx))
    declared = own_id(ctx)
    if declared is None:
        return column
    return dataclasses.replace(column, constraints=(declared,))


def _indexes(spec: CrudResourceSpec, table: str, owner: str) -> list[Index]:
    res = spec.resource
    found: list[Index] = []
    for item in res.fields:
        col = item.column_name
        if item.unique:
            scope = (owner, col) if res.owned_by_user else (col,)
            found.append(
                Index(
                    name=f"uq_{table}_{'_'.join(scope)}",
                    columns=scope,
                    unique=True,
                    reason="enforces uniqueness"
                    + (" per owner" if res.owned_by_user else "")
                    + "; the database, not a pre-check, decides 409",
                )
            )
        elif item.type == "ref":
            found.append(
                Index(
                    name=f"ix_{table}_{col}",
                    columns=(col,),
                    reason="foreign key joins and deletes",
                )
            )
        elif item.indexed or item.name in res.filters:
            found.append(
                Index(
                    name=f"ix_{table}_{col}",
                    columns=(col,),
                    reason="filtered in list queries",
                )
            )
    paging = paging_from(spec.pagination)
    if "list" in res.operations:
        lead = (owner,) if res.owned_by_user else ()
        if paging is not None:
            idx = sort_index(paging, table)
            columns = (*lead, *idx.columns)
            if columns != ("id",):  # the primary key already serves ORDER BY id
                found.append(
                    Index(
                        name=f"ix_{table}_{'_'.join(columns)}",
                        columns=columns,
                        reason=idx.reason
                        + (" within one owner's rows" if res.owned_by_user else ""),
                    )
                )
        elif res.owned_by_user:
            found.append(
                Index(
                    name=f"ix_{table}_{owner}",
                    columns=lead,
                    reason="every query filters by owner",
                )
            )
    return found


@rule("resource.model")
def plan_model(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the table and the SQLAlchemy (or SQLModel) model for a resource."""
    spec = crud_spec(ctx)
    res = spec.resource
    paths = resource_paths(ctx)
    model = camel(res.name)
    found = existing_table(ctx)
    columns = resource_columns(ctx)
    indexes = tuple(_indexes(spec, resource_table(ctx), owner_name(ctx)))
    if found is not None:
        # The table's own columns and indexes are as the project declares
        # them; the plan lists only what it adds.
        added = set(missing_columns(ctx, found))
        columns = tuple(c for c in columns if c.name in added)
        indexes = tuple(i for i in indexes if set(i.columns) <= added)
    table = Table(
        name=resource_table(ctx),
        model=model,
        action="create" if found is None else "alter" if columns else "existing",
        columns=columns,
        indexes=indexes,
    )
    plan.tables.append(table)
    _say_table_style(ctx, plan, new=found is None)
    if not _model_to_write(ctx, plan, found, paths["model"]):
        return
    sqlmodel = ctx.layout.orm == "sqlmodel"
    guidance = [
        _model_style(ctx, plan, model),
        *default_guidance(
            res,
            sqlmodel=sqlmodel,
            classic=at_least(dict(ctx.layout.versions).get("sqlalchemy"), "2.0")
            is False,
        ),
    ]
    enums = [f for f in res.fields if f.type == "enum"]
    if enums:
        names = ", ".join(code(enum_class(res.name, f)) for f in enums)
        guidance.append(
            f"Define {names} as `StrEnum`s here and reuse them in the schemas."
        )
    if res.owned_by_user:
        guidance.append(
            f"`{owner_name(ctx)}` is a non-null foreign key to the user; set it on "
            "the server from the signed-in user, never from the request body."
        )
    uniques = [f for f in res.fields if f.unique]
    if uniques or any(f.type == "ref" for f in res.fields):
        guidance.append(
            "Name every constraint and index explicitly (or rely on a "
            "`MetaData(naming_convention=...)`) so migrations and the 409 mapping "
            "can refer to them."
        )
        plan.practice("naming-convention-indexes")
    refs = [f for f in res.fields if f.type == "ref"]
    for item in refs:
        key, is_code = ref_key(ctx, item)
        guidance.append(
            f"{code(item.column_name)} references {code(key) if is_code else key}"
            f"; add a `relationship()` only if a response embeds the "
            f"{inline(item.references or '')}, and load it with `joinedload()`."
        )
    if refs:
        plan.practice("eager-loading-n-plus-one")
    if res.timestamps:
        guidance.append(
            "`created_at`/`updated_at` use `server_default=func.now()` (and "
            "`onupdate` for `updated_at`), timezone-aware."
        )
    plan.file(paths["model"], f"the `{model}` table model", *guidance)
    if ctx.layout.models_registry and ctx.layout.models_registry != paths["model"]:
        plan.file(
            ctx.layout.models_registry,
            "model registry",
            f"Import `{model}` here so `Base.metadata` (and Alembic autogenerate) "
            "sees the table.",
        )


# The fields the server sets, shared by every plan's Public schema.
def _next_script(latest: str | None) -> str:
    """Return the number of the next SQL script, padded like the latest one."""
    found = re.match(r"(\d+)", (latest or "").rsplit("/", 1)[-1])
    if not found:
        return "NNNN"
    digits = found.group(1)
    return str(int(digits) + 1).zfill(len(digits))


def _model_style(ctx: Context, plan: PlanBuilder, model: str) -> str:
    """How the table class is declared, in the project's ORM and its version."""
    derived = base_style(ctx, model, sqlmodel=ctx.layout.orm == "sqlmodel")
    if derived is not None:
        return _derived_style(ctx, plan, derived)
    if ctx.layout.orm == "sqlmodel":
        style = (
            f"`class {model}({model}Base, table=True)` {tablename_clause(ctx)}; "
            + SQLMODEL_ID[resource_id_type(ctx)]
            + "."
        )
        plan.practice("sqlmodel-option")
    elif at_least(dict(ctx.layout.versions).get("sqlalchemy"), "2.0") is False:
        style = (
            f"`class {model}(Base)` {tablename_clause(ctx)} and "
            f"columns as the project's SQLAlchemy writes them: "
            f"{SQLALCHEMY_1_ID[resource_id_type(ctx)]}, `nullable=True` for "
            "optional ones (`Mapped` needs SQLAlchemy 2.0)."
        )
        plan.habit("sqlalchemy-2-typed")  # the note names the newer idiom
    else:
        style = (
            f"`class {model}(Base)` {tablename_clause(ctx)} and "
            f"typed columns: {SQLALCHEMY_ID[resource_id_type(ctx)]}, "
            "`Mapped[str | None]` for optional ones."
        )
        plan.habit("sqlalchemy-2-typed")
    return style


def _derived_style(ctx: Context, plan: PlanBuilder, derived: str) -> str:
    """The declaration of a table whose bases the exemplar's give, and its `id`."""
    kind = resource_id_type(ctx)
    given = inherited_columns(ctx)
    if ctx.layout.orm == "sqlmodel":
        plan.practice("sqlmodel-option")
        ids = SQLMODEL_ID[kind]
    elif at_least(dict(ctx.layout.versions).get("sqlalchemy"), "2.0") is False:
        plan.habit("sqlalchemy-2-typed")
        ids = SQLALCHEMY_1_ID[kind]
        derived += (
            " Columns as the project's SQLAlchemy writes them, `nullable=True` for "
            "optional ones (`Mapped` needs SQLAlchemy 2.0)."
        )
    else:
        plan.habit("sqlalchemy-2-typed")
        ids = SQLALCHEMY_ID[kind]
        derived += " Typed columns, `Mapped[str | None]` for optional ones."
    declared = own_id(ctx)
    if "id" in given:
        pass
    elif declared is not None:
        derived += f" `id` is {declared}: `{kind}` ids."
    else:
        derived += f" `id`: {ids}."
    derived += tablename_sentence(ctx)
    shown = ", ".join(code(c) for c in sorted(given)) or "no column planner could see"
    plan.assume(
        f"The `{resource_table(ctx)}` table takes {shown} from the base classes of "
        "the table it follows: the data model leaves them out."
    )
    return derived


def _say_table_style(ctx: Context, plan: PlanBuilder, *, new: bool) -> None:
    """Say how a new table's name follows the names the project's tables give."""
    line = table_style_sentence(ctx)
    if new and line:
        plan.assume(line)


def _model_to_write(
    ctx: Context,
    plan: PlanBuilder,
    found: tuple[str, str, tuple[str, ...]] | None,
    model_file: str,
) -> bool:
    """Whether the plan writes a model class; if not, say what it does instead."""
    if found is not None:
        _plan_existing_table(plan, found, missing_columns(ctx, found))
        return False
    if without_orm(ctx) and ctx.exists(model_file):
        _plan_foreign_model(ctx, plan, model_file)
        return False
    if _unmapped(ctx, model_file):
        plan.assume(
            "No ORM was found and no model module to follow: the "
            f"`{resource_table(ctx)}` table comes from the "
            "migration, and the data access module reads and writes it as the "
            "project's other modules do."
        )
        return False
    return True


def _plan_foreign_model(ctx: Context, plan: PlanBuilder, path: str) -> None:
    """A model in a module of an ORM planner does not read: declared as its others."""
    res = crud_spec(ctx).resource
    model = camel(res.name)
    owner = (
        f"`{owner_name(ctx)}` references the user; set it from the signed-in "
        "user, never from the request body."
    )
    plan.file(
        path,
        f"the `{model}` table model",
        f"`class {model}` beside the module's existing models, declared as they "
        "are (their base class, field types and table naming): planner reads "
        "SQLAlchemy and SQLModel models only, so it names no column types here; "
        "the Data model table below says what each column holds.",
        *([owner] if res.owned_by_user else []),
    )


def without_orm(ctx: Context) -> bool:
    """Whether the project's data access is its own, not SQLAlchemy's.

    The project was read and no SQLAlchemy or SQLModel found: plain SQL, or
    an ORM planner does not read (peewee, Tortoise). A project planner could
    not read gets the ORM the plan advises.
    """
    return ctx.targets is not None and not ctx.layout.orm_found


def _unmapped(ctx: Context, model_file: str) -> bool:
    """Whether the project read has no ORM and no model module to add to."""
    read = ctx.targets is not None
    return read and not ctx.layout.orm_found and not ctx.exists(model_file)


def existing_table(ctx: Context) -> tuple[str, str, tuple[str, ...]] | None:
    """The file, class and columns of the resource's table when the project has it.

    Columns are those assigned in the class body; one declared by annotation
    alone or inherited from a mixin is not seen, so it reads as missing.
    """
    if ctx.targets is None:
        return None
    path, cls = ctx.targets.slot("table"), ctx.targets.slot("table_class")
    columns = tuple((ctx.targets.slot("table_columns") or "").split())
    return (path, cls, columns) if path and cls else None


def missing_columns(
    ctx: Context, found: tuple[str, str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The spec's columns the existing table class does not assign."""
    return tuple(
        f.column_name
        for f in crud_spec(ctx).resource.fields
        if f.column_name not in found[2]
    )


def _own_migrations(ctx: Context, plan: PlanBuilder, table: str) -> bool:
    """Plan the table in the project's own migration system, if it has one.

    A project that migrates without Alembic (numbered functions in one
    `migrations.py`, numbered scripts) gets its migration where its others are.
    """
    found = [
        t.path
        for t in (ctx.targets.files if ctx.targets else ())
        if t.role == "migration"
    ]
    for path in found:
        plan.file(
            path,
            f"create the `{table}` table",
            "Add the migration after the newest one, numbered and written as "
            "the project's others are, creating the table with the columns, "
            "constraints and indexes of the data model below.",
        )
    if found:
        plan.migration.append(
            "Add the migration in "
            + ", ".join(code(p) for p in found)
            + "; the project applies its migrations itself at start-up or with its "
            "own command."
        )
    return bool(found)


def _plan_existing_table(
    plan: PlanBuilder,
    found: tuple[str, str, tuple[str, ...]],
    missing: tuple[str, ...],
) -> None:
    path, cls, _ = found
    if not missing:
        plan.assume(
            f"{code(cls)} exists already in {code(path)} with every field of the "
            "spec: the plan changes neither the model nor the table."
        )
        return
    plan.file(
        path,
        f"the existing `{cls}` table model",
        f"`{cls}` exists already: add the columns it lacks "
        f"({', '.join(code(c) for c in missing)}) as the data model below says; "
        "do not create a second model or table.",
        action="modify",
    )


@rule("resource.migration")
def plan_migration(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the migration that creates the resource's table."""
    lay = ctx.layout
    table = resource_table(ctx)
    found = existing_table(ctx)
    if found is not None:
        missing = missing_columns(ctx, found)
        plan.migration.append(
            f"The table of {code(found[1])} exists already ({code(found[0])}): "
            + (
                "add a migration for the columns it lacks, "
                + ", ".join(code(c) for c in missing)
                + "."
                if missing
                else "no migration."
            )
        )
        return
    if lay.migrations == "sql":
        number = _next_script(lay.migration_head)
        path = f"{lay.migrations_dir}/{number}_create_{table}.sql"
        plan.file(
            path,
            f"create the `{table}` table",
            "Follow the numbering of the existing scripts; `CREATE TABLE` with the "
            "columns, constraints and indexes of the data model below.",
            action="create",
        )
        plan.migration.append(
            f"Add the SQL script {code(path)}; apply it as the team does."
        )
        return
    if lay.migrations == "none" and _own_migrations(ctx, plan, table):
        return
    if lay.migrations == "none":
        plan.ask(
            "The project has no migrations: add Alembic now (recommended) or create "
            "the table by hand? `create_all()` is only for demos."
        )
        return
    revisions = planned_revisions(ctx, f"add {revision_subject(ctx)}")
    for revision in revisions:
        plan.file(
            revision.path,
            f"migration creating `{table}`",
            revision_guidance(revision),
            action="create",
        )
    plan.migration.extend(
        [
            *(f"{revision_step(r)}." for r in revisions),
            "Review the generated file"
            + ("s" if len(revisions) > 1 else "")
            + ": table, columns, nullability, named unique "
            "and foreign-key constraints, every index listed above; autogenerate "
            "misses renames and unnamed constraints.",
            "`downgrade()` drops the indexes then the table: run `alembic upgrade "
            "head` on a scratch database, then `alembic downgrade -1` and `upgrade "
            "head` again to prove both directions.",
        ]
    )
    plan.habit("alembic-autogenerate-review")
