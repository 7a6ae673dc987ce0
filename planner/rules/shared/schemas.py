"""Names of a resource's request and response schemas, in the project's style.

The suffixes come from the layout: measured from the project's own routes
(`TagRead`, `TagIn`) or planner's defaults (`TagPublic`, `TagCreate`,
`TagUpdate`). Every rule that names one of these schemas asks here.
"""

from __future__ import annotations

from planner.inspect.layout import DEFAULT_LAYOUT, Layout

__all__ = ["create_schema", "read_schema", "suffix_note", "update_schema"]


def read_schema(layout: Layout, model: str) -> str:
    """The schema a resource is answered with: `TagPublic`, or `TagRead`."""
    return f"{model}{layout.schema_read_suffix}"


def create_schema(layout: Layout, model: str) -> str:
    """The body that creates a resource: `TagCreate`, or `TagIn`."""
    return f"{model}{layout.schema_create_suffix}"


def update_schema(layout: Layout, model: str) -> str:
    """The body that updates a resource: `TagUpdate`, or the project's own."""
    return f"{model}{layout.schema_update_suffix}"


def suffix_note(layout: Layout) -> str | None:
    """An assumption naming the project's suffixes, or None for the defaults."""
    pairs = (
        ("response", layout.schema_read_suffix, DEFAULT_LAYOUT.schema_read_suffix),
        ("create", layout.schema_create_suffix, DEFAULT_LAYOUT.schema_create_suffix),
        ("update", layout.schema_update_suffix, DEFAULT_LAYOUT.schema_update_suffix),
    )
    if all(own == default for _, own, default in pairs):
        return None
    own = ", ".join(f"`...{o}` ({role})" for role, o, d in pairs if o != d)
    usual = ", ".join(f"`...{o}` ({role})" for role, o, d in pairs if o == d)
    # A suffix equal to planner's default may be the project's or no habit
    # at all: it is not claimed as the project's.
    return (
        f"Schemas are named with the project's own suffixes: {own}, as its "
        "routes' response models and request bodies are"
        + (f"; {usual} as usual." if usual else ".")
    )
