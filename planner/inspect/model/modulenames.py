"""The dotted names of a project's modules, as its own imports spell them."""

from __future__ import annotations

import re

from .files import SourceFile


def module_name(path: str, packages: frozenset[str]) -> tuple[str, bool]:
    """Dotted module name of a file: climb while the folder is a package."""
    parts = path[:-3].split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    start = len(parts) - 1
    # Folders without __init__.py inside a package are namespace subpackages:
    # the name starts at the top-most package folder above the file.
    for k in range(1, len(parts)):
        if "/".join(parts[:k]) in packages:
            start = k - 1
            break
    return ".".join(parts[start:]), is_package


_IMPORT_HEAD = re.compile(rb"^[ \t]*(?:from|import)[ \t]+(\w+)", re.M)


def import_roots(
    sources: tuple[SourceFile, ...], packages: frozenset[str]
) -> frozenset[str]:
    """The package folders, less a `src/` its own code does not import by name.

    A stray `src/__init__.py` does not make `src` part of the modules' names
    when the code inside it imports `app.api` (it runs with `src/` on the
    path) more often than `src.app.api`.
    """
    out = set(packages)
    for root in sorted(p for p in packages if p == "src" or p.endswith("/src")):
        children = {
            p[len(root) + 1 :]
            for p in packages
            if p.startswith(root + "/") and p.count("/") == root.count("/") + 1
        }
        named = inner = 0
        for src in sources:
            if not src.path.startswith(root + "/") or b"import" not in src.data:
                continue
            for m in _IMPORT_HEAD.finditer(src.data):
                head = m.group(1).decode()
                named += head == "src"
                inner += head in children
        if inner > named:
            out.discard(root)
    return frozenset(out)


def namespace_packages(
    sources: tuple[SourceFile, ...], packages: frozenset[str]
) -> frozenset[str]:
    """Folders without `__init__.py` that imports name as packages (PEP 420).

    ``api/`` above a package ``api/v1/`` is a namespace package where the
    code imports ``api.v1`` (run from the folder above ``api``) more often
    than ``v1`` alone, and so on one folder up at a time. Only the folders
    above a top-most package are asked, so a tree's other folders never are;
    each folder's name is searched for once, as plain bytes.
    """
    out: set[str] = set()
    holding: dict[str, list[bytes]] = {}
    for top in sorted(packages):
        if "/" not in top or any(a in packages for a in _ancestors(top)):
            continue
        folder, _, name = top.rpartition("/")
        while folder and folder not in packages:
            head = folder.rpartition("/")[2]
            if head not in holding:
                needle = head.encode() + b"."
                holding[head] = [s.data for s in sources if needle in s.data]
            dotted = f"{head}.{name}"
            # The bare name is counted only where the dotted one is imported:
            # it occurs in most files of a package.
            count = _imports_of(holding[head], dotted)
            if not count or count <= _imports_of([s.data for s in sources], name):
                break
            out.add(folder)
            folder, name = folder.rpartition("/")[0], dotted
    return frozenset(out)


def _ancestors(path: str) -> list[str]:
    """The folders above a path, outermost first."""
    parts = path.split("/")
    return ["/".join(parts[:k]) for k in range(1, len(parts))]


def _imports_of(texts: list[bytes], dotted: str) -> int:
    """How many import statements name ``dotted`` or a module inside it."""
    pattern = re.compile(
        rb"^[ \t]*(?:from|import)[ \t]+" + re.escape(dotted.encode()) + rb"(?![\w])",
        re.M,
    )
    return sum(len(pattern.findall(t)) for t in texts if dotted.encode() in t)
