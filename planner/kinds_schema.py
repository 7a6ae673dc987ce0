"""JSON Schemas of the spec kinds, for editors that validate TOML as you type."""

from __future__ import annotations

import json
from typing import Any

from planner.errors import UsageError
from planner.specfile import KINDS, SCHEMA_URL, suggest

__all__ = ["schema_text", "spec_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def spec_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of spec `kind`, with its `$id` and dialect.

    Raises:
        UsageError: `kind` is not a spec kind.
    """
    model = KINDS.get(kind)
    if model is None:
        close = suggest(kind, list(KINDS))
        tip = f"did you mean {close!r}? " if close else ""
        raise UsageError(
            f"{kind!r} is not a spec kind", hint=f"{tip}kinds: {', '.join(KINDS)}"
        )
    schema = model.model_json_schema()
    return {"$schema": DIALECT, "$id": SCHEMA_URL.format(kind=kind), **schema}


def schema_text(kind: str) -> str:
    """Return the schema as stable JSON: sorted keys, two-space indent, newline."""
    return json.dumps(spec_schema(kind), indent=2, sort_keys=True) + "\n"
