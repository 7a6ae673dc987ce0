"""The files of an implemented plan, which `render` and `check` plan without.

Planning again with the files a plan creates in view would see the plan half
done: a file to create becomes one to change, the new router a resource to
copy, the new migration the head to build on. So each plan is made again with
the files it creates read as absent, and implementing a plan is no drift.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

__all__ = ["implemented"]

# A leading part of a migration's file name that Alembic or the team picks:
# a revision id, a number, a date or time, or the plan's `<revision>`
# placeholder. The words after it are its slug.
_PREFIX_WORD = re.compile(r"[0-9a-f]{12}|[A-Za-z]?\d+|<[^<>]*>")


def implemented(project: Path, created: Iterable[str]) -> frozenset[str]:
    """Return the files, of those a plan creates, that the project has now.

    A planned migration is matched by its words, not its name: Alembic picks
    its own revision id (and `-m` its own wording), so the plan's
    `<rev>_add_invoices.py` may be written as `<other>_create_invoices_table.py`.
    Any migration beside it whose slug holds the planned one's words (after
    its verb) is the plan's.
    """
    found: set[str] = set()
    for rel in created:
        if _exists(project / rel):
            found.add(rel)
        words = _slug(PurePosixPath(rel).name)
        if words:
            found.update(_migrations_like(project, rel, words))
    return frozenset(found)


def _slug(name: str) -> tuple[str, ...] | None:
    """The words of a migration file's slug; None for a name not shaped so."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix != "py":
        return None
    words = stem.split("_")
    start = 0
    while start < len(words) and _PREFIX_WORD.fullmatch(words[start]):
        start += 1
    if start == 0 or start == len(words):
        return None
    return tuple(words[start:])


def _migrations_like(project: Path, rel: str, words: tuple[str, ...]) -> set[str]:
    """The migrations beside `rel` that hold the words of its slug."""
    folder = PurePosixPath(rel).parent
    wanted = set(words[1:] or words)  # `add`, `create`: the verb is anyone's
    try:
        with os.scandir(project / folder) as entries:
            names = [e.name for e in entries if e.is_file(follow_symlinks=False)]
    except OSError:
        return set()
    return {
        (folder / name).as_posix()
        for name in names
        if (slug := _slug(name)) is not None and wanted <= set(slug)
    }


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False  # a name too long for the file system, say
