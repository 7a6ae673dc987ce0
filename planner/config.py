"""Project configuration: `[tool.planner]` in the project's pyproject.toml."""

import dataclasses
import functools
import re
import tomllib
import typing
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from planner.errors import SpecError, suggest
from planner.fileio import read_text
from planner.inspect.layout import Layout
from planner.specfile import write_atomic

__all__ = [
    "LAYOUT_KEYS",
    "LlmConfig",
    "PlannerConfig",
    "apply_layout_overrides",
    "load_config",
    "save_config_value",
]

PYPROJECT = "pyproject.toml"
MAX_PYPROJECT_BYTES = 2_000_000
# Folders planner must never write plans or specs into: version control
# metadata (a plan in .git/hooks could be run by git).
_PROTECTED = frozenset({".git", ".hg", ".svn"})
TABLE = "tool.planner"
# Compiled on first use (re's cache): only configs with `defaults` need it.
_APP_REFERENCE = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")
_DOTTED_KEY = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


def _string_fields() -> tuple[str, ...]:
    """Return the Layout fields a user may override: those holding one string."""
    names = []
    for name, annotation in typing.get_type_hints(Layout).items():
        args = get_args(annotation)
        is_literal = get_origin(annotation) is Literal
        if annotation is str or args == (str, type(None)) or is_literal:
            names.append(name)
    return tuple(sorted(set(names) - {"source"}))


LAYOUT_KEYS = _string_fields()
_DEFAULTS = Layout()
_PATH_KEYS = frozenset(
    name
    for name in LAYOUT_KEYS
    if isinstance(getattr(_DEFAULTS, name), str) and "/" in getattr(_DEFAULTS, name)
)


def _choice(key: str, value: str) -> None:
    """Accept `value` for a layout setting that takes one of a few words."""
    annotation = typing.get_type_hints(Layout)[key]
    if get_origin(annotation) is Literal and value not in get_args(annotation):
        words = [repr(word) for word in get_args(annotation)]
        choices = f"{', '.join(words[:-1])} or {words[-1]}"
        raise ValueError(f"{key}: Input should be {choices}")


def _relative_path(value: str) -> str:
    """Accept a relative, forward-slash path that stays inside the project."""
    path = PurePosixPath(value)
    if not value or "\\" in value or path.is_absolute() or ".." in path.parts:
        raise ValueError(
            f"{value!r} must be a relative path inside the project, with '/'"
        )
    return path.as_posix()


class LlmConfig(BaseModel):
    """`[tool.planner.llm]`: the optional refinement pass (the key stays in env)."""

    # Built on first validation: a project without `[tool.planner]` gets its
    # defaults without pydantic building either model.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    base_url: str | None = None
    model: str | None = None
    api_key_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] = (
        "PLANNER_LLM_API_KEY"
    )
    timeout: Annotated[float, Field(gt=0, le=3600)] = 60.0
    max_tokens: Annotated[int, Field(ge=1, le=1_000_000)] = 4000
    temperature: Annotated[float, Field(ge=0, le=2)] = 0.0


class PlannerConfig(BaseModel):
    """`[tool.planner]`: where specs and plans live, and project-wide defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    specs_dir: str = ".planner/specs"
    plans_dir: str = ".claude/docs"
    layout: dict[str, str] = {}
    defaults: dict[str, Any] = {}
    packs: tuple[str, ...] = ()
    llm: LlmConfig = Field(default_factory=LlmConfig)
    # The API app as `module:attribute` (`app.main:app`, `app.main:create_app`),
    # for projects with several FastAPI apps (docs/project-model.md).
    app: str | None = None

    @field_validator("app")
    @classmethod
    def _app_reference(cls, value: str | None) -> str | None:
        if value is not None and not _APP_REFERENCE.fullmatch(value):
            raise ValueError(
                f"{value!r} is not `module:attribute`, e.g. 'app.main:app'"
            )
        return value

    @field_validator("specs_dir", "plans_dir")
    @classmethod
    def _inside(cls, value: str) -> str:
        path = _relative_path(value)
        if path == ".":
            raise ValueError(
                "must be a folder of its own, not the project's root: every "
                "*.toml there (pyproject.toml too) would be read as a spec"
            )
        if any(part.lower() in _PROTECTED for part in PurePosixPath(path).parts):
            raise ValueError(f"{value!r} is inside version control's own folder")
        return path

    @field_validator("layout")
    @classmethod
    def _layout_keys(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if key not in LAYOUT_KEYS:
                close = suggest(key, list(LAYOUT_KEYS))
                tip = f"did you mean {close!r}? " if close else ""
                known = "" if close else f"settings: {', '.join(LAYOUT_KEYS)}"
                raise ValueError(f"{key}: not a layout setting; {tip}{known}")
            if key in _PATH_KEYS:
                try:
                    _relative_path(value[key])
                except ValueError as err:
                    raise ValueError(f"{key}: {err}") from err
            _choice(key, value[key])
        return value

    @field_validator("defaults", mode="before")
    @classmethod
    def _flatten_defaults(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        flat = _flatten(value)
        for key in flat:
            if not re.match(_DOTTED_KEY, key):
                raise ValueError(
                    f"{key!r} is not a dotted spec key (e.g. 'auth.required')"
                )
        return flat


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested tables into dotted keys; both TOML spellings mean the same."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{dotted}."))
        else:
            out[dotted] = value
    return dict(sorted(out.items()))


def load_config(project: Path) -> PlannerConfig:
    """Read `[tool.planner]` from `<project>/pyproject.toml`; defaults when absent.

    A command asks for the config in several places; the file is read once
    while it is unchanged.

    Raises:
        SpecError: pyproject.toml is not valid TOML, or a setting is wrong; the
            message names `tool.planner.<key>`.
    """
    path = project / PYPROJECT
    try:
        stat = path.stat()
    except OSError:
        return _read_config(path, None)
    return _read_config(path, (stat.st_mtime_ns, stat.st_size, stat.st_ino))


@functools.lru_cache(maxsize=16)
def _read_config(path: Path, version: tuple[int, int, int] | None) -> PlannerConfig:
    """Read the config at `path`; `version` keys the cache on the file's state."""
    del version
    try:
        text = read_text(path, limit=MAX_PYPROJECT_BYTES)
    except FileNotFoundError:
        return _defaults()
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise SpecError(f"cannot read: {reason}", where=str(path)) from err
    try:
        data = tomllib.loads(text)
    except RecursionError as err:
        raise SpecError(
            "not valid TOML: arrays or tables are nested too deeply", where=str(path)
        ) from err
    except tomllib.TOMLDecodeError as err:
        raise SpecError(
            f"not valid TOML: {err}",
            where=str(path),
            hint="check quotes, brackets and `key = value` syntax",
        ) from err
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise SpecError("tool: must be a table", where=str(path))
    table = tool.get("planner")
    if table is None:
        return _defaults()
    return validate_config(table, where=str(path))


def _defaults() -> PlannerConfig:
    """The settings of a project without `[tool.planner]`: `PlannerConfig()`."""
    return PlannerConfig.model_construct(llm=LlmConfig.model_construct())


def validate_config(table: Any, *, where: str = PYPROJECT) -> PlannerConfig:
    """Validate the plain data of a `[tool.planner]` table."""
    if not isinstance(table, dict):
        raise SpecError(f"{TABLE}: must be a table", where=where)
    try:
        return PlannerConfig.model_validate(table)
    except ValidationError as err:
        raise _translate(err, where) from err


def _translate(err: ValidationError, where: str) -> SpecError:
    lines: list[str] = []
    hints: list[str] = []
    for error in err.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        key = ".".join([TABLE, *loc])
        if error["type"] == "extra_forbidden":
            model = LlmConfig if loc[:1] == ["llm"] else PlannerConfig
            known = sorted(model.model_fields)
            close = suggest(loc[-1], known)
            tip = f"did you mean {close!r}? " if close else ""
            lines.append(f"{key}: unknown setting")
            hints.append(f"{tip}settings here: {', '.join(known)}")
            if loc[-1] in {"api_key", "key", "token"}:
                hints.append("keys are never read from files: set api_key_env")
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            if loc == ["layout"]:
                # The validator names the setting first: `route_module: ...`.
                setting, _, message = message.partition(": ")
                key = f"{key}.{setting}"
            lines.append(f"{key}: {message}")
    return SpecError(
        "\n".join(lines),
        where=where,
        hint="; ".join(hints) or "see docs/config.md for every setting",
    )


def apply_layout_overrides(layout: Layout, config: PlannerConfig) -> Layout:
    """Return `layout` with the `[tool.planner.layout]` values put in."""
    if not config.layout:
        return layout
    # Values were checked against Layout when the config was loaded.
    values: dict[str, Any] = dict(config.layout)
    return dataclasses.replace(layout, **values, source="configured")


def save_config_value(project: Path, key: str, value: Any) -> None:
    """Set `tool.planner.<key>` in pyproject.toml, keeping comments and layout.

    `key` is dotted below `tool.planner`: `plans_dir`, `llm.model`,
    `layout.route_module`, or `defaults.<dotted spec key>` (kept as one key).
    The file is written atomically and only if the result is a valid config.

    Raises:
        SpecError: pyproject.toml is not valid TOML, or the result is invalid.
        ValueError: `key` is empty.
    """
    import tomlkit
    import tomlkit.exceptions

    parts = key.split(".")
    if not key or not all(parts):
        raise ValueError(f"not a config key: {key!r}")
    path = project / PYPROJECT
    try:
        text = read_text(path, limit=MAX_PYPROJECT_BYTES)
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"cannot read: {err}", where=str(path)) from err
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as err:
        raise SpecError(f"not valid TOML: {err}", where=str(path)) from err
    table: Any = document
    for name in ("tool", "planner"):
        if name not in table:
            table[name] = tomlkit.table(is_super_table=name == "tool")
        table = table[name]
    if parts[0] in {"defaults", "layout"} and len(parts) > 1:
        parts = [parts[0], ".".join(parts[1:])]
    for name in parts[:-1]:
        if name not in table:
            table[name] = tomlkit.table()
        table = table[name]
    table[parts[-1]] = value
    validate_config(document.unwrap()["tool"]["planner"], where=str(path))
    write_atomic(path, tomlkit.dumps(document), force=True)
