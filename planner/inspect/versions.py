"""Read dependency versions from pyproject, requirements and lock files."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from planner.facts import PackageVersion, VersionKind
from planner.inspect.walk import is_requirements

TRACKED = frozenset({
    "aiosqlite", "alembic", "anyio", "asyncpg", "bcrypt", "beanie", "classy-fastapi",
    "databases", "email-validator", "fastapi", "fastapi-pagination",
    "fastapi-restful", "fastapi-users", "fastapi-utils", "httpx", "motor",
    "passlib", "psycopg", "psycopg2", "psycopg2-binary", "pwdlib", "pydantic",
    "pydantic-settings", "pyjwt", "pytest", "pytest-asyncio", "python-jose",
    "python-multipart", "sqlalchemy", "sqlmodel", "starlette", "tortoise-orm",
    "uvicorn",
})  # fmt: skip
_RANK: dict[VersionKind, int] = {
    "locked": 0, "pinned": 1, "lower-bound": 2, "upper-bound": 3, "unpinned": 4,
}  # fmt: skip
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)")
_CLAUSE = re.compile(r"\s*(===|==|~=|>=|<=|!=|>|<|\^|~)?\s*([^\s,]*)\s*")
MAX_BYTES = 8 * 1024 * 1024

Found = tuple[str, str, bool]  # (package name, constraint or version, is locked)


def normalize_name(name: str) -> str:
    """Return the PEP 503 form of a distribution name."""
    # re.sub(r"[-_.]+", "-", name), with plain string methods.
    name = name.replace("_", "-").replace(".", "-")
    while "--" in name:
        name = name.replace("--", "-")
    return name.lower()


def classify(constraint: str) -> tuple[VersionKind, str]:
    """Return the kind of a version constraint and the version it names."""
    clauses = [_CLAUSE.fullmatch(part) for part in constraint.split(",")]
    pairs = [(m.group(1) or "", m.group(2)) for m in clauses if m and m.group(2)]
    for op, version in pairs:
        if op in {"==", "==="} and not version.endswith("*"):
            return "pinned", version
        if op == "" and version != "*":
            return "pinned", version  # a bare version is exact in poetry and Pipfile
    for op, version in pairs:
        if op in {">=", ">", "~=", "^", "~"}:
            return "lower-bound", version
        if op == "==":
            return "lower-bound", version.rstrip(".*")
    for op, version in pairs:
        if op in {"<", "<="}:
            return "upper-bound", f"{op}{version}"
    return "unpinned", ""


def ceiling(constraint: str) -> str:
    """The upper bound a constraint sets (``<2.0.0``, ``<=1.9``), or "".

    ``~=1.4`` allows no 2.x, ``^1.10`` no 2.0 either and ``==0.116.*`` no
    0.117: their bound is the next release they exclude.
    """
    clauses = [_CLAUSE.fullmatch(part) for part in constraint.split(",")]
    for m in clauses:
        op, version = (m.group(1) or "", m.group(2)) if m else ("", "")
        if op in {"<", "<="} and version:
            return f"{op}{version}"
        parts = version.split(".")
        if op == "==" and version.endswith(".*") and parts[-2].isdigit():
            # `==0.116.*` is the 0.116 series: below 0.117.
            return "<" + ".".join([*parts[:-2], str(int(parts[-2]) + 1)])
        if op == "~=" and len(parts) >= 2 and parts[-2].isdigit():
            return "<" + ".".join([*parts[:-2], str(int(parts[-2]) + 1)])
        if op == "^" and parts and parts[0].isdigit():
            head = int(parts[0])
            if head > 0:
                return f"<{head + 1}"
            if len(parts) > 1 and parts[1].isdigit():
                return f"<0.{int(parts[1]) + 1}"
    return ""


def _requirement(line: str) -> Found | None:
    line = line.split(";", 1)[0].split(" #", 1)[0].strip()
    if not line or line.startswith(("#", "-", "git+", "http://", "https://")):
        return None
    match = _REQUIREMENT.fullmatch(line)
    if match is None:
        return None
    rest = match.group(2).strip().strip("()")
    return match.group(1), "" if rest.startswith("@") else rest, False


def _poetry_entries(table: Mapping[str, Any]) -> Iterator[Found]:
    for name, value in table.items():
        if isinstance(value, str):
            yield name, value, False
        elif isinstance(value, Mapping) and isinstance(value.get("version"), str):
            yield name, value["version"], False
        elif isinstance(value, list):  # poetry's multiple-constraint form
            for item in value:
                if isinstance(item, Mapping) and isinstance(item.get("version"), str):
                    yield name, item["version"], False
                    break


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _table(data: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    for key in keys:
        value = data.get(key)
        if not isinstance(value, Mapping):
            return {}
        data = value
    return data


def _pyproject(data: Mapping[str, Any]) -> Iterator[Found]:
    project = _table(data, "project")
    lines = list(_strings(project.get("dependencies")))
    for extra in _table(project, "optional-dependencies").values():
        lines.extend(_strings(extra))
    for group in _table(data, "dependency-groups").values():
        lines.extend(_strings(group))
    lines.extend(_strings(_table(data, "tool", "uv").get("dev-dependencies")))
    for group in _table(data, "tool", "pdm", "dev-dependencies").values():
        lines.extend(_strings(group))
    for line in lines:
        found = _requirement(line)
        if found is not None:
            yield found
    poetry = _table(data, "tool", "poetry")
    yield from _poetry_entries(_table(poetry, "dependencies"))
    yield from _poetry_entries(_table(poetry, "dev-dependencies"))
    for group in _table(poetry, "group").values():
        if isinstance(group, Mapping):
            yield from _poetry_entries(_table(group, "dependencies"))


def _lock_packages(data: Mapping[str, Any]) -> Iterator[Found]:
    packages = data.get("package")
    for item in packages if isinstance(packages, list) else ():
        if isinstance(item, Mapping):
            name, version = item.get("name"), item.get("version")
            if isinstance(name, str) and isinstance(version, str):
                yield name, version, True


# uv.lock and poetry.lock open every package table with its name and version.
_LOCK_HEADER = re.compile(r"^\[\[package\]\][ \t]*$", re.M)
_LOCK_ENTRY = re.compile(
    r'^\[\[package\]\][ \t]*\r?\nname = "([^"\\]+)"\r?\nversion = "([^"\\]+)"', re.M
)

# The rest of a package table: every line up to the next table header.
_LOCK_TABLE = re.compile(r"(?:\r?\n(?!\[)[^\n]*)*")
_LOCK_VERSION = re.compile(r"\nversion\s*=")


def _lock_entries(text: str) -> list[Found]:
    """The packages of a lock file, read from its package headers.

    A lock file of a large project is megabytes of TOML, most of it wheel
    hashes; when every package table starts as the lock tools write them
    (name, then version, or no version at all for the project itself), the
    name and version are read from those lines alone. Otherwise the whole
    file is parsed.
    """
    found: list[Found] = []
    for header in _LOCK_HEADER.finditer(text):
        entry = _LOCK_ENTRY.match(text, header.start())
        if entry is not None:
            found.append((entry.group(1), entry.group(2), True))
            continue
        table = _LOCK_TABLE.match(text, header.end())
        if table is None or _LOCK_VERSION.search(table.group(0)) is not None:
            return list(_lock_packages(tomllib.loads(text)))
    return found


def _pipfile_lock(data: Mapping[str, Any]) -> Iterator[Found]:
    for section in ("default", "develop"):
        for name, value in _table(data, section).items():
            if isinstance(value, Mapping) and isinstance(value.get("version"), str):
                yield name, value["version"].lstrip("="), True


def _pipfile(data: Mapping[str, Any]) -> Iterator[Found]:
    yield from _poetry_entries(_table(data, "packages"))
    yield from _poetry_entries(_table(data, "dev-packages"))


def _entries(rel: str, text: str) -> Iterable[Found]:
    name = PurePosixPath(rel).name
    if name == "pyproject.toml":
        return list(_pyproject(tomllib.loads(text)))
    if name in {"uv.lock", "poetry.lock"}:
        return _lock_entries(text)
    if name == "Pipfile.lock":
        loaded = json.loads(text)
        return list(_pipfile_lock(loaded)) if isinstance(loaded, Mapping) else []
    if name == "Pipfile":
        return list(_pipfile(tomllib.loads(text)))
    if is_requirements(rel):
        found = (_requirement(line) for line in text.splitlines())
        return [item for item in found if item is not None]
    return []


def _version(found: Found, source: str) -> PackageVersion | None:
    name, constraint, locked = found
    package = normalize_name(name)
    if package not in TRACKED:
        return None
    constraint = constraint.strip()
    if locked:
        kind: VersionKind = "locked"
        version = constraint
        constraint = f"=={version}"
    else:
        kind, version = classify(constraint)
    return PackageVersion(
        package=package,
        version=version,
        kind=kind,
        constraint=constraint.replace(" ", ""),
        source=source,
    )


def _read_text(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        return None if len(data) > MAX_BYTES else data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _priority(item: PackageVersion) -> tuple[int, int, str]:
    return _RANK[item.kind], item.source.count("/"), item.source


def read_versions(
    root: Path, files: Sequence[str]
) -> tuple[tuple[PackageVersion, ...], tuple[str, ...]]:
    """Return the best-known version of each tracked package, and unreadable files.

    A lock file wins over a pin, a pin over a range; among equals the file
    nearest the project root wins.
    """
    best: dict[str, PackageVersion] = {}
    unreadable: list[str] = []
    for rel in files:
        text = _read_text(root / rel)
        try:
            entries = _entries(rel, text) if text is not None else None
        except (tomllib.TOMLDecodeError, json.JSONDecodeError):
            entries = None
        if entries is None:
            unreadable.append(rel)
            continue
        for entry in entries:
            found = _version(entry, rel)
            if found is None:
                continue
            current = best.get(found.package)
            if current is None or _priority(found) < _priority(current):
                best[found.package] = found
    return tuple(best[name] for name in sorted(best)), tuple(unreadable)


def major(version: PackageVersion | None) -> int | None:
    """Return the major version a constraint allows, if it says."""
    if version is None:
        return None
    digits = re.match(r"[<=]*(\d+)(?:\.(\d+))?", version.version)
    if digits is None:
        return None
    number = int(digits.group(1))
    if version.kind == "upper-bound" and version.version.startswith("<"):
        exclusive = not version.version.startswith("<=")
        minor = int(digits.group(2) or 0)
        return number - 1 if exclusive and minor == 0 and number > 0 else number
    return number
