"""Record: the immutable, typed base of what planner makes (plan, facts, layout).

Specs, which people write, are pydantic models: their input needs validating
and their errors explaining. What planner makes from them is built by typed
code that mypy checks, so it needs no validation at run time, and a pydantic
model per class would cost a cold `planner new` about 15 ms just to define
(docs/performance.md). A Record is a plain class instead:

- keyword construction with defaults, checked by mypy (`dataclass_transform`);
- immutable, compared and hashed by value, with a readable `repr`;
- `replace(**changes)` for an updated copy;
- `to_data()` for JSON: records become objects in field order, tuples become
  arrays, frozensets sorted arrays; `from_data()` reads that back.
"""

from __future__ import annotations

import inspect
import json
import keyword
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, Self, dataclass_transform

__all__ = ["Record"]

# The instance's attributes are the dict built in __init__, set in one step.
_set = object.__setattr__


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Record:
    """An immutable record whose fields are its class annotations."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _keys: ClassVar[frozenset[str]] = frozenset()
    _types: ClassVar[dict[str, Any] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        defaults: dict[str, Any] = {}
        # Every record class among the bases, the most basic first, as
        # dataclasses does: a field declared again keeps its place and takes
        # its new default, or none.
        for klass in reversed(cls.__mro__):
            if klass is Record or not issubclass(klass, Record):
                continue
            for name, annotation in inspect.get_annotations(klass).items():
                if _is_class_var(annotation):
                    continue
                if name not in fields:
                    fields.append(name)
                if name in klass.__dict__:
                    defaults[name] = klass.__dict__[name]
                else:
                    defaults.pop(name, None)
        reserved = [f for f in fields if f.startswith("__") or hasattr(Record, f)]
        if reserved:
            raise TypeError(f"{cls.__name__}: {reserved[0]!r} cannot be a field")
        cls._fields = tuple(fields)
        cls._defaults = defaults
        cls._keys = frozenset(fields)
        cls._types = None
        # Each class gets its own constructor once it is made often (below),
        # not its base's; until then, the generic one.
        setattr(cls, "__init__", _generic_init)  # noqa: B010

    def __init__(self, /, **values: Any) -> None:
        cls = type(self)
        uses = _uses[cls] = _uses.get(cls, 0) + 1
        if uses >= _WRITE_CONSTRUCTOR_AFTER and cls is not Record:
            # A class made this often, as in a batch of plans, gets its own
            # constructor, with a keyword parameter per field: twice as fast.
            # Writing it costs about 40 us, more than a single plan saves.
            constructor = _constructor(cls)
            setattr(cls, "__init__", constructor)  # noqa: B010
            constructor(self, **values)
            return
        data = {**cls._defaults, **values}
        if data.keys() != cls._keys:
            raise TypeError(_wrong_arguments(cls, values))
        _set(self, "__dict__", data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is immutable: use .replace({name}=...)"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        # Fields only: a cached_property keeps its value in __dict__ too.
        return self._field_values() == other._field_values()

    def __hash__(self) -> int:
        return hash((type(self), self._field_values()))

    def _field_values(self) -> tuple[Any, ...]:
        return tuple(map(self.__dict__.__getitem__, self._fields))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={self.__dict__[f]!r}" for f in self._fields)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """Return a copy with `changes` applied; the original is unchanged."""
        values = dict(zip(self._fields, self._field_values(), strict=True))
        return type(self)(**{**values, **changes})

    def to_data(self) -> dict[str, Any]:
        """Return the record as JSON-ready data, fields in declaration order."""
        values = self.__dict__
        return {name: _data(values[name]) for name in self._fields}

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return `to_data()` as JSON text, non-ASCII characters kept."""
        return json.dumps(self.to_data(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """Build a record from `to_data()` output, checking each value's type.

        Raises:
            ValueError: a field is missing, unknown, or of the wrong type.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"{cls.__name__}: expected an object")
        unknown = sorted(set(data) - cls._keys)
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown fields {', '.join(unknown)}")
        hints = cls.field_types()
        values = {
            name: _read(hints[name], data[name], f"{cls.__name__}.{name}")
            for name in cls._fields
            if name in data
        }
        try:
            return cls(**values)
        except TypeError as err:
            raise ValueError(str(err)) from err

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Build a record from `to_json()` output."""
        return cls.from_data(json.loads(text))

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        """Return each field's type, resolved on first use."""
        if cls._types is None:
            hints = typing.get_type_hints(cls)
            cls._types = {name: hints[name] for name in cls._fields}
        return cls._types


_generic_init = Record.__init__


def _is_class_var(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar"))


# Instances a class makes with the generic constructor before it gets its own.
_WRITE_CONSTRUCTOR_AFTER = 256
_uses: dict[type[Record], int] = {}


def _wrong_arguments(cls: type[Record], values: Mapping[str, Any]) -> str:
    """Say what Python says when a record's own constructor is called wrongly."""
    unknown = [name for name in values if name not in cls._keys]
    if unknown:
        return f"{cls.__name__}() got an unexpected keyword argument {unknown[0]!r}"
    missing = [f for f in cls._fields if f not in values and f not in cls._defaults]
    quoted = [repr(name) for name in missing]
    names = " and ".join(quoted)
    if len(quoted) > 2:
        names = f"{', '.join(quoted[:-1])}, and {quoted[-1]}"
    return (
        f"{cls.__name__}() missing {len(missing)} required keyword-only "
        f"argument{'s' * (len(missing) > 1)}: {names}"
    )


def _constructor(cls: type[Record]) -> Callable[..., None]:
    """Write `__init__(self, *, field, other=default, ...)` for a record class."""
    # The function's own names start with "__", which no field does. Field
    # names come from class annotations; nothing else reaches this source.
    bad = [f for f in cls._fields if not f.isidentifier() or keyword.iskeyword(f)]
    if bad:
        raise TypeError(f"{cls.__name__}: {bad[0]!r} is not an identifier")
    defaults = cls._defaults
    params = [f"{f}=__defaults[{f!r}]" if f in defaults else f for f in cls._fields]
    signature = f"__record, *, {', '.join(params)}" if params else "__record"
    values = ", ".join(f"{f!r}: {f}" for f in cls._fields)
    source = (
        f"def __init__({signature}):\n    __set(__record, '__dict__', {{{values}}})\n"
    )
    scope: dict[str, Any] = {"__set": _set, "__defaults": defaults}
    exec(compile(source, f"<{cls.__qualname__} constructor>", "exec"), scope)
    constructor: Callable[..., None] = scope["__init__"]
    constructor.__qualname__ = cls.__name__  # "Plan() missing 1 required ..."
    constructor.__module__ = cls.__module__
    return constructor


def _data(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_data()
    if isinstance(value, tuple):
        return [_data(item) for item in value]
    if isinstance(value, frozenset):
        # A set in memory, a sorted list on the wire: never hash-seed order.
        if all(isinstance(item, str) for item in value):
            return sorted(value)
        return sorted((_data(item) for item in value), key=_canonical)
    return value


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _read(kind: Any, value: Any, where: str) -> Any:  # noqa: C901 - one case per type form
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors: list[ValueError] = []
        for member in (arg for arg in args if arg is not type(None)):
            try:
                return _read(member, value, where)
            except ValueError as err:
                errors.append(err)
        raise errors[0]
    if origin is Literal:
        if value not in args:
            raise ValueError(f"{where}: {value!r} is not one of {list(args)}")
        return value
    if origin is tuple or origin is frozenset:
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected an array")
        if origin is frozenset:
            return frozenset(_read(args[0], item, where) for item in value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], item, where) for item in value)
        if len(args) != len(value):
            raise ValueError(f"{where}: expected {len(args)} items")
        return tuple(_read(a, item, where) for a, item in zip(args, value, strict=True))
    if isinstance(kind, type) and issubclass(kind, Record):
        return kind.from_data(value)
    if kind is int and (type(value) is not int):
        raise ValueError(f"{where}: expected an integer")
    if kind is float and type(value) is int:
        return float(value)  # JSON writes 1.0 as 1
    if not isinstance(value, kind):
        raise ValueError(f"{where}: expected {kind.__name__}")
    return value
