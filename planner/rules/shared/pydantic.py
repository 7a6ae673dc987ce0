"""The Pydantic idioms a plan writes: the project's major version's.

A Pydantic v1 project gets v1 words (`class Config`, `.dict()`,
`@validator`), as its own models are written; a note says FastAPI dropped
v1 support, rather than the guidance silently switching versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context


@dataclass(frozen=True, slots=True)
class Idioms:
    """How one version of Pydantic spells what plans ask for."""

    dump: str
    forbid_extra: str
    from_orm: str
    validator: str
    names: str


V2 = Idioms(
    dump="model_dump",
    forbid_extra='`model_config = ConfigDict(extra="forbid")`',
    from_orm="`model_config = ConfigDict(from_attributes=True)`",
    validator="`field_validator`",
    names="Pydantic v2 names (`pattern`, `from_attributes`, `model_dump`)",
)
V1 = Idioms(
    dump="dict",
    forbid_extra='`class Config: extra = "forbid"`',
    from_orm="`class Config: orm_mode = True`",
    validator="`@validator`",
    names="Pydantic v1 names, as the project's models use (`regex`, `orm_mode`, "
    "`.dict()`)",
)


def idioms(ctx: Context) -> Idioms:
    """The idioms of the project's Pydantic: v1's where it declares v1."""
    return V1 if ctx.layout.pydantic_major == 1 else V2
