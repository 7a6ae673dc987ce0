"""Run one job over many specs in forked worker processes; results in input order."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NoReturn, TypeVar, cast

__all__ = ["MIN_SPECS", "run_in_workers", "worker_count"]

T = TypeVar("T")

# Below this many specs a batch runs in the calling process: starting workers
# costs about as much as planning a few dozen specs.
MIN_SPECS = 48

# A result is its pickle's length, then the pickle.
_LENGTH_BYTES = 8
_PIPE_BYTES = 1 << 20


def worker_count(specs: int, *, jobs: int | None) -> int:
    """Return how many processes to plan `specs` specs in (1: this one only).

    `jobs=None` uses every CPU this process may run on, for `MIN_SPECS` specs
    or more, unless the process runs other threads (a forked child gets a
    copy of their locks, possibly held). Workers are forked, so only on Linux.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if not sys.platform.startswith("linux"):
        return 1
    if jobs is None:
        many = specs >= MIN_SPECS and not _other_threads()
        jobs = len(os.sched_getaffinity(0)) if many else 1
    return max(1, min(jobs, specs))


def _other_threads() -> bool:
    threading = sys.modules.get("threading")  # never imported: no threads
    return threading is not None and threading.active_count() > 1


@contextmanager
def run_in_workers(
    paths: Sequence[Path], job: Callable[[Path], T | None], *, workers: int
) -> Iterator[Iterator[T | None]]:
    """Give `job(path)` for each path, in order, as `workers` processes compute them.

    Worker `k` of `n`, forked from this process, computes the paths `k`,
    `k + n`, `k + 2n`... in order and sends each result down its own pipe as
    soon as it has it, so results come back in order, one at a time, and the
    workers finish within a path of each other.

    A job that raises gives None, and so does every path of a worker that
    died: the caller runs those paths again itself, so errors are raised in
    spec order, with their full cause, by the caller. Leaving the context
    ends the workers, whether or not every result was read.
    """
    import pickle  # here: small batches (pre-commit) never need it

    paths = list(paths)
    readers: list[int | None] = []  # None: that worker could not be started
    pids: list[int] = []
    try:
        for index in range(workers):
            started = _start(index, workers, paths, job, readers, pids, pickle.dumps)
            readers.append(started)
        yield _results(readers, len(paths), pickle.loads)
    finally:
        # The workers are no longer listened to: ending them mid-result is
        # safe, since nothing reads their pipes any more.
        for fd in readers:
            if fd is not None:
                os.close(fd)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in pids:
            with contextlib.suppress(ChildProcessError):  # reaped by the caller
                os.waitpid(pid, 0)


def _start(
    index: int,
    workers: int,
    paths: list[Path],
    job: Callable[[Path], object],
    readers: list[int | None],
    pids: list[int],
    dumps: Callable[[object], bytes],
) -> int | None:
    """Fork worker `index`; return its pipe's read end (None if fork failed).

    Ctrl-C is held back from the fork until the new pid is recorded (in the
    parent) or the worker is inside the code that ends it (in the worker), so
    that a worker never runs its caller's code and is never left unreaped.
    """
    read_end, write_end = os.pipe()
    _widen(write_end)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        try:
            pid = os.fork()
        except OSError:  # no more processes: the caller builds this share
            os.close(read_end)
            return None
        if pid == 0:  # pragma: no cover - the worker, seen by its results
            _serve(
                paths[index::workers],
                job,
                write_end,
                dumps,
                close=[read_end, *(fd for fd in readers if fd is not None)],
                unblock=held,
            )
        pids.append(pid)
        return read_end
    finally:
        os.close(write_end)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _widen(fd: int) -> None:
    """Let a pipe hold about 40 plans, so a worker rarely waits to be read."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or refused
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _serve(
    paths: Sequence[Path],
    job: Callable[[Path], object],
    fd: int,
    dumps: Callable[[object], bytes],
    *,
    close: Sequence[int],
    unblock: set[int | signal.Signals],
) -> NoReturn:  # pragma: no cover - runs in the worker
    """Run the job over `paths`, writing each result as it comes; then exit."""
    code = 1
    try:
        for inherited in close:
            os.close(inherited)  # so that a closed read end means "stop"
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, unblock)
        for path in paths:
            try:
                result = job(path)
            except Exception:  # the caller runs it again, and raises it in turn
                result = None
            data = dumps(result)
            _write_all(fd, len(data).to_bytes(_LENGTH_BYTES, "little") + data)
        code = 0
    except BaseException:
        pass
    finally:
        # Nothing of the parent's may run here: no atexit handlers, no flush of
        # output buffers copied at the fork.
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _results(
    readers: Sequence[int | None], count: int, loads: Callable[[bytes], object]
) -> Iterator[T | None]:
    streams = [
        None if fd is None else os.fdopen(fd, "rb", closefd=False) for fd in readers
    ]
    for index in range(count):
        worker = index % len(streams)
        stream = streams[worker]
        data = None if stream is None else _frame(stream)
        if data is None:  # the worker died, or never started: the caller builds
            streams[worker] = None
            yield None
        else:
            yield cast("T | None", loads(data))


def _frame(stream: BinaryIO) -> bytes | None:
    """Read one length-prefixed result, or None at the end of the stream."""
    head = stream.read(_LENGTH_BYTES)
    if len(head) < _LENGTH_BYTES:
        return None
    size = int.from_bytes(head, "little")
    data = stream.read(size)
    return data if len(data) == size else None
