"""The fast spec-TOML reader gives tomllib's data, or leaves the text to tomllib."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner import _flat_toml

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted([*ROOT.glob("examples/*.toml"), *ROOT.glob("tests/golden/*/spec.toml")])


def _typed(value: Any) -> Any:
    """The value with every scalar's type beside it: True must not equal 1."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _agrees(text: str) -> None:
    fast = _flat_toml.loads(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None, f"accepted what tomllib refuses: {text!r}"
        return
    if fast is not None:
        assert _typed(fast) == _typed(expected), text
        assert list(fast) == list(expected)  # and in the same order


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_spec_reads_as_tomllib_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _agrees(text)


def test_the_plain_specs_take_the_fast_path() -> None:
    # Only specs with floats or escaped strings need tomllib.
    taken = [p for p in SPECS if _flat_toml.loads(p.read_text("utf-8")) is not None]
    assert len(taken) >= len(SPECS) - 2


_KEYS = st.sampled_from(["a", "b", "kind", "name", "fields", "1", "a-b", "x_y"])
_PATHS = st.lists(_KEYS, min_size=1, max_size=3).map(".".join)
_CHARS = st.sampled_from(
    ["a", " ", "\t", '"', "'", "\\", "#", "é", "→", "=", "[", "]", "{", "}", ",",
     "\x00", "\x7f", "\x1f", "\r", "\u2028", "1", "."]
)  # fmt: skip
_TEXT = st.lists(_CHARS, max_size=6).map("".join)
_SCALARS = st.one_of(
    _TEXT.map(lambda t: f'"{t}"'),
    _TEXT.map(lambda t: f"'{t}'"),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(
        ["true", "false", "True", "01", "+0", "-0", "1_000", "1e3", "0x1F", "1.5",
         "inf", "nan", '""', "''", '"""a"""', "1979-05-27", "12:30:00", "truex"]
    ),
)  # fmt: skip
_SEPARATORS = st.sampled_from([",", ", ", " ,", ",,", " ", ""])


@st.composite
def _arrays(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.one_of(_SCALARS, _SCALARS.map(lambda s: f"[{s}]"))))
    separator = draw(_SEPARATORS)
    trailing = draw(st.sampled_from(["", ",", " , "]))
    return f"[{separator.join(items)}{trailing}]"


@st.composite
def _inline_tables(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(_KEYS, st.one_of(_SCALARS, _arrays())), max_size=3))
    separator = draw(_SEPARATORS)
    trailing = draw(st.sampled_from(["", ","]))
    body = separator.join(f"{key} = {value}" for key, value in pairs)
    return "{" + body + trailing + "}"


_VALUES = st.one_of(_SCALARS, _arrays(), _inline_tables(), _TEXT)
_SPACE = st.sampled_from(["", " ", "\t", "  "])


@st.composite
def _lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["pair", "pair", "pair", "table", "array", "other"]))
    before, after = draw(_SPACE), draw(_SPACE)
    comment = draw(st.sampled_from(["", " # note", "#", " # \x7f"]))
    if kind == "pair":
        key = draw(st.one_of(_KEYS, _PATHS, st.just('"q"')))
        body = f"{key}{draw(_SPACE)}={draw(_SPACE)}{draw(_VALUES)}"
    elif kind == "table":
        body = f"[{draw(_SPACE)}{draw(_PATHS)}]"
    elif kind == "array":
        body = f"[[{draw(_PATHS)}]]"
    else:
        body = draw(_TEXT)
    return f"{before}{body}{after}{comment}"


@settings(max_examples=3000)
@given(st.lists(_lines(), max_size=12), st.sampled_from(["\n", "\r\n"]))
@example(["[a.b]", "[a]"], "\n")
@example(["[[a]]", "[a]"], "\n")
@example(["[a]", "[[a]]"], "\n")
@example(["a = 1", "[a.b]"], "\n")
@example(["[a]", "b = 1", "[a.b]"], "\n")
@example(["[[a.b]]", "[a.b.c]"], "\n")
@example(["a = 1", "a = 2"], "\n")
@example(['a = "x#y"'], "\n")
@example(["a = { b = 1, }"], "\n")
def test_generated_documents_read_as_tomllib_reads_them(
    lines: list[str], newline: str
) -> None:
    _agrees(newline.join(lines))


@settings(max_examples=2000)
@given(st.lists(st.one_of(_CHARS, _KEYS, st.sampled_from(["\n", " = ", "[", "]]"]))))
def test_any_text_is_read_as_tomllib_reads_it_or_left_to_it(parts: list[str]) -> None:
    _agrees("".join(parts))
