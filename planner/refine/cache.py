"""The answer cache: `.planner/cache/<prompt sha256>.json`, safe to commit."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.errors import PlannerError, RefineError
from planner.fileio import check_inside, read_text, write_atomic
from planner.refine.progress import Progress

__all__ = ["CACHE_FORMAT", "cache_path", "read_cache", "write_cache"]

CACHE_FORMAT = "planner-llm-cache/1"
MAX_ENTRY_BYTES = 4_000_000


def cache_path(project: Path, sha256: str) -> Path:
    """Return `<project>/.planner/cache/<sha256>.json`."""
    return project / ".planner" / "cache" / f"{sha256}.json"


def read_cache(path: Path, sha256: str) -> dict[str, Any] | None:
    """Return the cache entry for a prompt hash, or None when there is none.

    An entry is a regular file of at most MAX_ENTRY_BYTES inside the project
    (`path` is `<project>/.planner/cache/<sha256>.json`).

    Raises:
        RefineError: The entry is unreadable, not JSON or not for this prompt.
        UnsafePathError: A symlink on the way leads out of the project.
    """
    check_inside(path.parent.parent.parent, path, what="the answer cache")
    try:
        data = json.loads(read_text(path, limit=MAX_ENTRY_BYTES))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as err:
        raise RefineError(
            f"unreadable cache entry: {err}",
            where=str(path),
            hint="delete the file to ask the model again",
        ) from err
    valid = (
        isinstance(data, dict)
        and data.get("format") == CACHE_FORMAT
        and data.get("prompt_sha256") == sha256
        and isinstance(data.get("answer"), str)
    )
    if not valid:
        raise RefineError(
            "not a planner cache entry for this prompt",
            where=str(path),
            hint="delete the file to ask the model again",
        )
    entry: dict[str, Any] = data
    return entry


def write_cache(path: Path, entry: Mapping[str, Any], progress: Progress) -> None:
    """Write a cache entry atomically; a failure is a note, not an error."""
    text = json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        # Never through a symlink out of the project (.planner/cache -> ~).
        check_inside(path.parent.parent.parent, path, what="the answer cache")
        write_atomic(path, text, force=True)
    except PlannerError as err:
        # The answer is good; failing to cache it costs a call next time, no more.
        progress.note(f"could not cache the answer: {err}")
