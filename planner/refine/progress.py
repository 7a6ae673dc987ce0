"""Progress of a model call: a spinner on a terminal, plain notes elsewhere."""

from __future__ import annotations

import threading
import time
from typing import Protocol, TextIO

__all__ = ["NullProgress", "Progress", "StreamProgress"]

FRAMES = "|/-\\"
TICK = 0.1


class Progress(Protocol):
    """Where the refine path reports waiting, retries and received text."""

    def note(self, message: str) -> None:
        """Report one event (a retry, a cache hit) on its own line."""

    def start(self, label: str) -> None:
        """Begin waiting for the model."""

    def received(self, chars: int) -> None:
        """Report how much of a streamed answer has arrived."""

    def stop(self) -> None:
        """Stop waiting (also after errors and Ctrl-C)."""


class NullProgress:
    """Progress that reports nothing (library default)."""

    def note(self, message: str) -> None:
        """Ignore the note."""

    def start(self, label: str) -> None:
        """Ignore the start."""

    def received(self, chars: int) -> None:
        """Ignore the count."""

    def stop(self) -> None:
        """Ignore the stop."""


class StreamProgress:
    """Notes as lines on a stream; a spinner too when the stream is a terminal."""

    def __init__(self, stream: TextIO, *, spinner: bool | None = None) -> None:
        self._stream = stream
        self._spinner = stream.isatty() if spinner is None else spinner
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._label = ""
        self._chars = 0
        self._started = 0.0

    def note(self, message: str) -> None:
        """Write a note, clearing the spinner line first."""
        with self._lock:
            self._clear()
            print(message, file=self._stream, flush=True)

    def start(self, label: str) -> None:
        """Start the spinner thread (on a terminal only)."""
        self._label, self._chars, self._started = label, 0, time.monotonic()
        if not self._spinner or self._thread is not None:
            return
        self._done.clear()
        self._thread = threading.Thread(target=self._spin, daemon=True)
        self._thread.start()

    def received(self, chars: int) -> None:
        """Remember the streamed size for the next frame."""
        self._chars = chars

    def stop(self) -> None:
        """Stop the spinner and clear its line."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._done.set()
        thread.join()
        with self._lock:
            self._clear()

    def _spin(self) -> None:
        frame = 0
        while not self._done.wait(TICK):
            elapsed = time.monotonic() - self._started
            size = f", {self._chars:,} characters received" if self._chars else ""
            with self._lock:
                self._stream.write(
                    f"\r{FRAMES[frame % len(FRAMES)]} {self._label} "
                    f"({elapsed:.0f}s{size}; Ctrl-C to stop)\x1b[K"
                )
                self._stream.flush()
            frame += 1

    def _clear(self) -> None:
        if self._spinner:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
