"""One walk, one read and one parse of each file, shared by every pass of a run.

Planning reads a project twice: into facts (the layout) and into the model.
Inside :func:`one_read` both passes take the same listing, the same file bytes
and the same syntax trees; outside it each call reads the tree anew, so a
long-running process (the MCP server) never sees a stale project.
"""

from __future__ import annotations

import ast
import gc
import importlib.util
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from .files import (
    ParseCache,
    ProjectFiles,
    TreeListing,
    cache_folder,
    list_tree,
    walk_project,
    without,
)

__all__ = [
    "forget",
    "kept_tree",
    "memo",
    "one_read",
    "parse_block",
    "parse_bytes",
    "parse_data",
    "parse_store",
    "paused_gc",
    "project_files",
    "remember",
    "sharing",
    "source_lines",
    "tree_listing",
]

T = TypeVar("T")
Parsed = ast.Module | Exception

_SCOPE: ContextVar[dict[tuple[str, str], object] | None] = ContextVar(
    "planner_one_read", default=None
)
# What a parse may raise on source that is not valid for this Python.
PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


@contextmanager
def one_read() -> Iterator[None]:
    """Share one listing, one read and one parse per file for the block's length.

    The cyclic collector is held for the whole block (see :func:`paused_gc`).
    """
    with paused_gc():
        token = _SCOPE.set({})
        try:
            yield
        finally:
            _SCOPE.reset(token)  # the trees go now, by reference counting


def memo(kind: str, key: str, make: Callable[[], T]) -> T:
    """``make()``, made once per `kind` and `key` inside :func:`one_read`."""
    scope = _SCOPE.get()
    if scope is None:
        return make()
    if (kind, key) not in scope:
        scope[kind, key] = make()
    found: T = scope[kind, key]  # type: ignore[assignment]
    return found


def forget(kind: str, key: str) -> None:
    """Drop what :func:`memo` made for `kind` and `key`: it is needed no more."""
    scope = _SCOPE.get()
    if scope is not None:
        scope.pop((kind, key), None)


def sharing() -> bool:
    """Whether a :func:`one_read` block is open (what :func:`memo` makes is kept)."""
    return _SCOPE.get() is not None


def remember(kind: str, key: str, value: object) -> None:
    """Keep what :func:`memo` would make for `kind` and `key`, made elsewhere."""
    scope = _SCOPE.get()
    if scope is not None:
        scope[kind, key] = value


def _key(root: Path, ignore: frozenset[str]) -> str:
    return "\0".join((os.fspath(root), *sorted(ignore)))


def tree_listing(root: Path, ignore: frozenset[str] = frozenset()) -> TreeListing:
    """Every file of the project with its stats (once per :func:`one_read`).

    Files whose relative path is in ``ignore`` are left out, as if absent; the
    whole tree is still listed once and filtered for each ``ignore``.
    """
    if not ignore:
        return memo("listing", _key(root, ignore), lambda: list_tree(root))
    return memo(
        "listing", _key(root, ignore), lambda: without(tree_listing(root), ignore)
    )


def project_files(root: Path, ignore: frozenset[str] = frozenset()) -> ProjectFiles:
    """The project's Python sources, read once (per :func:`one_read`).

    Files whose relative path is in ``ignore`` are left out, as if absent.
    """
    # Inside a run that shares its reads, the walk reads back each file's
    # relevance from the store the model and the facts read and save.
    return memo(
        "files",
        _key(root, ignore),
        lambda: walk_project(
            root,
            tree_listing(root, ignore),
            store=parse_store(root) if sharing() else None,
        ),
    )


def parse_store(root: Path) -> ParseCache:
    """The project's parse cache, loaded once per :func:`one_read`.

    The model and the facts then read and keep their entries in one store.
    """
    return memo("store", os.fspath(root), lambda: ParseCache(cache_folder(root)))


def parse_data(data: bytes | str) -> Parsed:
    """The syntax tree of source bytes, or the error that stopped the parse.

    Code newer than the running Python (type parameters, ``except A, B:``)
    is read again with that syntax rewritten away (`normalise`); the first
    error stands where that fails too.
    """
    with warnings.catch_warnings():
        # Invalid escape sequences in old code warn; they are not our concern.
        warnings.simplefilter("ignore")
        try:
            return ast.parse(data)
        except PARSE_ERRORS as exc:
            first = exc
        if isinstance(first, SyntaxError | ValueError):
            # Imported here: most projects parse as they are, and a run that
            # reads its model back from the cache parses nothing.
            from .normalise import normalise_source

            try:
                # As Python reads it (its coding line); bytes it cannot
                # decode stay an error.
                src = (
                    importlib.util.decode_source(data)
                    if isinstance(data, bytes)
                    else data
                )
                return ast.parse(normalise_source(src))
            except (*PARSE_ERRORS, LookupError):
                pass
        return first


def forget_tree(digest: str) -> None:
    """Let a file's syntax tree go once every pass that reads it has read it.

    A tree freed at once is freed from the processor's cache: far cheaper
    than thousands of them at the end of the run.
    """
    forget("tree", digest)


def parse_bytes(data: bytes, digest: str) -> Parsed:
    """The syntax tree of a file's bytes, or the error that stopped the parse.

    Keyed by the bytes' digest, so the facts and the model parse a file once.
    """
    return memo("tree", digest, lambda: parse_data(data))


def kept_tree(digest: str) -> Parsed | None:
    """What :func:`parse_bytes` made of a file's bytes and still keeps, else None."""
    scope = _SCOPE.get()
    found = scope.get(("tree", digest)) if scope is not None else None
    return found if isinstance(found, ast.Module | Exception) else None


def source_lines(data: bytes, digest: str) -> list[str] | None:
    """A file's decoded source split into lines, None if it cannot be decoded.

    Made once per :func:`one_read` and digest: a file's functions are parsed
    one by one (see :func:`parse_block`).
    """

    def make() -> list[str] | None:
        try:
            return importlib.util.decode_source(data).split("\n")
        except (SyntaxError, UnicodeDecodeError, LookupError):
            return None

    return memo("lines", digest, make)


def parse_block(
    data: bytes, digest: str, line: int, through: int = 0
) -> ast.Module | None:
    """The statements from ``line`` (1-based) on, parsed alone, their lines kept.

    The block runs past ``through`` (default ``line``) to the first line
    indented no deeper than ``line`` that starts a statement. A string,
    bracket or continuation that crosses either end leaves the block
    unparseable (None); a block that parses holds the file's own statements,
    token for token, as long as ``line`` starts one and the file parses
    whole. A caller checks that the statement it wants is there.
    """
    lines = source_lines(data, digest)
    if lines is None or not 1 <= line <= max(line, through) <= len(lines):
        return None
    first = lines[line - 1]
    base = first[: len(first) - len(first.lstrip(" \t"))]
    if base and line < 2:
        return None
    end = max(line, through)
    while end < len(lines):
        text = lines[end].lstrip(" \t")
        lead = lines[end][: len(lines[end]) - len(text)]
        # A closing bracket ends a signature or call, not the statement.
        if text and not text[0].isspace() and text[0] not in "#)]}":
            if base.startswith(lead):
                break
        end += 1
    block = "\n".join(lines[line - 1 : end])
    # An indented block is parsed inside `if 1:`, on the line before its own.
    head = "\n" * (line - 2) + "if 1:\n" if base else "\n" * (line - 1)
    parsed = parse_data(head + block)
    return parsed if isinstance(parsed, ast.Module) else None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic collector while syntax trees and summaries are built.

    They are many small objects without cycles: a collection finds nothing to
    free but walks them all, and one is due every few hundred allocations, so
    the collector only slows reading down (about threefold). What is still
    alive at the end is frozen (``gc.freeze``) so that no later collection
    walks it either; reference counting still frees it.
    """
    if not gc.isenabled():
        yield  # an outer block holds it already
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
