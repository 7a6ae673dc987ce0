"""How each spec field type maps to Python, Pydantic and SQLAlchemy."""

from __future__ import annotations

import json
from functools import lru_cache

from planner.spec import FieldSpec, pluralize


@lru_cache(maxsize=4096)  # pure; rules ask for the same names many times a plan
def camel(name: str) -> str:
    """Return `order_item` as `OrderItem`."""
    return "".join(part.capitalize() for part in name.split("_"))


def article(name: str) -> str:
    """Return `an order item` / `a user` for a snake_case name."""
    words = name.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def enum_class(owner: str, item: FieldSpec) -> str:
    """Return the StrEnum class name for an enum field.

    A field already named for its owner (`identity_type` of `identity`) is
    not prefixed twice: `IdentityType`, not `IdentityIdentityType`.
    """
    if item.name.startswith(f"{owner}_"):
        return camel(item.name)
    return f"{camel(owner)}{camel(item.name)}"


# The annotation of each field type that maps to one fixed name (not enum).
_PYTHON_TYPES = {
    "str": "str",
    "text": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "decimal": "Decimal",
    "date": "date",
    "datetime": "datetime",
    "uuid": "UUID",
    "email": "EmailStr",
    "url": "HttpUrl",
    "json": "dict[str, Any]",
    "ref": "int",
}


def python_type(owner: str, item: FieldSpec) -> str:
    """Return the annotation a Pydantic schema uses for the field."""
    if item.type == "enum":
        return enum_class(owner, item)
    return _PYTHON_TYPES[item.type]


# The column type of each field type whose column takes no settings.
_COLUMN_TYPES = {
    "text": "Text",
    "int": "Integer",
    "float": "Float",
    "bool": "Boolean",
    "date": "Date",
    "datetime": "DateTime(timezone=True)",
    "uuid": "Uuid",
    "email": "String(320)",
    "url": "String(2083)",
    "json": "JSON",
    "ref": "Integer",
}


def column_type(owner: str, item: FieldSpec) -> str:
    """Return the SQLAlchemy column type for the field."""
    if item.type == "str":
        return f"String({item.max_length or 255})"
    if item.type == "decimal":
        return f"Numeric({_digits(item)}, {_places(item)})"
    if item.type == "enum":
        longest = max(len(choice) for choice in item.choices or ("x",))
        return f"Enum({enum_class(owner, item)}, native_enum=False, length={longest})"
    return _COLUMN_TYPES[item.type]


def constraints(item: FieldSpec) -> str:
    """Return the `Field(...)` constraints of a schema field, as text."""
    parts: list[str] = []
    if item.min_length is not None:
        parts.append(f"min_length={item.min_length}")
    if item.max_length is not None:
        parts.append(f"max_length={item.max_length}")
    elif item.type == "str":
        parts.append("max_length=255")
    if item.min_value is not None:
        parts.append(f"ge={_number(item.min_value)}")
    if item.max_value is not None:
        parts.append(f"le={_number(item.max_value)}")
    if item.type == "decimal":
        parts.append(f"max_digits={_digits(item)}")
        parts.append(f"decimal_places={_places(item)}")
    if item.type == "enum":
        parts.append("one of " + ", ".join(item.choices or ()))
    return ", ".join(parts)


# Precision when a decimal field gives none: money to the cent, up to 10^10.
DECIMAL_DIGITS, DECIMAL_PLACES = 12, 2


def _digits(item: FieldSpec) -> int:
    return item.max_digits if item.max_digits is not None else DECIMAL_DIGITS


def _places(item: FieldSpec) -> int:
    # 0 is a precision (whole numbers), not a missing one.
    return item.decimal_places if item.decimal_places is not None else DECIMAL_PLACES


def id_annotation(id_type: str) -> str:
    """Return the Python annotation of an `id` of type `int`, `uuid` or `str`."""
    return {"uuid": "UUID", "str": "str"}.get(id_type, "int")


def python_default(owner: str, item: FieldSpec) -> str:
    """Return a field's default as the Python expression a schema writes."""
    value = item.default
    if item.type == "decimal":
        return f'Decimal("{value}")'
    if item.type == "enum":
        return f'{enum_class(owner, item)}("{value}")'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def sql_default(item: FieldSpec) -> str:
    """Return a field's default as the SQL literal a `server_default` holds."""
    value = item.default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and item.type != "decimal":
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def referenced_table(item: FieldSpec) -> str:
    """Return the table a ref field points at."""
    return pluralize(item.references or item.name)
