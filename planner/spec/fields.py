"""The parts every spec shares: names, fields, auth requirements, page sizes."""
# No `from __future__ import annotations`: pydantic reads the annotations as
# the objects they are, rather than evaluating strings as it builds each model.

import keyword
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)

FieldType = Literal[
    "str", "text", "int", "float", "bool", "decimal", "date", "datetime",
    "uuid", "email", "url", "enum", "json", "ref",
]  # fmt: skip
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
Operation = Literal["list", "read", "create", "update", "delete"]
PaginationStyle = Literal["offset", "page", "cursor"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

MAX_FIELDS = 200
MAX_TEXT = 2000
# Columns and attributes every generated table or schema has already.
GENERATED_NAMES = frozenset({"id", "owner_id", "owner", "created_at", "updated_at"})
# Attributes SQLAlchemy's declarative base defines on every model class.
RESERVED_NAMES = frozenset({"metadata", "registry"})
_SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def _check_name(value: str) -> str:
    if not _SNAKE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a snake_case identifier; use lower-case letters, "
            "digits and underscores, starting with a letter (e.g. 'due_date')"
        )
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        raise ValueError(f"{value!r} is a Python keyword; choose another name")
    return value


Name = Annotated[
    str, StringConstraints(min_length=1, max_length=63), AfterValidator(_check_name)
]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Scope = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:\-]{1,64}$")]


class _Model(BaseModel):
    # Schemas are built on first use: a plan validates one kind of spec only.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Lean(_Model):
    """A model whose optional keys in `_lean` are left out of its data at default.

    A spec's digest (spec_sha256) is its data: a key added in a later release
    stays out of it until a spec sets it, so existing plans stay current.
    """

    _lean: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _lean_keys_omitted(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        fields = type(self).model_fields
        for name in self._lean:
            if name in data and getattr(self, name) == fields[name].get_default(
                call_default_factory=True
            ):
                del data[name]
        return data


PackName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,62}$")]
AnswerKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
PackAnswer = str | int | float | bool | tuple[str, ...]
Source = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class PackUse(_Model):
    """A blueprint pack a spec uses: its source (unless configured) and answers."""

    source: Source | None = None
    answers: dict[AnswerKey, PackAnswer] = Field(default_factory=dict)


class _SpecModel(_Model):
    """What every spec kind has besides its own keys: `[packs.<name>]` tables."""

    packs: dict[PackName, PackUse] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _packs_last_or_omitted(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        # Omitted when empty, so specs without packs keep their spec_sha256; last,
        # so TOML writes the `[packs.*]` tables after the spec's own keys.
        data: dict[str, Any] = handler(self)
        packs = data.pop("packs", None)
        if packs:
            data["packs"] = packs
        return data


# A field's default, as TOML writes it: text, a number or true/false.
DefaultValue = (
    bool
    | int
    | Annotated[float, Field(allow_inf_nan=False)]
    | Annotated[str, StringConstraints(max_length=MAX_TEXT)]
)
# The field types a default can be given for, and the TOML types it takes.
_DEFAULT_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "text": (str,), "email": (str,), "url": (str,),
    "enum": (str,), "int": (int,), "float": (int, float),
    "decimal": (int, float, str), "bool": (bool,),
}  # fmt: skip


class FieldSpec(_Lean):
    """One attribute of a resource, request or response."""

    _lean = frozenset({"default"})

    name: Name
    type: FieldType
    required: bool = True
    unique: bool = False
    indexed: bool = False
    description: Text = ""
    max_length: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    min_length: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    min_value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    max_value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    max_digits: Annotated[int, Field(ge=1, le=1000)] | None = None
    decimal_places: Annotated[int, Field(ge=0, le=1000)] | None = None
    choices: tuple[Name, ...] | None = None
    references: Name | None = None
    on_delete: Literal["cascade", "set-null", "restrict"] | None = None
    # The value a new row gets when the client leaves the field out.
    default: DefaultValue | None = None

    @model_validator(mode="after")
    def _constraints_fit_type(self) -> Self:
        self._check_bounds_fit_type()
        self._check_choices_and_references()
        self._check_ranges()
        return self

    def _check_bounds_fit_type(self) -> None:
        lengths = {"str", "text", "email", "url"}
        numbers = {"int", "float", "decimal"}
        if (self.max_length is not None or self.min_length is not None) and (
            self.type not in lengths
        ):
            raise ValueError(
                f"max_length/min_length apply to str, text, email and url, not "
                f"{self.type!r}; remove them from field {self.name!r}"
            )
        if (self.min_value is not None or self.max_value is not None) and (
            self.type not in numbers
        ):
            raise ValueError(
                f"min_value/max_value apply to int, float and decimal, not "
                f"{self.type!r}; remove them from field {self.name!r}"
            )
        if (self.max_digits or self.decimal_places is not None) and (
            self.type != "decimal"
        ):
            raise ValueError(
                f"max_digits/decimal_places apply only to decimal fields; "
                f"remove them from field {self.name!r}"
            )

    def _check_choices_and_references(self) -> None:
        if self.type == "enum":
            if not self.choices:
                raise ValueError(
                    f"enum field {self.name!r} needs choices, e.g. "
                    'choices = ["draft", "published"]'
                )
            if len(set(self.choices)) != len(self.choices):
                raise ValueError(f"enum field {self.name!r} repeats a choice")
        elif self.choices is not None:
            raise ValueError(
                f'choices apply only to enum fields; set type = "enum" on '
                f"{self.name!r} or remove choices"
            )
        if self.type == "ref":
            if self.references is None:
                raise ValueError(
                    f'ref field {self.name!r} needs references = "<resource>", '
                    "the singular name of the referenced resource"
                )
        elif self.references is not None or self.on_delete is not None:
            raise ValueError(
                f"references/on_delete apply only to ref fields; set type = "
                f'"ref" on {self.name!r} or remove them'
            )

    @model_validator(mode="after")
    def _no_contradiction(self) -> Self:
        # Keys that each make sense alone but cannot hold together.
        if self.required and self.on_delete == "set-null":
            raise ValueError(
                f"field {self.name!r}: required = true and on_delete = "
                '"set-null" contradict (SET NULL needs a nullable column); set '
                'required = false or on_delete = "cascade" or "restrict"'
            )
        if self.unique and self.indexed:
            raise ValueError(
                f"field {self.name!r}: unique = true already creates an index; "
                "remove indexed = true"
            )
        return self

    @model_validator(mode="after")
    def _default_fits(self) -> Self:
        value = self.default
        if value is None:
            return self
        kinds = _DEFAULT_TYPES.get(self.type)
        if kinds is None:
            raise ValueError(
                f"default applies to {', '.join(_DEFAULT_TYPES)} fields, not "
                f"{self.type!r}; remove it from field {self.name!r} (the service "
                "sets generated values)"
            )
        if type(value) not in kinds:
            raise ValueError(
                f"field {self.name!r}: default {value!r} does not fit type "
                f"{self.type!r}"
            )
        problem = _default_problem(self, value)
        if problem:
            raise ValueError(f"field {self.name!r}: default {value!r} {problem}")
        return self

    def _check_ranges(self) -> None:
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValueError(f"field {self.name!r}: min_length exceeds max_length")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValueError(f"field {self.name!r}: min_value exceeds max_value")

    @property
    def column_name(self) -> str:
        """The database column: `<name>_id` for references, else the name."""
        if self.type == "ref" and not self.name.endswith("_id"):
            return f"{self.name}_id"
        return self.name


def _default_problem(item: FieldSpec, value: bool | float | str) -> str | None:
    """Say why a default of the right TOML type breaks the field's constraints."""
    if item.type == "enum":
        return None if value in (item.choices or ()) else "is not one of its choices"
    if isinstance(value, str) and item.type != "decimal":
        if item.max_length is not None and len(value) > item.max_length:
            return "is longer than max_length"
        if item.min_length is not None and len(value) < item.min_length:
            return "is shorter than min_length"
        return None
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return "is not a number"
    if not number.is_finite():
        return "is not a finite number"
    if item.min_value is not None and number < Decimal(str(item.min_value)):
        return "is below min_value"
    if item.max_value is not None and number > Decimal(str(item.max_value)):
        return "is above max_value"
    return None


def _unique_field_names(fields: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
    seen: set[str] = set()
    for item in fields:
        if item.name in seen or item.column_name in seen:
            raise ValueError(
                f"field {item.name!r} is declared twice; field names must be unique"
            )
        seen.update({item.name, item.column_name})
    return fields


Fields = Annotated[
    tuple[FieldSpec, ...],
    Field(max_length=MAX_FIELDS),
    AfterValidator(_unique_field_names),
]


class FieldGroup(_Model):
    """A request or response body, as a list of fields."""

    fields: Fields = ()


class AuthRequirement(_Model):
    """Whether an operation needs a signed-in caller, and with which scopes."""

    required: bool = True
    scopes: tuple[Scope, ...] = ()
    roles: tuple[Name, ...] = ()


PageSize = Annotated[int, Field(ge=1, le=10_000)]
SortKeys = tuple[Annotated[str, StringConstraints(pattern=r"^-?[a-z][a-z0-9_]*$")], ...]


def check_page_sizes(default_size: int, max_size: int) -> None:
    """Refuse a default page size above the maximum."""
    if default_size > max_size:
        raise ValueError(
            f"default_size ({default_size}) exceeds max_size ({max_size}); "
            "lower default_size or raise max_size"
        )
