"""The wait indicator: a spinner on terminals only; notes everywhere."""

from __future__ import annotations

import io
import time

from planner.refine.progress import StreamProgress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_spinner_runs_on_a_terminal_and_clears_its_line() -> None:
    stream = FakeTerminal()
    progress = StreamProgress(stream)
    progress.start("waiting for m at h")
    progress.received(1234)
    time.sleep(0.35)
    progress.note("HTTP 429; retrying in 1s")
    progress.stop()
    text = stream.getvalue()
    first = "\r| waiting for m at h (0s, 1,234 characters received; Ctrl-C to stop)"
    assert text.startswith(first + "\x1b[K\r/ waiting")  # frames turn
    assert "\r\x1b[KHTTP 429; retrying in 1s\n" in text
    assert text.endswith("\r\x1b[K")
    size = len(text)
    time.sleep(0.25)
    assert len(stream.getvalue()) == size  # stopped for good


def test_no_spinner_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = StreamProgress(stream)
    progress.start("waiting")
    time.sleep(0.25)
    progress.note("using the cached answer")
    progress.stop()
    assert stream.getvalue() == "using the cached answer\n"
