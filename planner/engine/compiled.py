"""planner's own data files, compiled once per install and kept like bytecode.

Python keeps the bytecode of planner's modules in `__pycache__` (or under
`PYTHONPYCACHEPREFIX`). The plan template and the knowledge base are
planner's own files too, and compiling them (Jinja's code generation,
parsing 49 KB of TOML) is a tenth of a short command, so what they compile
to is kept the same way: read whenever it is there and current, written only
when Python writes bytecode. Never in the project: planner does not trust a
project's files enough to load code or `marshal` data from them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


def cache_folder() -> Path:
    """The folder Python keeps this package's bytecode in."""
    return Path(importlib.util.cache_from_source(__file__)).parent


def load_data(name: str, source: bytes, build: Callable[[bytes], Any]) -> Any:
    """`build(source)`, or what it gave before for the same bytes and Python.

    `build` must return data `marshal` can write (dicts, lists, strings,
    numbers); anything else is simply built each time.
    """
    key = hashlib.sha256(source).hexdigest()[:16]
    path = cache_folder() / f"{name}.{sys.implementation.cache_tag}.{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build(source)
    if not sys.dont_write_bytecode:
        try:
            _write(path, marshal.dumps(value))
        except (OSError, ValueError):
            pass  # a read-only install, or data marshal cannot write
    return value


def template_cache() -> jinja2.BytecodeCache:
    """Jinja's bytecode cache, in the same folder and by the same rules."""
    import jinja2

    class _Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                pass

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if sys.dont_write_bytecode:
                return
            try:
                Path(self.directory).mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return _Cache(str(cache_folder()), "template-%s.jinja2")


def _write(path: Path, data: bytes) -> None:
    """Write `data` whole or not at all: a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
