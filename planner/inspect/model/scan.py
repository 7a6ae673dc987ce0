"""Regular-expression scans for files not worth a full parse (or that fail to)."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .summary import Field, Import, ModuleSummary

# The patterns start at a newline rather than at ``^`` under re.M: a literal
# first character lets the engine jump between lines instead of trying every
# position, which halves the scan of a large tree. Texts get a leading newline.
_IMPORT_RE = re.compile(
    rb"\n[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)"
    rb"|import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?)"
)


def _import_matches(text: bytes) -> Iterator[re.Match[bytes]]:
    """What ``_IMPORT_RE.finditer(text)`` yields, tried only on lines naming import.

    Every match starts at a newline and its first line holds the word
    ``import``: a plain search for the word finds the few lines worth a try,
    where the pattern alone would be tried at every newline of the file.
    """
    pos = 0  # where finditer would search on from
    i = text.find(b"import")
    while i >= 0:
        start = text.rfind(b"\n", 0, i)
        if start >= pos:
            m = _IMPORT_RE.match(text, start)
            if m is not None:
                yield m
                pos = m.end()
            else:
                pos = start + 1
        i = text.find(b"import", i + 6)


def scan_imports(data: bytes, module: str, *, is_package: bool) -> tuple[Import, ...]:
    """Imports found by a regular expression, for files not worth a full parse."""
    out: list[Import] = []
    for m in _import_matches(b"\n" + data):
        source, names, plain, alias = m.groups()
        if plain:
            # As the parser binds them: ``import a.b as c`` binds c; ``import a.b``
            # binds a and records a.b.
            name = plain.decode("ascii", "replace")
            if alias:
                out.append(Import(alias.decode("ascii", "replace"), name))
                continue
            top = name.partition(".")[0]
            out.append(Import(top, top))
            if "." in name:
                out.append(Import("", name))
            continue
        _from_import(out, source, names, module, is_package)
    return tuple(out)


_COMMENT_RE = re.compile(r"#[^\n]*")


def _from_import(
    out: list[Import], source: bytes, names: bytes, module: str, is_package: bool
) -> None:
    """The names of one ``from source import names``, as the parser binds them."""
    raw = source.decode("ascii", "replace")
    bare = raw.lstrip(".")
    base = _base(module, is_package, len(raw) - len(bare), bare or None)
    out.extend(_imported(base, names))


# A large tree repeats the same few thousand import statements (the
# framework's, the project's models) in thousands of modules: each is split
# into names once.
@lru_cache(maxsize=8192)
def _imported(base: str, names: bytes) -> tuple[Import, ...]:
    """The imports ``from <base> import <names>`` binds (``names`` as written)."""
    body = names.decode("ascii", "replace")
    if "#" in body:
        body = _COMMENT_RE.sub("", body)
    out: list[Import] = []
    for item in body.strip("()").split(","):
        item = item.strip()
        name = item.partition(" as ")[0].strip()
        if name == "*":
            out.append(Import("*", f"{base}.*"))
        elif name.isidentifier():
            out.append(Import(item.rpartition(" as ")[2].strip(), f"{base}.{name}"))
    return tuple(out)


_CHAIN_TAIL_RE = re.compile(rb"\.[A-Za-z_][\w.]*")


def chain_heads(imports: tuple[Import, ...]) -> set[str]:
    """The imported names an attribute chain may start from (not the stdlib's)."""
    return {
        imp.local
        for imp in imports
        if imp.local not in ("", "*")
        and imp.target.split(".")[0] not in sys.stdlib_module_names
    }


def scan_chains(data: bytes, heads: Iterable[str]) -> set[str]:
    """Attribute chains on the given names (``models.tags.read``) in a module.

    Such chains name the modules a file uses. Each name is looked up by
    plain search, which is far cheaper than matching every dotted name of
    the file.
    """
    chains: set[str] = set()
    for head in heads:
        needle = head.encode() + b"."
        i = data.find(needle)
        while i >= 0:
            before = data[i - 1 : i] if i else b" "
            if not (before.isalnum() or before in (b"_", b".")):
                m = _CHAIN_TAIL_RE.match(data, i + len(needle) - 1)
                if m:
                    chains.add(head + m.group(0).decode().rstrip("."))
            i = data.find(needle, i + 1)
    return chains


# Both forms start with a word character: the look-ahead turns away the
# indented and blank lines, most of a module, before either form is tried.
_DEF_RE = re.compile(
    rb"\n(?=\w)(?:(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)|(\w+)[ \t]*(?::[^=\n]*)?=)"
)


def scan_defined(data: bytes) -> tuple[str, ...]:
    """Top-level names a module defines, found by a regular expression."""
    names = {
        (m.group(1) or m.group(2)).decode("ascii", "replace")
        for m in _DEF_RE.finditer(b"\n" + data)
    }
    return tuple(sorted(names))


def defined_names(tree: ast.Module) -> tuple[str, ...]:
    """Top-level names a parsed module defines."""
    names: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            names.add(stmt.target.id)
    return tuple(sorted(names))


_CONST_RE = re.compile(
    rb"\n([A-Za-z_]\w*)[ \t]*(?::[ \t]*\w+[ \t]*)?=[ \t]*"
    rb"(?:\"([^\"\\\n]*)\"|'([^'\\\n]*)')[ \t]*(?:#[^\n]*)?(?=\n)"
)


def scan_constants(data: bytes) -> tuple[Field, ...]:
    """Module-level string constants found by a regular expression."""
    out: dict[str, Field] = {}
    for m in _CONST_RE.finditer(b"\n" + data + b"\n"):
        name = m.group(1).decode("ascii", "replace")
        value = (m.group(2) if m.group(2) is not None else m.group(3)) or b""
        out.setdefault(name, Field(name, (("s", value.decode("utf-8", "replace")),)))
    return tuple(out.values())


def _base(module: str, is_package: bool, level: int, mod: str | None) -> str:
    """The absolute module a relative import (``from ..x import y``) starts from."""
    if level == 0:
        return mod or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*parts, mod] if mod else parts)


def _defined_and_constants(data: bytes) -> tuple[tuple[str, ...], tuple[Field, ...]]:
    """Top-level names and string constants, in one pass over the module.

    Every constant line is an assignment line: the constant pattern is tried
    only where the names pattern found an assignment.
    """
    text = b"\n" + data + b"\n"
    names: set[str] = set()
    constants: dict[str, Field] = {}
    for m in _DEF_RE.finditer(text):
        name = (m.group(1) or m.group(2)).decode("ascii", "replace")
        names.add(name)
        if m.group(2) is None or name in constants:
            continue
        c = _CONST_RE.match(text, m.start())
        if c is not None:
            value = (c.group(2) if c.group(2) is not None else c.group(3)) or b""
            constants[name] = Field(name, (("s", value.decode("utf-8", "replace")),))
    return tuple(sorted(names)), tuple(constants.values())


def scan_summary(
    data: bytes, module: str, *, is_package: bool, error: str | None = None
) -> ModuleSummary:
    """What the cheap scans read of a module that is not parsed (or cannot be)."""
    imports = scan_imports(data, module, is_package=is_package)
    defined, constants = _defined_and_constants(data)
    return ModuleSummary(
        imports,
        (),
        (),
        (),
        (),
        (),
        (),
        constants,
        (),
        defined,
        error,
        False,
    )
