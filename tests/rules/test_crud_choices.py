"""The crud plan's id type, decimal precision, field defaults, per-operation scopes.

Left out, each key changes nothing.

Assertions read the Plan model, not the rendered Markdown.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner import DEFAULT_LAYOUT, Plan, build_plan
from planner.engine.run import digest
from planner.errors import SpecError
from planner.plan import Column, Endpoint, Schema, SchemaField
from planner.rules.shared.route import singularize as route_singularize
from planner.specfile import dump_spec, spec_from_text, validate_spec


def spec_data(*fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    resource = {
        "name": "invoice",
        "fields": list(fields) or [{"name": "title", "type": "str"}],
    }
    resource.update(extra.pop("resource", {}))
    return {"kind": "crud-resource", "resource": resource, **extra}


def plan_of(data: dict[str, Any]) -> Plan:
    return build_plan(validate_spec(data), layout=DEFAULT_LAYOUT)


def column(plan: Plan, name: str) -> Column:
    assert plan.data_model is not None
    (table,) = [t for t in plan.data_model.tables if t.name == "invoices"]
    (found,) = [c for c in table.columns if c.name == name]
    return found


def schema(plan: Plan, name: str) -> Schema:
    (found,) = [s for s in plan.schemas if s.name == name]
    return found


def schema_field(plan: Plan, schema_name: str, name: str) -> SchemaField:
    (found,) = [f for f in schema(plan, schema_name).fields if f.name == name]
    return found


def endpoint(plan: Plan, function: str) -> Endpoint:
    (found,) = [e for e in plan.endpoints if e.function == function]
    return found


def guidance(plan: Plan, path_end: str) -> str:
    return " ".join(
        line for f in plan.files if f.path.endswith(path_end) for line in f.guidance
    )


# ------------------------------------------------------------------ id type


def test_uuid_ids_reach_the_column_schema_path_and_422() -> None:
    plan = plan_of(spec_data(resource={"id_type": "uuid"}))
    assert column(plan, "id").type == "Uuid"
    assert schema_field(plan, "InvoicePublic", "id").type == "UUID"
    bad_id = [c.when for c in endpoint(plan, "read_invoice").errors if c.status == 422]
    assert bad_id == ["`invoice_id` is not a UUID"]
    assert "Annotated[UUID, Path()]" in guidance(plan, "routers/invoices.py")
    assert "uuid.uuid4" in guidance(plan, "models/invoice.py")


def test_int_ids_are_the_default() -> None:
    plan = plan_of(spec_data())
    assert column(plan, "id").type == "Integer"
    assert schema_field(plan, "InvoicePublic", "id").type == "int"
    bad_id = [c.when for c in endpoint(plan, "read_invoice").errors if c.status == 422]
    assert bad_id == ["`invoice_id` is not an integer"]
    assert "Annotated[int, Path()]" in guidance(plan, "routers/invoices.py")


def test_new_keys_left_at_their_defaults_keep_the_spec_digest() -> None:
    # Plans made before these keys existed must not turn stale (`planner check`).
    bare = validate_spec(spec_data())
    spelled = validate_spec(
        spec_data(
            {"name": "title", "type": "str", "default": None},
            resource={"id_type": "int"},
            auth={"operation_scopes": {}},
        )
    )
    assert digest(bare) == digest(spelled)
    assert "id_type" not in bare.model_dump()["resource"]
    assert digest(validate_spec(spec_data(resource={"id_type": "uuid"}))) != digest(
        bare
    )


# ---------------------------------------------------------- decimal precision


def test_decimal_precision_reaches_column_and_schema() -> None:
    price = {"name": "price", "type": "decimal", "max_digits": 8, "decimal_places": 0}
    plan = plan_of(spec_data(price))
    assert column(plan, "price").type == "Numeric(8, 0)"
    constraints = schema_field(plan, "InvoiceCreate", "price").constraints
    assert "max_digits=8" in constraints and "decimal_places=0" in constraints


def test_decimal_without_precision_is_money() -> None:
    plan = plan_of(spec_data({"name": "price", "type": "decimal"}))
    assert column(plan, "price").type == "Numeric(12, 2)"


# ------------------------------------------------------------------ defaults


def test_a_default_makes_the_create_field_optional_and_a_server_default() -> None:
    status = {
        "name": "status",
        "type": "enum",
        "choices": ["draft", "sent"],
        "default": "draft",
    }
    plan = plan_of(spec_data(status, {"name": "copies", "type": "int", "default": 1}))
    create = schema_field(plan, "InvoiceCreate", "status")
    assert not create.required
    assert create.type == "InvoiceStatus"  # NOT NULL: never None
    assert 'default `InvoiceStatus("draft")`' in create.constraints
    assert "server default `'draft'`" in column(plan, "status").constraints
    assert not column(plan, "status").nullable
    assert "server default `1`" in column(plan, "copies").constraints
    assert "default `1`" in schema_field(plan, "InvoiceCreate", "copies").constraints
    model = guidance(plan, "models/invoice.py")
    assert "server default" in model and "`status` `'draft'`" in model


def test_a_bool_default_true_replaces_the_false_server_default() -> None:
    plan = plan_of(
        spec_data({"name": "paid", "type": "bool", "required": False, "default": True})
    )
    assert column(plan, "paid").constraints == ("server default `true`",)
    assert "default `True`" in schema_field(plan, "InvoiceCreate", "paid").constraints


def test_default_text_is_shown_as_code_not_markdown() -> None:
    note = {"name": "note", "type": "str", "default": "it's <b>|`x`"}
    plan = plan_of(spec_data(note))
    (cons,) = column(plan, "note").constraints
    assert cons == "server default ``'it''s <b>|`x`'``"


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ({"name": "n", "type": "int", "default": "one"}, "does not fit type"),
        ({"name": "n", "type": "int", "default": True}, "does not fit type"),
        ({"name": "n", "type": "int", "default": 9, "max_value": 5}, "max_value"),
        ({"name": "n", "type": "str", "default": "abcdef", "max_length": 3}, "longer"),
        (
            {"name": "n", "type": "enum", "choices": ["a"], "default": "b"},
            "choices",
        ),
        ({"name": "n", "type": "decimal", "default": "ten"}, "not a number"),
        ({"name": "n", "type": "date", "default": "2024-01-01"}, "default applies"),
    ],
)
def test_a_default_that_cannot_hold_is_refused(
    field: dict[str, Any], words: str
) -> None:
    with pytest.raises(SpecError) as err:
        validate_spec(spec_data(field))
    assert words in err.value.message


# ----------------------------------------------------- scopes per operation


def test_operation_scopes_replace_the_shared_ones_for_that_operation() -> None:
    auth = {
        "required": True,
        "scopes": ["invoices:read", "invoices:write"],
        "operation_scopes": {"delete": ["invoices:admin"]},
    }
    plan = plan_of(spec_data(auth=auth))

    def scopes(function: str) -> list[str]:
        ep = endpoint(plan, function)
        return [c.when for c in ep.errors if "scope" in c.when]

    assert scopes("delete_invoice") == ["the token lacks scope `invoices:admin`"]
    assert scopes("create_invoice") == ["the token lacks scope `invoices:write`"]
    assert scopes("read_invoice") == ["the token lacks scope `invoices:read`"]
    assert "invoices:admin" in endpoint(plan, "delete_invoice").auth


def test_operation_scopes_alone_still_plan_the_scope_check() -> None:
    auth = {"required": True, "operation_scopes": {"delete": ["invoices:admin"]}}
    plan = plan_of(spec_data(auth=auth))
    assert "SecurityScopes" in guidance(plan, DEFAULT_LAYOUT.deps_module)
    assert not [c for c in endpoint(plan, "read_invoice").errors if "scope" in c.when]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            spec_data(auth={"required": False, "operation_scopes": {"delete": ["x"]}}),
            "auth.required",
        ),
        (
            spec_data(
                resource={"operations": ["list", "read"]},
                auth={"operation_scopes": {"delete": ["x"]}},
            ),
            "resource.operations",
        ),
        (spec_data(auth={"operation_scopes": {"purge": ["x"]}}), "not allowed"),
    ],
)
def test_operation_scopes_that_cannot_apply_are_refused(
    data: dict[str, Any], words: str
) -> None:
    with pytest.raises(SpecError) as err:
        validate_spec(data)
    assert words in err.value.message


def test_new_keys_round_trip_through_the_saved_spec() -> None:
    data = spec_data(
        {"name": "total", "type": "decimal", "default": "0.00", "max_digits": 10},
        resource={"id_type": "uuid"},
        auth={"operation_scopes": {"delete": ["invoices:admin"]}},
    )
    spec = validate_spec(data)
    assert spec_from_text(dump_spec(spec)) == spec


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("cases", "case"),
        ("export_cases", "export_case"),
        ("licenses", "license"),
        ("classes", "class"),
        ("caches", "cache"),
        ("people", "person"),
        ("news", "news"),
        ("series", "series"),
    ],
)
def test_a_table_name_reads_back_to_its_model_name(plural: str, singular: str) -> None:
    # `cas` pluralises to `cases` too: the English reading wins.
    assert route_singularize(plural) == singular
