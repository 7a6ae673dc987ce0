"""What the `planner` process does around a command, to start and end quickly.

Only the console script (`planner._cli.run`) and `python -m planner` call
these; the library and `planner._cli.main` leave the interpreter alone. Each
item is measured in docs/performance.md (cold `planner new`, medians):

- the garbage collector is off (-10 ms): a command's objects hold no
  reference cycles worth collecting (1,000 plans rendered in one process peak
  at the same memory with and without it), while the collector runs many
  times during the imports of a cold start;
- pydantic's plugin scan is skipped when plugins are disabled (-12 ms): the
  scan imports `importlib.metadata` (and with it email, zipfile, csv…) just to
  be told there is nothing to load;
- the interpreter is not torn down after the command (-27 ms): every `atexit`
  handler still runs, the output is flushed, and the exit code is the same.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
import types
from typing import Any

# pydantic's own test of its variable (pydantic/plugin/_loader.py).
_PLUGINS_DISABLED = ("__all__", "1", "true")
_LOADER = "pydantic.plugin._loader"

_exit_code: int | None = None


def start() -> None:
    """Prepare the process for one command: call first, before any import."""
    gc.disable()
    _skip_plugin_scan()
    # atexit runs the last handler registered first, so this one runs after
    # all others. Skipped unless it is the first: a handler registered earlier
    # (coverage, say) would run after it, and must not be lost.
    if getattr(atexit, "_ncallbacks", lambda: 1)() == 0:
        atexit.register(_end_without_teardown)


def finish(code: int) -> None:
    """Record the command's exit code, for the handler `start` registered."""
    global _exit_code
    _exit_code = code


def _end_without_teardown() -> None:
    """Exit now: the remaining work would only free memory the OS reclaims."""
    if _exit_code is None:  # the command raised: let Python report it
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: Python's usual handling
        return
    os._exit(_exit_code)


def _skip_plugin_scan() -> None:
    """Answer pydantic's plugin lookup with "none" when plugins are disabled.

    pydantic imports its loader only to call `get_plugins()`, which returns
    nothing when PYDANTIC_DISABLE_PLUGINS is one of the values above; this
    module gives the same answer without the import. Any other name is looked
    up in pydantic's real loader, which then replaces this one.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _PLUGINS_DISABLED:
        return
    if _LOADER in sys.modules:
        return
    loader = types.ModuleType(_LOADER, "pydantic's plugin loader, plugins disabled")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = _real_loader_attribute  # type: ignore[method-assign]
    sys.modules[_LOADER] = loader


def _no_plugins() -> tuple[()]:
    return ()


def _real_loader_attribute(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    del sys.modules[_LOADER]
    return getattr(importlib.import_module(_LOADER), name)
