"""Make user text safe to embed in Markdown: literal, single-line, well-formed.

The helpers are pure and run thousands of times per batch, mostly on text that
repeats (paths, names, notes), so each one remembers its recent answers.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_BACKTICKS = re.compile(r"`+")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@lru_cache(maxsize=8192)
def inline(text: str) -> str:
    """Return user text as literal Markdown inline text on one line.

    Markdown and HTML syntax are backslash-escaped, so `<b>`, `{{ x }}`,
    pipes and backticks all show as typed.
    """
    flat = " ".join(text.split())  # runs of whitespace to one space, ends stripped
    return _SPECIAL.sub(r"\\\1", flat.replace("&", "&amp;"))


@lru_cache(maxsize=8192)
def code(text: str) -> str:
    """Return text as one closed code span, whatever backticks it holds."""
    flat = " ".join(text.split())
    if "`" not in flat:  # most text: a single backtick fences it
        return f"`{flat}`"
    longest = max(len(run) for run in _BACKTICKS.findall(flat))
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


@lru_cache(maxsize=8192)
def cell(text: str) -> str:
    """Return Markdown text fit for a table cell: one line, pipes escaped."""
    flat = " ".join(text.split())
    return _UNESCAPED_PIPE.sub(r"\\|", flat) if "|" in flat else flat
