"""What a resource's fields call for in its model and schemas, beyond types."""

from __future__ import annotations

from planner.render.escape import code
from planner.rules.shared.types import sql_default
from planner.spec import ResourceSpec

# How each ORM declares the primary key of each id type.
SQLMODEL_ID = {
    "int": "`id: int | None = Field(default=None, primary_key=True)`",
    "uuid": "`id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)` "
    "(the app makes the id, so it is known before the insert)",
    "str": "`id: str = Field(primary_key=True)` (a string id the project's code "
    "makes: see the assumptions)",
}

SQLALCHEMY_ID = {
    "int": "`id: Mapped[int] = mapped_column(primary_key=True)`",
    "uuid": "`id: Mapped[uuid.UUID] = mapped_column(primary_key=True, "
    "default=uuid.uuid4)` (the app makes the id, so it is known before the "
    "insert)",
    "str": "`id: Mapped[str] = mapped_column(String, primary_key=True)` (a "
    "string id the project's code makes: see the assumptions)",
}


# SQLAlchemy before 2.0 has no `Mapped`/`mapped_column`: classic columns.
SQLALCHEMY_1_ID = {
    "int": "`id = Column(Integer, primary_key=True)`",
    "uuid": "`id = Column(UUID(as_uuid=True), primary_key=True, "
    "default=uuid.uuid4)` (the app makes the id, so it is known before the "
    "insert)",
    "str": "`id = Column(String, primary_key=True)` (a string id the project's "
    "code makes: see the assumptions)",
}


def default_guidance(
    res: ResourceSpec, *, sqlmodel: bool, classic: bool = False
) -> list[str]:
    """Say where the fields' defaults live: the column and the Create schema.

    ``classic``: the project's SQLAlchemy predates 2.0, whose `mapped_column`
    it lacks.
    """
    given = [f for f in res.fields if f.default is not None]
    if not given:
        return []
    pairs = ", ".join(f"{code(f.column_name)} {code(sql_default(f))}" for f in given)
    where = (
        '`sa_column_kwargs={"server_default": ...}`'
        if sqlmodel
        else "`Column(..., server_default=...)`"
        if classic
        else "`mapped_column(server_default=...)`"
    )
    return [
        f"Defaults: {pairs}. Declare each as a server default ({where}, `text()` "
        "for numbers, `false()`/`true()` for booleans), so the migration fills "
        "existing rows and inserts from outside the app agree; the Create schema "
        "repeats it, so OpenAPI shows it."
    ]


def update_guidance(
    res: ResourceSpec, schema: str, *, validator: str = "`field_validator`"
) -> list[str]:
    """Say how a PATCH through `schema` keeps NOT NULL columns from a `null`."""
    kept = [code(f.name) for f in res.fields if f.required or f.type == "bool"]
    if "update" not in res.operations or res.update_method != "patch" or not kept:
        return []
    return [
        f"`{schema}` types {', '.join(kept)} as `X | None = None`, which "
        f"accepts an explicit `null`: add a {validator} that raises on "
        "`None`, so the NOT NULL columns answer 422 rather than 500 (an omitted "
        "field is not validated, so it keeps its value)."
    ]


def size_guidance(res: ResourceSpec) -> list[str]:
    """Say which fields need a size limit, and what `EmailStr` needs installed."""
    found = []
    unbounded = [
        code(f.name)
        for f in res.fields
        if f.type == "json" or (f.type in {"str", "text"} and f.max_length is None)
    ]
    if unbounded:
        found.append(
            f"{', '.join(unbounded)} has no length limit: give it a `max_length` "
            "(and the body a size limit at the proxy or in a middleware), so one "
            "request cannot store megabytes."
        )
    if any(f.type == "email" for f in res.fields):
        found.append(
            "`EmailStr` needs the `email-validator` package (in `fastapi[standard]`)"
            "; add it to the dependencies if the project installs plain `fastapi`."
        )
    return found
