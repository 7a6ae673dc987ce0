"""Specs to and from TOML (comments kept), and safe, atomic file writes."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel, ValidationError

from planner.errors import PlannerError, SpecError, suggest
from planner.fileio import (
    FileTooLargeError,
    NotRegularFileError,
    check_inside,
    commit_new,
    commit_write,
    discard_write,
    make_folder,
    read_bytes,
    stage_write,
    write_atomic,
)
from planner.kinds import KINDS, SCHEMA_FILE, schema_text
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
    except RecursionError as err:
        raise _too_deep(source) from err
    except tomlkit.exceptions.ParseError as err:
        raise SpecError(
            f"not valid TOML: {err.args[0] if err.args else err}",
            where=f"{source}:{err.line}:{err.col}",
            hint="check quotes, brackets and `key = value` syntax near that line",
        ) from err


def _too_deep(source: str) -> SpecError:
    return SpecError(
        "arrays or tables are nested too deeply to read",
        where=source,
        hint="a spec nests a few levels at most; `planner help spec` lists its keys",
    )


def spec_from_text(text: str, *, source: str = "<spec>") -> AnySpec:
    """Parse and validate spec TOML for its data only (no document is kept).

    Gives the spec, and the errors, that `parse_spec` gives.
    """
    _check_size(text, source=source)
    try:
        data = tomllib.loads(text)
    except RecursionError as err:
        raise _too_deep(source) from err
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
        hint="; ".join(hints) or "`planner help spec` lists every key",
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
        return "required key is missing", "add it to the spec (`planner help spec`)"
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
    return parse_spec(decode_spec(read_spec_bytes(path), path), source=str(path))


def load_spec(path: Path, /) -> AnySpec:
    """Read and validate a spec file."""
    return spec_from_text(decode_spec(read_spec_bytes(path), path), source=str(path))


def read_spec_bytes(path: Path, /) -> bytes:
    """Return a spec file's bytes, read once: a regular file of at most 1 MB.

    Raises:
        SpecError: The file is missing, special (a FIFO or device: pass `-` for
            standard input), too large or unreadable.
    """
    try:
        return read_bytes(path, limit=MAX_SPEC_BYTES)
    except FileNotFoundError as err:
        raise SpecError(
            "spec file not found", where=str(path), hint="check the --spec path"
        ) from err
    except NotRegularFileError as err:
        raise SpecError(
            f"spec is {err.strerror}",
            where=str(path),
            hint="pass a spec file, or `--spec -` to read standard input",
        ) from err
    except FileTooLargeError as err:
        raise SpecError(
            f"spec file is over {MAX_SPEC_BYTES:,} bytes, the limit",
            where=str(path),
            hint="a spec describes one feature: split it into several specs",
        ) from err
    except OSError as err:
        raise SpecError(f"cannot read spec: {err.strerror}", where=str(path)) from err


def decode_spec(data: bytes, source: Path | str, /) -> str:
    """Return spec bytes as text; a UTF-8 byte-order mark is dropped."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise SpecError("spec file is not UTF-8 text", where=str(source)) from err


def dump_spec(spec: AnySpec, /, *, document: tomlkit.TOMLDocument | None = None) -> str:
    """Return spec TOML; with `document`, its comments and layout are kept."""
    import tomlkit

    data = spec.model_dump(mode="json", exclude_unset=True)
    data["kind"] = spec.kind
    if document is None:
        header = (
            f"{schema_line(spec.kind)}\n"
            "# Spec written by planner; edit freely, comments are kept.\n"
        )
        document = tomlkit.parse(header)
    _merge(document, data)
    return tomlkit.dumps(document)


_DIRECTIVE = "#:schema "


def schema_line(kind: str) -> str:
    """Return a spec's first line: the schema beside it, for editors, offline.

    `#:schema` (no space) is the directive TOML editors (Taplo, Even Better
    TOML) read; the path is relative to the spec's folder, where
    `save_schema` writes the file.
    """
    return _DIRECTIVE + SCHEMA_FILE.format(kind=kind)


def without_schema_line(text: str) -> str:
    """Return spec text without a leading `#:schema` line, if it has one."""
    if text.startswith(_DIRECTIVE):
        return text.partition("\n")[2]
    return text


def with_schema_line(text: str, kind: str) -> str:
    """Return spec text whose first line is planner's `#:schema` line.

    A `#:schema` line already there is replaced; every other line is kept.
    """
    return f"{schema_line(kind)}\n{without_schema_line(text)}"


def save_schema(spec_file: Path, kind: str, *, project: Path) -> str | None:
    """Write the schema a spec's `#:schema` line names, beside the spec.

    The file (`.schema/<kind>.json` in the spec's folder) is planner's own:
    written whenever it differs, so it follows the installed version. Saving
    a spec does not fail for it.

    Returns:
        Why the schema could not be written, or None.
    """
    target = spec_file.parent / SCHEMA_FILE.format(kind=kind)
    text = schema_text(kind).encode("utf-8")
    try:
        check_inside(project, target, what="the spec's schema")
        if target.is_file() and read_bytes(target, limit=len(text)) == text:
            return None
        write_atomic(target, text.decode("utf-8"), force=True)
    except (OSError, PlannerError) as err:
        return f"cannot write {target.as_posix()}: {err}"
    return None


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


__all__ = [
    "MAX_SPEC_BYTES",
    "SpecFile",
    "check_inside",
    "commit_new",
    "commit_write",
    "decode_spec",
    "discard_write",
    "dump_spec",
    "load_spec",
    "make_folder",
    "parse_spec",
    "read_spec",
    "read_spec_bytes",
    "save_schema",
    "schema_line",
    "spec_from_text",
    "stage_write",
    "validate_spec",
    "with_schema_line",
    "without_schema_line",
    "write_atomic",
]
