"""Plain data from planner's dataclasses, for JSON and digests."""

from __future__ import annotations

import dataclasses
from typing import Any

# Field metadata: leave the field out of the data while it holds its default,
# so adding an optional field does not change the bytes of existing plans.
OMIT_DEFAULT = {"omit_default": True}


def to_data(value: Any) -> Any:
    """Return `value` as JSON-ready data.

    Dataclasses become objects in field order, tuples and lists arrays,
    frozensets sorted arrays (never hash-seed order); other values are kept.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            field_value = getattr(value, item.name)
            if item.metadata.get("omit_default") and field_value == item.default:
                continue
            data[item.name] = to_data(field_value)
        return data
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted(to_data(item) for item in value)
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    return value
