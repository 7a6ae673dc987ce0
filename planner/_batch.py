"""Run one job over many specs in forked worker processes; results in input order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, cast

__all__ = ["MIN_SPECS", "run_in_workers", "worker_count"]

T = TypeVar("T")

# Below this many specs a batch runs in the calling process: starting workers
# costs about as much as planning a few dozen specs.
MIN_SPECS = 48

# The job of the current batch. Workers are forked, so they find it here and
# nothing but the spec paths and the results cross a pipe.
_job: Callable[[Path], object] | None = None


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

    global _job
    _job = job
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(paths) // (workers * 8))
        with context.Pool(workers) as pool:
            yield cast("Iterator[T | None]", pool.imap(_run, paths, chunksize=chunk))
    finally:
        _job = None


def _run(path: Path) -> object:
    if _job is None:  # pragma: no cover - only a worker forked by run_in_workers
        raise RuntimeError("no batch job in this process")
    try:
        return _job(path)
    except Exception:  # the caller runs it again, and raises it in spec order
        return None
