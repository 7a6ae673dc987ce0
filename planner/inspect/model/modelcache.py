"""A project-level cache: the whole model, keyed by every file's path, size and mtime.

A warm read only lists the tree (``os.scandir``, no file is opened) and loads one
JSON file. Any added, removed or touched file changes the key and the model is
read again (the per-file parse cache still spares the unchanged files).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .codec import decode, encode
from .files import (
    CACHE_VERSION,
    cache_folder,
    cache_text,
    drop_others,
    make_cache_folder,
)
from .records import ProjectModel
from .shared import tree_listing


def _code_digest() -> str:
    """A digest of the model's own code: a changed planner never reads a stale model."""
    h = hashlib.sha256()
    for src in sorted(Path(__file__).parent.glob("*.py")):
        h.update(src.read_bytes())
    return h.hexdigest()[:12]


MODEL_VERSION = f"{CACHE_VERSION}-model-{_code_digest()}"


def fingerprint(root: Path, extra: str) -> str:
    """A digest of every project file's path, size and modification time.

    The listing behind it is shared (:func:`.shared.tree_listing`): the model's
    and the layout's caches check one walk of the tree.
    """
    listing = tree_listing(root)
    return hashlib.sha256(
        f"{MODEL_VERSION}\0{extra}\0{listing.digest}".encode()
    ).hexdigest()


def _file(root: Path) -> Path:
    return cache_folder(root) / f"{MODEL_VERSION}.json"


def load(root: Path, key: str) -> ProjectModel | None:
    """The cached model when its key matches, else None."""
    try:
        data = json.loads(_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        return _decode(data["model"])
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _decode(values: list[Any]) -> ProjectModel:
    model: ProjectModel = decode(ProjectModel, values)
    return model


def save(root: Path, key: str, model: ProjectModel) -> None:
    """Write the model under ``.planner/cache`` (silently skipped when read-only)."""
    values = encode(model)
    path = _file(root)
    try:
        make_cache_folder(path.parent)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(cache_text({"key": key, "model": values}), encoding="utf-8")
        tmp.replace(path)
        drop_others(path, r"model-parse-\d+-model-\w+\.json")
    except OSError:
        return
