"""Rewrite Python 3.12+ syntax into 3.8-3.11 syntax so that ``ast`` can read it.

Applied only to a file that fails to parse. Every rewrite keeps line numbers: it
drops type parameter lists (PEP 695), turns ``type X = ...`` into an assignment,
parenthesises ``except A, B:`` (PEP 758) and blanks f-strings that nest their own
quotes (PEP 701), whose contents planner never needs.
"""

from __future__ import annotations

import re

_DEF = re.compile(r"^([ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+\w+)[ \t]*\[", re.M)
_TYPE = re.compile(r"^([ \t]*)type[ \t]+(\w+)[ \t]*(\[)?", re.M)
_EXCEPT = re.compile(
    r"^([ \t]*except\*?[ \t]+)(?!\()([^:\n]+,[^:\n]+?)((?:[ \t]+as[ \t]+\w+)?[ \t]*:)",
    re.M,
)
_FPREFIX = re.compile(r"(?<![\w])([rRbBuU]?[fF][rR]?|[rR][fF])(\"\"\"|'''|\"|')")


def _skip_brackets(src: str, start: int) -> int:
    """The index just past the bracket group opening at ``start``."""
    depth = 0
    i = start
    while i < len(src):
        ch = src[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(src)


def _drop_type_params(src: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _DEF.finditer(src):
        if m.start() < pos:
            continue
        end = _skip_brackets(src, m.end() - 1)
        out.append(src[pos : m.end(1)])
        # Continued lines: a parameter list over several lines keeps the
        # line numbers, and the header stays one logical line.
        out.append(" \\\n" * src.count("\n", m.end() - 1, end))
        pos = end
    out.append(src[pos:])
    return "".join(out)


def _type_alias(src: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _TYPE.finditer(src):
        if m.start() < pos:
            continue
        rest = m.end()
        if m.group(3):
            rest = _skip_brackets(src, m.end() - 1)
        tail = src[rest:].lstrip(" \t")
        if not tail.startswith("="):
            continue
        out.append(src[pos : m.start()])
        out.append(f"{m.group(1)}{m.group(2)} ")
        pos = rest
    out.append(src[pos:])
    return "".join(out)


def _end_of_fstring(src: str, i: int, quote: str) -> int:
    """Index past the f-string body starting at ``i`` (after its opening quote)."""
    depth = 0
    while i < len(src):
        if src.startswith(quote, i) and depth == 0:
            return i + len(quote)
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            if depth == 0 and src.startswith("{{", i):
                i += 2
                continue
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif depth and ch in "\"'":
            # A nested string inside a replacement field (PEP 701 allows any quote).
            q = src[i : i + 3] if src[i : i + 3] in ('"""', "'''") else ch
            m = _FPREFIX.match(src, i - 1) if i else None
            if m and m.end() == i + len(q):
                i = _end_of_fstring(src, i + len(q), q)
                continue
            j = src.find(q, i + len(q))
            i = len(src) if j < 0 else j + len(q)
            continue
        i += 1
    return len(src)


def _blank_fstrings(src: str) -> str:
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "#":
            j = src.find("\n", i)
            i = len(src) if j < 0 else j
            continue
        m = _FPREFIX.match(src, i)
        if m and "f" in m.group(1).lower():
            end = _end_of_fstring(src, m.end(), m.group(2))
            out.append(src[pos:i])
            newlines = src.count("\n", i, end)
            out.append('"""' + "\n" * newlines + '"""' if newlines else '""')
            pos = i = end
            continue
        if ch in "\"'":
            q = src[i : i + 3] if src[i : i + 3] in ('"""', "'''") else ch
            j = i + len(q)
            while j < len(src) and not src.startswith(q, j):
                j += 2 if src[j] == "\\" else 1
            i = j + len(q)
            continue
        i += 1
    out.append(src[pos:])
    return "".join(out)


def normalise_source(src: str) -> str:
    """The same module in syntax that Python 3.8-3.11 ``ast`` accepts."""
    src = _drop_type_params(src)
    src = _type_alias(src)
    src = _EXCEPT.sub(r"\1(\2)\3", src)
    return _blank_fstrings(src)
