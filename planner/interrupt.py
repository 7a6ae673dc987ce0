"""Stop cleanly on SIGINT, SIGTERM and SIGHUP, never halfway through a write.

The command line installs `handle_signals` around a command: each of the three
signals then raises `Interrupted` (a KeyboardInterrupt, so every `finally`
removes its temporary files), except inside `deferred()` blocks, which finish
first. Writers put the steps that must not be cut in two (create a temporary
file and record it; rename a set of files into place) in such a block.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["Interrupted", "deferred", "handle_signals", "was_interrupted"]

SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP")
    if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """A signal asked planner to stop; carries the signal's name."""

    def __init__(self, signum: int) -> None:
        self.name = signal.Signals(signum).name
        super().__init__(self.name)


class _State:
    depth = 0
    pending: int | None = None
    received: int | None = None


def _handler(signum: int, frame: FrameType | None) -> None:
    del frame
    _State.received = signum
    if _State.depth:
        _State.pending = signum
        return
    raise Interrupted(signum)


def was_interrupted() -> bool:
    """Tell whether a signal came during the last `handle_signals` block.

    A library calling back into planner (pydantic serialising a plan) may wrap
    `Interrupted` in an error of its own: the signal, not that error, is what
    happened.
    """
    return _State.received is not None


@contextmanager
def handle_signals() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into `Interrupted` while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    _State.received = None
    previous = {signum: signal.signal(signum, _handler) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _State.pending = None


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a signal that arrives in the block until the block is done."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if not _State.depth and _State.pending is not None:
            signum, _State.pending = _State.pending, None
            raise Interrupted(signum)
