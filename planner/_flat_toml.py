"""A fast reader for the plain TOML of spec files; anything else goes to tomllib.

`planner render` reads a spec per plan, and tomllib (pure Python) was an
eighth of the work of building a plan. Specs, as planner writes them and as
people write them, use a small part of TOML: `[table]` and `[[array]]`
headers, bare keys, and strings, integers, booleans, one-line arrays of them
and one-line inline tables of those. `loads` reads exactly that, about twice
as fast, and returns None for anything else, from a float to a duplicate
key, so that the caller parses the text with tomllib and gets its result, or
its error.

Its contract, checked by tests/test_flat_toml.py on generated documents:
whenever `loads(text)` is not None, it equals `tomllib.loads(text)`.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["loads"]

_KEY = r"[A-Za-z0-9_-]+"
_PATH = rf"{_KEY}(?:\.{_KEY})*"
# One line: a header, a `key = value` pair, or nothing; then an optional comment.
_LINE = re.compile(
    r"[ \t]*(?:"
    rf"\[\[(?P<array>{_PATH})\]\]"
    rf"|\[(?P<table>{_PATH})\]"
    rf"|(?P<key>{_KEY})[ \t]*=[ \t]*(?P<value>[^#]*?)"
    r")?[ \t]*(?:#.*)?"
)
# Strings without escapes, decimal integers without underscores, booleans.
_SCALAR = re.compile(
    r'"([^"\\]*)"'
    r"|'([^']*)'"
    r"|([+-]?(?:0|[1-9][0-9]*))(?![0-9A-Za-z_.:+-])"
    r"|(true|false)(?![0-9A-Za-z_.:+-])"
)
# Control characters (TOML allows only tab), "\r" (line ends other than "\n"
# are tomllib's to judge) and surrogates: any of them, and tomllib decides.
_UNUSUAL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_PAIR = re.compile(rf"(?P<key>{_KEY})[ \t]*=[ \t]*")
_BLANK = " \t"


class _Unsupported(Exception):
    """The text leaves the plain subset: tomllib must read it."""


def loads(text: str) -> dict[str, Any] | None:
    """Return the data of plain spec TOML, or None to have tomllib read it."""
    if _UNUSUAL.search(text):
        return None
    try:
        return _Reader().read(text)
    except _Unsupported:
        return None


class _Reader:
    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        # Tables made by a `[table]` header, or implied by a longer one.
        self.tables: set[tuple[str, ...]] = set()
        # Arrays made by `[[array]]` headers, by path.
        self.arrays: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def read(self, text: str) -> dict[str, Any]:
        current = self.root
        for line in text.split("\n"):
            match = _LINE.fullmatch(line)
            if match is None:
                raise _Unsupported
            key, table, array = match["key"], match["table"], match["array"]
            if key is not None:
                if key in current:
                    raise _Unsupported  # a duplicate: tomllib's error
                current[key] = _value(match["value"].rstrip(_BLANK))
            elif table is not None:
                current = self._table(tuple(table.split(".")))
            elif array is not None:
                current = self._append(tuple(array.split(".")))
        return self.root

    def _parent(self, path: tuple[str, ...]) -> dict[str, Any]:
        """The table holding `path[-1]`, making implied tables on the way."""
        table = self.root
        for depth, part in enumerate(path[:-1], start=1):
            if part not in table:
                table[part] = {}
                self.tables.add(path[:depth])
            node = table[part]
            if not isinstance(node, dict) or path[:depth] not in self.tables:
                raise _Unsupported  # into an array of tables, or a value
            table = node
        return table

    def _table(self, path: tuple[str, ...]) -> dict[str, Any]:
        parent = self._parent(path)
        if path in self.tables or path[-1] in parent:
            raise _Unsupported  # defined twice, or implied first: tomllib judges
        table: dict[str, Any] = {}
        parent[path[-1]] = table
        self.tables.add(path)
        return table

    def _append(self, path: tuple[str, ...]) -> dict[str, Any]:
        parent = self._parent(path)
        tables = self.arrays.setdefault(path, [])
        if not tables:  # the first `[[path]]`
            if path[-1] in parent:
                raise _Unsupported
            parent[path[-1]] = tables
        elif parent.get(path[-1]) is not tables:
            raise _Unsupported
        table: dict[str, Any] = {}
        tables.append(table)
        return table


def _value(text: str) -> Any:
    value, end = _item(text, 0, inline=True)
    if end != len(text):
        raise _Unsupported  # something after the value
    return value


def _item(text: str, position: int, *, inline: bool) -> tuple[Any, int]:
    """Read a scalar, a one-line array of scalars or, if `inline`, an inline table."""
    if text.startswith("[", position):
        return _array(text, position + 1)
    if inline and text.startswith("{", position):
        return _inline_table(text, position + 1)
    return _scalar(text, position)


def _array(text: str, position: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    position = _skip(text, position)
    while not text.startswith("]", position):
        value, position = _scalar(text, position)
        items.append(value)
        position = _skip(text, position)
        if text.startswith(",", position):
            position = _skip(text, position + 1)
        elif not text.startswith("]", position):
            raise _Unsupported  # unclosed, or no comma
    return items, position + 1


def _inline_table(text: str, position: int) -> tuple[dict[str, Any], int]:
    table: dict[str, Any] = {}
    position = _skip(text, position)
    if text.startswith("}", position):
        return table, position + 1
    while True:
        match = _PAIR.match(text, position)
        if match is None or match["key"] in table:
            raise _Unsupported  # not `key = `, or a duplicate key
        table[match["key"]], position = _item(text, match.end(), inline=False)
        position = _skip(text, position)
        if text.startswith("}", position):
            return table, position + 1
        if not text.startswith(",", position):
            raise _Unsupported
        position = _skip(text, position + 1)  # no trailing comma: TOML 1.0


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _BLANK:
        position += 1
    return position


def _scalar(text: str, position: int) -> tuple[Any, int]:
    match = _SCALAR.match(text, position)
    if match is None:
        raise _Unsupported
    basic, literal, integer, boolean = match.groups()
    value: Any
    if basic is not None:
        value = basic
    elif literal is not None:
        value = literal
    elif integer is not None:
        value = int(integer)
    else:
        value = boolean == "true"
    return value, match.end()
