"""Make user text safe to embed in Markdown: literal, single-line, well-formed.

The helpers are pure and run thousands of times per batch, mostly on text that
repeats (paths, names, notes), so each one remembers its recent answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Characters a terminal acts on rather than shows: C0 and C1 controls (ESC
# starts colour and cursor sequences, BEL rings, NUL truncates), DEL, and the
# bidirectional overrides that make text read other than it is (U+202E).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_BACKTICKS = re.compile(r"`+")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def visible(text: str) -> str:
    """Return text with terminal controls shown as `U+001B` instead of acting.

    Tabs and line breaks are kept; every other control character and the
    bidirectional overrides become their code point, as text.
    """
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(lambda m: f"U+{ord(m.group()):04X}", text)


@lru_cache(maxsize=8192)
def inline(text: str) -> str:
    """Return user text as literal Markdown inline text on one line.

    Markdown and HTML syntax are backslash-escaped, so `<b>`, `{{ x }}`,
    pipes and backticks all show as typed.
    """
    flat = " ".join(visible(text).split())  # whitespace runs to one space
    return _SPECIAL.sub(r"\\\1", flat.replace("&", "&amp;"))


@lru_cache(maxsize=8192)
def code(text: str) -> str:
    """Return text as one closed code span, whatever backticks it holds."""
    flat = " ".join(visible(text).split())
    if "`" not in flat:  # most text: a single backtick fences it
        return f"`{flat}`"
    longest = max(len(run) for run in _BACKTICKS.findall(flat))
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def codes(texts: Iterable[str]) -> str:
    """Return texts as code spans joined with commas: `a`, `b`."""
    return ", ".join(code(text) for text in texts)


@lru_cache(maxsize=8192)
def cell(text: str) -> str:
    """Return Markdown text fit for a table cell: one line, pipes escaped."""
    flat = " ".join(visible(text).split())
    return _UNESCAPED_PIPE.sub(r"\\|", flat) if "|" in flat else flat
