"""The JSON form of planner's frozen dataclasses, for the caches under `.planner/`.

Kept apart from the records it encodes, so a run that reads its model back
from the cache loads no record type it does not rebuild.
"""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections.abc import Callable
from typing import Any, Union

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
_CODECS: dict[object, Codec] = {}


def _same(value: Any) -> Any:
    return value


def codec(hint: object) -> Codec:
    """The (encode, decode) pair for values of a type hint, built once per hint.

    Encoding gives what ``json.dumps`` writes as lists: dataclasses become
    their field values in order, frozensets sorted lists; tuples of plain
    values are left as they are; dicts (string keys) stay dicts, in order.
    Decoding rebuilds the value from the JSON data and raises TypeError or
    ValueError on data of the wrong shape. A large tree encodes some 10^5
    values: each hint's pair is composed once, so no value pays for looking
    its type up again.
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
    if origin is list:
        enc, dec = codec(args[0])
        return (lambda v: [enc(x) for x in v]), (lambda d: [dec(x) for x in _list(d)])
    if origin is dict:
        enc, dec = codec(args[1])
        return (
            lambda v: {k: enc(x) for k, x in v.items()},
            lambda d: {str(k): dec(x) for k, x in _dict(d).items()},
        )
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


def _list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError("expected a list")
    return data


def _dict(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError("expected a mapping")
    return data


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
    """A JSON-ready form of a value (dataclasses become lists of field values)."""
    return codec(type(obj))[0](obj)


def decode(cls: object, data: Any) -> Any:
    """Rebuild a value of type ``cls`` from :func:`encode` output."""
    return codec(cls)[1](data)
