"""The registry of spec kinds: every list of kinds in planner reads this one.

A kind is its spec model (planner/spec.py), its question set
(`questions/<name>.toml`), its blueprint (`blueprints/<name>/blueprint.toml`)
and its rules (`planner/rules/`). docs/development.md walks through adding one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from planner.errors import UsageError, suggest
from planner.spec import (
    AnySpec,
    AuthSpec,
    CrudResourceSpec,
    EndpointSpec,
    PaginationSpec,
)

__all__ = [
    "KINDS",
    "SCHEMA_FILE",
    "SCHEMA_ID",
    "Kind",
    "get_kind",
    "schema_text",
    "spec_schema",
]

# A name, not an address: nothing is fetched, and planner owns no domain.
SCHEMA_ID = "urn:fastapi-planner:spec:{kind}"
# Where a spec's schema is kept, relative to the folder of the spec.
SCHEMA_FILE = ".schema/{kind}.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of plan: its name, spec model and one line of help."""

    name: str
    model: type[AnySpec]
    help: str


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("crud-resource", CrudResourceSpec, "a resource with list/read/create/..."),
        Kind("endpoint", EndpointSpec, "one path operation on an existing API"),
        Kind("auth", AuthSpec, "sign-in and the current-user dependency"),
        Kind("pagination", PaginationSpec, "page an existing list endpoint"),
    )
}


def get_kind(name: str) -> Kind:
    """Return the kind called `name`.

    Raises:
        UsageError: no kind has that name.
    """
    kind = KINDS.get(name)
    if kind is None:
        close = suggest(name, list(KINDS))
        tip = f"did you mean {close!r}? " if close else ""
        raise UsageError(
            f"{name!r} is not a spec kind", hint=f"{tip}kinds: {', '.join(KINDS)}"
        )
    return kind


def spec_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of spec `kind`, with its `$id` and dialect.

    Raises:
        UsageError: `kind` is not a spec kind.
    """
    schema = get_kind(kind).model.model_json_schema()
    return {"$schema": DIALECT, "$id": SCHEMA_ID.format(kind=kind), **schema}


def schema_text(kind: str) -> str:
    """Return the schema as stable JSON: sorted keys, two-space indent, newline."""
    return json.dumps(spec_schema(kind), indent=2, sort_keys=True) + "\n"
