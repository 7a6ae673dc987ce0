"""Per-module summaries that parsing yields, and their JSON codec for the cache."""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

# A string-valued expression as parts: ("s", literal), ("r", dotted reference) or
# ("?", source) when it cannot be evaluated statically.
Expr = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Import:
    """A name bound by an import: ``local`` stands for the absolute ``target``."""

    local: str
    target: str


@dataclass(frozen=True, slots=True)
class RouterDef:
    """``name = FastAPI(...)`` or ``name = APIRouter(prefix=...)`` in a scope.

    ``dependencies`` are the targets of its ``dependencies=[Depends(x)]``: every
    route of the router runs them.
    """

    scope: str
    name: str
    kind: str
    prefix: Expr
    line: int
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Include:
    """``parent.include_router(child, prefix=...)`` or ``parent.mount(path, child)``.

    ``dependencies`` are the ``Depends`` targets the include adds to every
    route of the child.
    """

    scope: str
    parent: str
    child: tuple[str, ...]
    prefix: Expr
    line: int
    mount: bool
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alias:
    """A name bound to an expression; ``refs`` are the names it is built from."""

    scope: str
    name: str
    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Param:
    """A route function parameter: annotation and ``Depends`` target as references."""

    name: str
    annotation: str
    depends: str


@dataclass(frozen=True, slots=True)
class RouteDef:
    """A route decorator ``@owner.method(path, status_code=...)`` on a function.

    ``dependencies`` are the ``Depends`` targets of the decorator's
    ``dependencies=[...]``.
    """

    scope: str
    owner: str
    method: str
    path: Expr
    function: str
    line: int
    status_code: int | None
    is_async: bool
    params: tuple[Param, ...]
    dependencies: tuple[str, ...]
    calls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    """A class-level field with its default (as an expression when it is a string)."""

    name: str
    default: Expr


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A top-level class: bases, table name and fields with string defaults."""

    name: str
    bases: tuple[str, ...]
    line: int
    tablename: str | None
    is_table: bool
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class FuncInfo:
    """A top-level function: name, whether async, and the app or router it returns."""

    name: str
    line: int
    is_async: bool
    returns: tuple[str, ...]
    params: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call statement ``func(a, b)``: how apps reach ``register(app)`` helpers."""

    scope: str
    func: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """What one module says about routing, tables, settings and imports."""

    imports: tuple[Import, ...]
    routers: tuple[RouterDef, ...]
    includes: tuple[Include, ...]
    aliases: tuple[Alias, ...]
    routes: tuple[RouteDef, ...]
    classes: tuple[ClassInfo, ...]
    functions: tuple[FuncInfo, ...]
    constants: tuple[Field, ...]
    calls: tuple[CallSite, ...]
    defined: tuple[str, ...]
    error: str | None
    parsed: bool


_ATOMS = frozenset({str, int, float, bool, type(None)})
Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
_CODECS: dict[object, Codec] = {}


def _same(value: Any) -> Any:
    return value


def codec(hint: object) -> Codec:
    """The (encode, decode) pair for values of a type hint, built once per hint.

    Encoding gives what ``json.dumps`` writes as lists: dataclasses become
    their field values in order, frozensets sorted lists; tuples of plain
    values are left as they are. Decoding rebuilds the value from the JSON
    data and raises TypeError or ValueError on data of the wrong shape.
    A large tree encodes some 10^5 values: each hint's pair is composed
    once, so no value pays for looking its type up again.
    """
    found = _CODECS.get(hint)
    if found is None:
        found = _build(hint)
        _CODECS[hint] = found
    return found


def _build(hint: object) -> Codec:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_codec(hint)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence_codec(codec(args[0]))
    if origin is tuple:
        return _fixed_codec(tuple(codec(a) for a in args))
    if origin is frozenset:
        return sorted, frozenset
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        enc, dec = codec(inner[0])
        if enc is _same and dec is _same:
            return _same, _same
        return (
            lambda v: None if v is None else enc(v),
            lambda d: None if d is None else dec(d),
        )
    return _same, _same


def _dataclass_codec(cls: type[Any]) -> Codec:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    parts = [codec(hints[n]) for n in names]
    get = operator.attrgetter(*names)
    encs = [e for e, _ in parts]
    decs = [d for _, d in parts]
    count = len(names)
    if count == 1:  # attrgetter of one name gives the value, not a tuple

        def encode_one(obj: Any) -> Any:
            return [encs[0](get(obj))]

        enc_fn: Callable[[Any], Any] = encode_one
    elif all(e is _same for e in encs):
        enc_fn = get
    else:

        def enc_fn(obj: Any) -> Any:
            return [e(v) for e, v in zip(encs, get(obj), strict=True)]

    def dec_fn(data: Any) -> Any:
        if not isinstance(data, list) or len(data) != count:
            raise ValueError(f"expected {count} values for {cls.__name__}")
        return cls(*[d(v) for d, v in zip(decs, data, strict=True)])

    return enc_fn, dec_fn


def _sequence_codec(item: Codec) -> Codec:
    enc, dec = item
    if enc is _same and dec is _same:
        return _same, tuple
    return (lambda v: [enc(x) for x in v]), (lambda d: tuple([dec(x) for x in d]))


def _fixed_codec(items: tuple[Codec, ...]) -> Codec:
    count = len(items)
    encs = [e for e, _ in items]
    decs = [d for _, d in items]
    plain = all(e is _same and d is _same for e, d in items)

    def dec_fn(data: Any) -> Any:
        if len(data) != count:
            raise ValueError(f"expected {count} values")
        if plain:
            return tuple(data)
        return tuple([d(v) for d, v in zip(decs, data, strict=True)])

    if plain:
        return _same, dec_fn
    return (lambda v: [e(x) for e, x in zip(encs, v, strict=True)]), dec_fn


def encode(obj: object) -> object:
    """A JSON-ready form of a summary (dataclasses become lists of field values)."""
    return codec(type(obj))[0](obj)


def decode(cls: object, data: Any) -> Any:
    """Rebuild a value of type ``cls`` from :func:`encode` output."""
    return codec(cls)[1](data)
