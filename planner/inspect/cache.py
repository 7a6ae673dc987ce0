"""The layout of a project, kept under `.planner/cache/model/` while nothing changed.

Reading a large project's files takes most of a plan's time; a second run
with the same files (same paths, sizes and modification times) and the same
planner reads the layout back instead. JSON, never pickle: a cache in a
cloned repository is untrusted input.
"""

from __future__ import annotations

import dataclasses
import json
import os
import typing
from pathlib import Path
from typing import Any

from planner.inspect.layout import Layout
from planner.inspect.model.files import cache_folder, code_digest, make_cache_folder
from planner.inspect.model.modelcache import fingerprint

__all__ = ["cached_layout"]

FILE = "layout.json"


def cached_layout(
    root: Path, read: typing.Callable[[], Layout], api_app: str = ""
) -> Layout:
    """Return the layout `read` gives for `root` and its API app.

    It comes from the cache when the files and planner are unchanged.
    """
    key = fingerprint(root, f"layout\0{code_digest()}\0{api_app}")
    path = cache_folder(root) / FILE
    found = _load(path, key)
    if found is not None:
        return found
    layout = read()
    if layout.source != "default":  # an empty folder has nothing worth keeping
        _save(path, key, layout)
    return layout


def _load(path: Path, key: str) -> Layout | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return _layout(data["layout"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _layout(values: dict[str, Any]) -> Layout:
    """Rebuild a Layout from its JSON data, checking every field's shape."""
    hints = typing.get_type_hints(Layout)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(Layout):
        value = values[item.name]
        hint = hints[item.name]
        origin = typing.get_origin(hint)
        if origin is frozenset:
            fields[item.name] = frozenset(_strings(value))
        elif hint == tuple[tuple[str, str], ...]:
            fields[item.name] = tuple((str(a), str(b)) for a, b in value)
        elif hint == tuple[tuple[str, str, str], ...]:
            fields[item.name] = tuple((str(a), str(b), str(c)) for a, b, c in value)
        elif origin is tuple:
            fields[item.name] = tuple(_strings(value))
        else:
            fields[item.name] = value
    return Layout(**fields)


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of strings")
    return value


def _save(path: Path, key: str, layout: Layout) -> None:
    from planner.render.data import to_data

    text = json.dumps({"key": key, "layout": to_data(layout)}, sort_keys=True)
    try:
        make_cache_folder(path.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return  # a read-only checkout still plans; it is only slower next time
