"""Read an alembic.ini: each configuration's scripts, version folders and file names."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass

# What `alembic revision` names a file when the ini sets no `file_template`.
DEFAULT_TEMPLATE = "%(rev)s_%(slug)s"


@dataclass(frozen=True, slots=True)
class IniSection:
    """One configuration of an alembic.ini (`alembic -n NAME` selects it)."""

    name: str
    config: str
    script: str
    # Version folders, the first where new files go: `script/versions` unless
    # `version_locations` names others.
    versions: tuple[str, ...]
    template: str
    # The `[alembic]` section's `file_template` where a named section sets
    # none: projects that keep one template there and run each section's
    # folder through the main configuration (`set_main_option(
    # "script_location", ...)`) name their files by it; `alembic -n NAME`
    # would not. Whose name the files carry tells which.
    main_template: str = ""


def read_sections(text: str, rel: str, files: Collection[str]) -> list[IniSection]:
    """Every section of the ini at `rel` that names a script location.

    One ini can hold several configurations (`[main]`, `[workspace]`), each
    with its own version folder and history. Unreadable text gives none.
    """
    import configparser  # only for projects with an alembic.ini

    # Alembic reads the file with configparser's interpolation and `here` set
    # to the file's folder: `%(script_location)s/versions` and `%%` mean what
    # they mean to alembic.
    parser = configparser.ConfigParser(defaults={"here": "."}, strict=False)
    base = posixpath.dirname(rel)
    found: list[IniSection] = []
    try:
        parser.read_string(text)
        main = parser.get("alembic", "file_template", fallback="").strip()
        for name in parser.sections():
            location = parser.get(name, "script_location", fallback="")
            script = _location(location, base, files) if location else None
            if script is None:
                continue
            listed = parser.get(name, "version_locations", fallback="").strip()
            folders = [
                folder
                for value in re.split(r"[\s,;]+", listed)
                if value and (folder := _location(value, base, files))
            ]
            template = parser.get(name, "file_template", fallback="").strip()
            found.append(
                IniSection(
                    name,
                    rel,
                    script,
                    tuple(folders) or (f"{script}/versions",),
                    template or DEFAULT_TEMPLATE,
                    "" if template or name == "alembic" else main,
                )
            )
    except (configparser.Error, ValueError):
        return []
    return found


def _location(value: str, base: str, files: Collection[str]) -> str | None:
    """A folder as alembic finds it: `package:folder` inside that package."""
    package, colon, inside = value.partition(":")
    # `package:folder` names a folder inside an importable package, wherever
    # the package lives, not beside the ini file.
    folder = _package_folder(package, files) if colon else None
    if folder is not None:
        return f"{folder}/{inside.replace(':', '/')}"
    return _join(base, value.replace(":", "/"))


def _package_folder(package: str, files: Collection[str]) -> str | None:
    """The project folder of an importable package, the shallowest if several."""
    marker = f"{package}/__init__.py"
    found = [
        f.removesuffix("/__init__.py")
        for f in files
        if f == marker or f.endswith("/" + marker)
    ]
    return min(found, key=lambda f: (f.count("/"), f)) if found else None


def _join(base: str, relative: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(base or ".", relative.strip()))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return joined
