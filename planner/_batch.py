"""Run one job over many specs in forked worker processes; results in input order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

__all__ = ["MIN_SPECS", "run_in_workers", "worker_count"]

T = TypeVar("T")

# Below this many specs a batch runs in the calling process: starting workers
# costs about as much as planning a few dozen specs.
MIN_SPECS = 48

# The job of the current batch. Workers are forked, so they find it here and
# nothing but the spec paths and the results cross a pipe.
_job: Callable[[Path], object] | None = None
# Set when the caller leaves run_in_workers early; workers then skip their jobs.
_stop: Event | None = None


def worker_count(specs: int, *, jobs: int | None) -> int:
    """Return how many processes to plan `specs` specs in (1: this one only).

    `jobs=None` uses every CPU this process may run on, for `MIN_SPECS` specs
    or more; workers are forked, so only on Linux.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if not sys.platform.startswith("linux"):
        return 1
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if specs >= MIN_SPECS else 1
    return max(1, min(jobs, specs))


@contextmanager
def run_in_workers(
    paths: Sequence[Path], job: Callable[[Path], T | None], *, workers: int
) -> Iterator[Iterator[T | None]]:
    """Give `job(path)` for each path, in order, as `workers` processes compute them.

    A job that raises gives None: the caller runs that path again itself, so
    errors are raised in spec order, with their full cause, by the caller.
    Leaving the context stops the workers, whether or not every result was read.
    """
    import multiprocessing  # here: small batches (pre-commit) never need it

    global _job, _stop
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    _job, _stop = job, stop
    try:
        chunk = max(1, len(paths) // (workers * 8))
        pool = context.Pool(workers)
        results = pool.imap(_run, paths, chunksize=chunk)
        interrupted = False
        try:
            yield cast("Iterator[T | None]", results)
        except KeyboardInterrupt:
            interrupted = True
            pool.terminate()
            raise
        finally:
            if not interrupted:
                # Not Pool.terminate(): a worker killed while it sends a result
                # leaves the result pipe half-written, and the pool's result
                # thread waits on it forever (a hang seen in about one in 12
                # runs of the tests). The workers skip what is left instead;
                # the rest is read and dropped, and they end on their own.
                stop.set()
                pool.close()
                for _ in results:
                    pass
                pool.join()
    finally:
        _job = _stop = None


def _run(path: Path) -> object:
    if _job is None:  # pragma: no cover - only a worker forked by run_in_workers
        raise RuntimeError("no batch job in this process")
    if _stop is not None and _stop.is_set():
        return None  # the caller stopped reading: skip the work
    try:
        return _job(path)
    except Exception:  # the caller runs it again, and raises it in spec order
        return None
