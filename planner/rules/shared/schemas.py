"""Names of a resource's request and response schemas, in the project's style.

The forms come from the layout: measured from the project's own routes
(`TagRead`, `TagIn`, or words around the name: `CreateTagParam`, written
`Create*Param`) or planner's defaults (`TagPublic`, `TagCreate`,
`TagUpdate`). Every rule that names one of these schemas asks here.
"""

from __future__ import annotations

from planner.inspect.layout import DEFAULT_LAYOUT, Layout

__all__ = [
    "create_schema",
    "read_schema",
    "schema_name",
    "suffix_note",
    "update_schema",
]


def schema_name(form: str, model: str) -> str:
    """``TagRead`` of the suffix ``Read``, ``CreateTagParam`` of ``Create*Param``."""
    return form.replace("*", model) if "*" in form else model + form


def read_schema(layout: Layout, model: str) -> str:
    """The schema a resource is answered with: `TagPublic`, or `TagRead`."""
    return schema_name(layout.schema_read_suffix, model)


def create_schema(layout: Layout, model: str) -> str:
    """The body that creates a resource: `TagCreate`, or `TagIn`."""
    return schema_name(layout.schema_create_suffix, model)


def update_schema(layout: Layout, model: str) -> str:
    """The body that updates a resource: `TagUpdate`, or the project's own."""
    return schema_name(layout.schema_update_suffix, model)


def suffix_note(layout: Layout) -> str | None:
    """An assumption naming the project's suffixes, or None for the defaults."""
    pairs = (
        ("response", layout.schema_read_suffix, DEFAULT_LAYOUT.schema_read_suffix),
        ("create", layout.schema_create_suffix, DEFAULT_LAYOUT.schema_create_suffix),
        ("update", layout.schema_update_suffix, DEFAULT_LAYOUT.schema_update_suffix),
    )
    if all(own == default for _, own, default in pairs):
        return None
    own = ", ".join(f"`{_shown(o)}` ({role})" for role, o, d in pairs if o != d)
    usual = ", ".join(f"`{_shown(o)}` ({role})" for role, o, d in pairs if o == d)
    kind = "forms" if any("*" in o for _, o, _ in pairs) else "suffixes"
    # A suffix equal to planner's default may be the project's or no habit
    # at all: it is not claimed as the project's.
    return (
        f"Schemas are named with the project's own {kind}: {own}, as its "
        "routes' response models and request bodies are"
        + (f"; {usual} as usual." if usual else ".")
    )


def _shown(form: str) -> str:
    """``...Read`` of a suffix, ``Create...Param`` of a form with words before."""
    return form.replace("*", "...") if "*" in form else "..." + form
