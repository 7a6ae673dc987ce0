"""Specs to and from TOML (comments kept), and safe, atomic file writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel, ValidationError

from planner.errors import (
    OutputExistsError,
    SpecError,
    UnsafePathError,
    WriteError,
    suggest,
)
from planner.kinds import KINDS, SCHEMA_URL
from planner.spec import AnySpec

if TYPE_CHECKING:
    # tomlkit is imported where comments must survive (parse_spec, dump_spec);
    # reading a spec for its data needs only tomllib, from the standard library.
    import tomlkit
    from tomlkit.container import Container
    from tomlkit.items import InlineTable, Table

MAX_SPEC_BYTES = 1_000_000


@dataclass(frozen=True)
class SpecFile:
    """A validated spec with the TOML document it came from (comments and all)."""

    spec: AnySpec
    document: tomlkit.TOMLDocument
    source: str


def parse_spec(text: str, *, source: str = "<spec>") -> SpecFile:
    """Parse and validate spec TOML; errors name the file, line and key."""
    document = _parse_document(text, source=source)
    data = document.unwrap()
    return SpecFile(
        spec=validate_spec(data, source=source), document=document, source=source
    )


def _check_size(text: str, *, source: str) -> None:
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError(
            f"spec is {len(text):,} characters; the limit is {MAX_SPEC_BYTES:,}",
            where=source,
            hint="a spec describes one feature: split it into several specs",
        )


def _parse_document(text: str, *, source: str) -> tomlkit.TOMLDocument:
    import tomlkit
    import tomlkit.exceptions

    _check_size(text, source=source)
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as err:
        raise SpecError(
            f"not valid TOML: {err.args[0] if err.args else err}",
            where=f"{source}:{err.line}:{err.col}",
            hint="check quotes, brackets and `key = value` syntax near that line",
        ) from err


def spec_from_text(text: str, *, source: str = "<spec>") -> AnySpec:
    """Parse and validate spec TOML for its data only (no document is kept).

    Gives the spec, and the errors, that `parse_spec` gives.
    """
    _check_size(text, source=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # tomlkit's message names the line and column; it raises the same error
        # `parse_spec` does (and returns the data, should it accept the text).
        data = _parse_document(text, source=source).unwrap()
    return validate_spec(data, source=source)


def validate_spec(data: dict[str, Any], *, source: str = "<spec>") -> AnySpec:
    """Validate plain data as a spec, translating errors into one SpecError."""
    kind = data.get("kind")
    if kind is None:
        raise SpecError(
            "missing key 'kind'",
            where=source,
            hint=f'add kind = "crud-resource" (one of: {", ".join(KINDS)})',
        )
    if not isinstance(kind, str) or kind not in KINDS:
        close = suggest(str(kind), list(KINDS))
        tip = f"did you mean {close!r}? " if close else ""
        raise SpecError(
            f"kind: {kind!r} is not a spec kind",
            where=source,
            hint=f"{tip}kinds: {', '.join(KINDS)}",
        )
    model = KINDS[kind].model
    try:
        # The kind's own model, not the tagged union spec_adapter: the same
        # checks and errors, and only that kind's schema is ever built.
        return model.model_validate(data)
    except ValidationError as err:
        raise _translate(err, model, source) from err


def _translate(err: ValidationError, model: type[BaseModel], source: str) -> SpecError:
    lines: list[str] = []
    hints: list[str] = []
    for error in err.errors(include_url=False)[:10]:
        loc = tuple(error["loc"])
        if loc and isinstance(loc[0], str) and loc[0] in KINDS:
            loc = loc[1:]  # the union's tag, which the user did not write
        key = _key_path(loc)
        message, hint = _describe(error, model, loc)
        lines.append(f"{key}: {message}" if key else message)
        if hint and hint not in hints:
            hints.append(hint)
    extra = len(err.errors()) - len(lines)
    if extra > 0:
        lines.append(f"... and {extra} more")
    return SpecError(
        "\n".join(lines),
        where=source,
        hint="; ".join(hints) or "see docs/spec.md for every key",
    )


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "tuple[", "list[")):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(
    error: Any, model: type[BaseModel], loc: tuple[int | str, ...]
) -> tuple[str, str | None]:
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        known = sorted(_fields_at(model, loc[:-1]))
        close = suggest(str(loc[-1]), known)
        tip = f"did you mean {close!r}? " if close else ""
        return "unknown key", f"{tip}known keys here: {', '.join(known)}"
    if kind == "missing":
        return "required key is missing", "add it to the spec (see docs/spec.md)"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
        close = suggest(str(given), choices)
        tip = f"did you mean {close!r}? " if close else ""
        return f"{given!r} is not allowed", f"{tip}choose one of: {', '.join(choices)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message, None


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> set[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return set()
        field = current.model_fields.get(str(part))
        if field is None:
            return set()
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def read_spec(path: Path) -> SpecFile:
    """Read a spec file from disk, with its TOML document for edits."""
    return parse_spec(_read_text(path), source=str(path))


def load_spec(path: Path, /) -> AnySpec:
    """Read and validate a spec file."""
    return spec_from_text(_read_text(path), source=str(path))


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecError(
                f"spec file is {size:,} bytes; the limit is {MAX_SPEC_BYTES:,}",
                where=str(path),
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise SpecError(
            "spec file not found", where=str(path), hint="check the --spec path"
        ) from err
    except UnicodeDecodeError as err:
        raise SpecError("spec file is not UTF-8 text", where=str(path)) from err
    except OSError as err:
        raise SpecError(f"cannot read spec: {err.strerror}", where=str(path)) from err
    return text


def dump_spec(spec: AnySpec, /, *, document: tomlkit.TOMLDocument | None = None) -> str:
    """Return spec TOML; with `document`, its comments and layout are kept."""
    import tomlkit

    data = spec.model_dump(mode="json", exclude_unset=True)
    data["kind"] = spec.kind
    if document is None:
        # `#:schema` (no space) is the directive TOML editors (Taplo, Even Better
        # TOML) read; tomlkit's comment() would insert a space after `#`.
        header = (
            f"#:schema {SCHEMA_URL.format(kind=spec.kind)}\n"
            "# Spec written by planner; edit freely, comments are kept.\n"
        )
        document = tomlkit.parse(header)
    _merge(document, data)
    return tomlkit.dumps(document)


def _merge(
    target: Container | Table | InlineTable | tomlkit.TOMLDocument, data: dict[str, Any]
) -> None:
    from tomlkit.items import AoT, InlineTable, Table

    for key in [k for k in target if k not in data]:
        del target[key]
    for key, value in data.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, Table | InlineTable):
            _merge(current, value)
        elif (
            isinstance(value, list)
            and isinstance(current, AoT)
            and len(current) == len(value)
            and all(isinstance(v, dict) for v in value)
        ):
            for table, item in zip(current, value, strict=True):
                _merge(table, item)
        elif current is None or _plain(current) != value:
            target[key] = _item(value)


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _item(value: Any) -> Any:
    import tomlkit

    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        aot = tomlkit.aot()
        for entry in value:
            aot.append(tomlkit.item(entry))
        return aot
    return tomlkit.item(value)


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write text via a temporary file and rename; never clobber without force."""
    if path.exists() and not force:
        raise OutputExistsError(
            "file exists; refusing to overwrite it",
            where=str(path),
            hint="pass --force to replace it, or --out another path",
        )
    if path.is_dir():
        raise WriteError("is a folder, not a file", where=str(path))
    make_folder(path)
    commit_write(stage_write(path, text), path)


def make_folder(path: Path, *, made: list[Path] | None = None) -> None:
    """Create the folder `path` goes in, and its parents, for `stage_write`.

    The folders created are appended to `made`, outermost first, so that a
    caller that gives up can remove them again.
    """
    folder = path.parent
    missing = [] if made is None else _missing_folders(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _cannot_write(err, path) from err
    if made is not None:
        made.extend(missing)


def stage_write(path: Path, text: str) -> Path:
    """Write text to a new temporary file beside `path`; return the temporary file.

    The folder must exist (`make_folder`), and `path` must not be a folder.
    `commit_write` then renames the file into place, as `write_atomic` does.
    """
    try:
        fd, tmp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as err:
        raise _cannot_write(err, path) from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except BaseException as err:
        discard_write(Path(tmp))
        if isinstance(err, OSError):
            raise WriteError(f"cannot write: {err.strerror}", where=str(path)) from err
        raise
    return Path(tmp)


def _cannot_write(err: OSError, path: Path) -> WriteError:
    return WriteError(
        f"cannot write: {err.strerror}",
        where=str(path),
        hint="check the folder exists and is writable",
    )


def commit_write(tmp: Path, path: Path) -> None:
    """Rename a file from `stage_write` to `path`, replacing what is there."""
    try:
        tmp.replace(path)
    except OSError as err:
        discard_write(tmp)
        raise WriteError(f"cannot write: {err.strerror}", where=str(path)) from err


def discard_write(tmp: Path) -> None:
    """Remove a file from `stage_write` that will not be committed."""
    with contextlib.suppress(OSError):
        tmp.unlink()


def _missing_folders(folder: Path) -> list[Path]:
    """The folder and those of its parents that do not exist, outermost first."""
    missing: list[Path] = []
    while not folder.is_dir() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def check_inside(project: Path, target: Path, *, what: str) -> Path:
    """Return `target` resolved, refusing one that escapes `project`."""
    root = project.resolve()
    resolved = target.resolve()
    if not resolved.is_relative_to(root):
        raise UnsafePathError(
            f"{what} {str(target)!r} is outside the project {str(project)!r}",
            hint="pass an --out path inside the project, or --allow-outside to "
            "write there on purpose",
        )
    return resolved
