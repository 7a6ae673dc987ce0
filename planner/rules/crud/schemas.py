"""The resource's request and response schemas, reusing what its module has."""

from __future__ import annotations

import dataclasses

from planner.engine.builder import Context, PlanBuilder, rule
from planner.plan import Schema, SchemaField
from planner.render.escape import code
from planner.rules.crud.data import crud_spec, resource_id_type, resource_paths
from planner.rules.crud.fieldnotes import (
    size_guidance,
    update_guidance,
)
from planner.rules.crud.ids import plan_id_source
from planner.rules.crud.owner import owner_name, users_table
from planner.rules.shared.edges import plan_secret_echo
from planner.rules.shared.pydantic import idioms
from planner.rules.shared.schemas import create_schema, read_schema, update_schema
from planner.rules.shared.types import (
    camel,
    constraints,
    enum_class,
    id_annotation,
    python_default,
    python_type,
)
from planner.spec import FieldSpec, ResourceSpec


def schema_names(ctx: Context) -> tuple[str, str, str]:
    """The resource's response, create and update schemas, as the project has them.

    Where its schema module exists already and defines the resource's class
    (`Identity` beside `IdentityBase`), that class answers, not a new
    `IdentityPublic`.
    """
    model = camel(crud_spec(ctx).resource.name)
    public = read_schema(ctx.layout, model)
    if public not in existing_schemas(ctx) and model in existing_schemas(ctx):
        public = model
    return public, create_schema(ctx.layout, model), update_schema(ctx.layout, model)


def _response_module(ctx: Context, requests: str) -> str | None:
    """The module the response class goes in, where not with the request bodies."""
    found = ctx.targets.slot("schema_response") if ctx.targets else None
    return found if found and found != requests else None


def _reused_schemas(ctx: Context, model: str, *names: str) -> str:
    """The planned schema and enum classes the module defines already, listed."""
    res = crud_spec(ctx).resource
    enums = [enum_class(res.name, f) for f in res.fields if f.type == "enum"]
    found = [n for n in (f"{model}Base", *names, *enums) if n in existing_schemas(ctx)]
    return ", ".join(f"`{n}`" for n in dict.fromkeys(found))


def existing_schemas(ctx: Context) -> frozenset[str]:
    """The names the resource's schema module defines already, if it exists."""
    found = ctx.targets.slot("schema_classes") if ctx.targets is not None else None
    return frozenset((found or "").split())


ID_FIELD = SchemaField(name="id", type="int", required=True)
OWNER_FIELD = SchemaField(name="owner_id", type="int", required=True)
TIMESTAMP_FIELDS = (
    SchemaField(name="created_at", type="datetime", required=True),
    SchemaField(name="updated_at", type="datetime", required=True),
)


def _schema_fields(
    res: ResourceSpec, item: FieldSpec
) -> tuple[SchemaField, SchemaField]:
    """Describe a field in the Create and Update schemas, in that order."""
    name = item.column_name if item.type == "ref" else item.name
    annotation = python_type(res.name, item)
    optional = f"{annotation} | None"
    extra = constraints(item)
    # An optional bool defaults to False rather than None.
    boolean_default = item.type == "bool" and not item.required
    always_set = item.required or boolean_default
    if item.default is not None:
        create = SchemaField(
            name=name,
            type=annotation if always_set else optional,
            required=False,
            constraints=_joined(
                extra, f"default {code(python_default(res.name, item))}"
            ),
        )
    elif boolean_default:
        create = SchemaField(
            name=name, type=annotation, required=False, constraints="default False"
        )
    elif item.required:
        create = SchemaField(
            name=name, type=annotation, required=True, constraints=extra
        )
    else:
        create = SchemaField(
            name=name,
            type=optional,
            required=False,
            constraints=_joined(extra, "default None"),
        )
    update = SchemaField(
        name=name,
        type=optional,
        required=False,
        # `X | None` accepts an explicit null; the NOT NULL column needs a
        # validator to refuse it (omitted fields are not validated, so kept).
        constraints=_joined(extra, "omit to keep; a validator refuses null")
        if always_set
        else extra,
    )
    return create, update


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


@rule("resource.schemas")
def plan_schemas(ctx: Context, plan: PlanBuilder) -> None:
    """Plan separate Create, Update and Public schemas (no mass assignment)."""
    spec = crud_spec(ctx)
    res = spec.resource
    model = camel(res.name)
    public_name, create_name, update_name = schema_names(ctx)
    described = [_schema_fields(res, item) for item in res.fields]
    create = tuple(fields[0] for fields in described)
    update = tuple(fields[1] for fields in described)
    public_extra = [
        dataclasses.replace(ID_FIELD, type=id_annotation(resource_id_type(ctx)))
    ]
    plan_id_source(res, ctx.targets, plan)
    if res.owned_by_user:
        users = users_table(ctx)
        kind = users[1] if users is not None else "int"
        public_extra.append(
            dataclasses.replace(
                OWNER_FIELD,
                name=owner_name(ctx),
                type=id_annotation(kind) if kind != "?" else "the users' key type",
            )
        )
    if res.timestamps:
        public_extra += TIMESTAMP_FIELDS
    plan.schemas.extend(
        [
            Schema(
                name=create_name,
                role="request body of create",
                fields=create,
                notes="no `id`, owner or timestamps: the server sets them",
            ),
            Schema(
                name=update_name,
                role="request body of update",
                fields=update,
                notes="every field optional; applied with `exclude_unset=True`"
                if res.update_method == "patch"
                else "full replacement: every required field must be sent",
            ),
            Schema(
                name=public_name,
                role="response body",
                fields=tuple(public_extra),
                notes=f"{idioms(ctx).from_orm}; every "
                f"`{model}Base` field as stored, plus",
            ),
        ]
    )
    paths = resource_paths(ctx)
    reused = _reused_schemas(ctx, model, public_name, create_name, update_name)
    if reused:
        plan.file(
            paths["schema"],
            "request and response schemas",
            f"{reused} exist already in this module: keep them, add only what "
            "is missing below, and change an existing class only where a "
            "field of the spec is not on it.",
        )
    public_line = (
        f"`{public_name}(Base)` adding `id`"
        + (f", `{owner_name(ctx)}`" if res.owned_by_user else "")
        + (" and timestamps" if res.timestamps else "")
    )
    responses = _response_module(ctx, paths["schema"])
    plan.file(
        paths["schema"],
        "request schemas" if responses else "request and response schemas",
        f"`{model}Base` with the shared fields and their constraints; "
        f"`{create_name}(Base)`, `{update_name}` (all optional)"
        + (
            f"; the response class `{public_name}` goes in `{responses}`."
            if responses
            else f", {public_line}."
        ),
        f"Set {idioms(ctx).forbid_extra} on Create/Update so "
        f"unknown or server-owned keys (`id`, `{owner_name(ctx)}`) are rejected "
        "with 422 "
        "rather than silently dropped.",
        "Constraints live in `Field(...)` with no `...` default for required "
        f"fields; {idioms(ctx).names}.",
        *update_guidance(res, update_name, validator=idioms(ctx).validator),
        *size_guidance(res),
    )
    if responses:
        exemplar = ctx.targets.exemplar if ctx.targets else None
        plan.file(
            responses,
            "response schemas",
            f"{public_line}, importing `{model}Base` from `{paths['schema']}`"
            + (
                f": `{exemplar.name}` keeps its responses apart from its "
                "request bodies."
                if exemplar
                else "."
            ),
        )
    if {"create", "update"} & set(res.operations):
        plan_secret_echo(
            ctx,
            plan,
            [f.name for f in res.fields],
            schema_file=paths["schema"],
            base=f"{model}Base",
        )
    plan.habit("schema-split")
    plan.habit("mass-assignment")
    plan.habit("no-ellipsis-required")
    plan.habit("pydantic-v2-config")
