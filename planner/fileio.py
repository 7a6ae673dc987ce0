"""Bounded reads, atomic and exclusive writes, and the project boundary.

Everything planner reads (specs, config, plans, cache entries, session context,
`.env` files) goes through `read_bytes`: a FIFO, device or socket is refused
before a byte is read (no hang, no endless `/dev/zero`), and a file over its
limit is refused without being read whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from planner.errors import OutputExistsError, UnsafePathError, WriteError
from planner.interrupt import deferred

__all__ = [
    "FileTooLargeError",
    "NotRegularFileError",
    "check_inside",
    "commit_new",
    "commit_write",
    "discard_write",
    "file_mode",
    "is_inside",
    "make_folder",
    "read_bytes",
    "read_text",
    "stage_write",
    "write_atomic",
]

# Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK opens it
# at once, and the file type is then checked before anything is read.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class NotRegularFileError(OSError):
    """A folder, FIFO, device or socket where a regular file was expected."""


class FileTooLargeError(OSError):
    """A file over the size limit of what is read from it."""


def read_bytes(path: Path, /, *, limit: int) -> bytes:
    """Return a regular file's bytes, refusing special files and files over `limit`.

    Raises:
        NotRegularFileError: `path` is a folder, FIFO, device or socket.
        FileTooLargeError: The file holds more than `limit` bytes.
        OSError: The file cannot be opened or read (FileNotFoundError, ...).
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise NotRegularFileError(errno.EINVAL, kind, str(path))
        if info.st_size > limit:
            raise _too_large(path, limit)
        chunks, size = [], 0
        while chunk := os.read(fd, min(limit + 1 - size, 1 << 20) or 1):
            size += len(chunk)
            if size > limit:  # grew while being read
                raise _too_large(path, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, /, *, limit: int, errors: str = "strict") -> str:
    """Return a regular file as UTF-8 text, a leading byte-order mark dropped.

    Raises:
        UnicodeDecodeError: The file is not UTF-8 (with `errors="strict"`).
        OSError: As `read_bytes`.
    """
    return read_bytes(path, limit=limit).decode("utf-8", errors).removeprefix("\ufeff")


def _too_large(path: Path, limit: int) -> FileTooLargeError:
    return FileTooLargeError(
        errno.EFBIG, f"file is over the {limit:,}-byte limit", str(path)
    )


def is_inside(project: Path, path: Path) -> bool:
    """Tell whether `path`, symlinks resolved, lies inside `project`."""
    try:
        return path.resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError, ValueError):
        return False  # a symlink loop or an impossible name: not provably inside


def check_inside(
    project: Path, target: Path, *, what: str, hint: str | None = None
) -> Path:
    """Return `target` resolved, refusing one that escapes `project`.

    Raises:
        UnsafePathError: `target` (or a symlink on its way) leads out of
            `project`.
    """
    if not is_inside(project, target):
        raise UnsafePathError(
            f"{what} {_shown(target)} is outside the project {_shown(project)}",
            hint=hint or _outside_hint(what),
        )
    return target.resolve()


def _outside_hint(what: str) -> str:
    if what.startswith("--"):
        return (
            f"pass an {what} path inside the project, or --allow-outside to "
            "write there on purpose"
        )
    return (
        "a symlink on its way leads out of the project: replace it with a "
        "folder, or pass --allow-outside to use it on purpose"
    )


def _shown(path: Path) -> str:
    text = str(path)
    return repr(text if len(text) <= 200 else text[:200] + "...")


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write text via a temporary file and rename; never clobber without force.

    Without `force` the file is created exclusively (a hard link, or
    `O_EXCL`): of several writers racing for one path, exactly one succeeds.
    The file gets the mode of the file it replaces, or 0666 less the umask.
    """
    if path.is_dir():
        raise WriteError(
            "is a folder, not a file",
            where=str(path),
            hint="name a file, e.g. --out plans/items.md",
        )
    if path.exists() and not force:
        raise _exists(path)
    make_folder(path)
    tmp = stage_write(path, text)
    if force:
        commit_write(tmp, path)
    else:
        commit_new(tmp, path)


def _exists(path: Path) -> OutputExistsError:
    return OutputExistsError(
        "file exists; refusing to overwrite it",
        where=str(path),
        hint="pass --force to replace it, or --out another path",
    )


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


def file_mode(path: Path) -> int:
    """The mode a file written to `path` gets: the current file's, else by umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    # The umask can only be read by setting it; set it straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def stage_write(path: Path, text: str) -> Path:
    """Write text to a new temporary file beside `path`; return the temporary file.

    The folder must exist (`make_folder`), and `path` must not be a folder.
    `commit_write` then renames the file into place, as `write_atomic` does.
    A signal (with `planner.interrupt.handle_signals`) never leaves the
    temporary file behind.
    """
    data = _encode(text, path)
    mode = file_mode(path)
    with deferred():
        try:
            fd, tmp = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
        except OSError as err:
            raise _cannot_write(err, path) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
    except BaseException as err:
        discard_write(Path(tmp))
        if isinstance(err, OSError):
            raise WriteError(f"cannot write: {err.strerror}", where=str(path)) from err
        raise
    return Path(tmp)


def _encode(text: str, path: Path) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:
        # A lone surrogate (from a model's JSON `\ud800`, say) has no UTF-8 form.
        raise WriteError(
            f"cannot write: the text holds {err.object[err.start]!r}, which is not "
            "a character UTF-8 can hold",
            where=str(path),
        ) from err


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


def commit_new(tmp: Path, path: Path) -> None:
    """Put a file from `stage_write` at `path`, only if nothing is there yet.

    A hard link fails if `path` exists, in one step; where the file system has
    no hard links, the file is created with `O_EXCL` and copied.

    Raises:
        OutputExistsError: Something is at `path` (another writer came first).
        WriteError: The file system refused.
    """
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError:
            _copy_exclusive(tmp, path)
    finally:
        discard_write(tmp)


def _copy_exclusive(tmp: Path, path: Path) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, stat.S_IMODE(tmp.stat().st_mode))
    except FileExistsError:
        raise _exists(path) from None
    except OSError as err:
        raise WriteError(f"cannot write: {err.strerror}", where=str(path)) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tmp.read_bytes())
    except OSError as err:
        discard_write(path)
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
