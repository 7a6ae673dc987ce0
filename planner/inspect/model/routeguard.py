"""The guard a new route runs: the one the routes it is modelled on run.

A project can guard its end-user routes with one dependency and its admin
routes with another (``current_active_user``, ``is_authenticated_admin``),
its HTML views with a third: a new route follows its exemplar's routes, and
only without an exemplar (or a guarded one) the guard most routes run.
"""

from __future__ import annotations

from collections import Counter

from .records import Guard, ProjectModel, Resource


def route_guard(model: ProjectModel, res: Resource | None) -> Guard | None:
    """The guard the exemplar's routes run, else the one most served routes run.

    Each of the exemplar's routes votes for one of the guards it runs: the one
    that identifies the caller, else the one that reads a credential; the
    guard most routes vote for wins. A route that runs a role check beside
    the current-user dependency votes for the latter, while one guarded by
    a check alone (``ProjectMember()``) votes for the check.
    """
    if res is not None:
        runs: dict[tuple[str, int], list[int]] = {
            (r.file, r.line): [] for r in res.routes
        }
        for i, guard in enumerate(model.guards):
            for use in guard.uses:
                if use in runs:
                    runs[use].append(i)
        votes: Counter[int] = Counter(
            min(found, key=lambda i: _rank(model.guards[i], i))
            for found in runs.values()
            if found
        )
        if votes:
            return model.guards[min(votes, key=lambda i: (-votes[i], i))]
    served = {(r.file, r.line) for r in model.routes if r.served}
    ranked_all = sorted(
        model.guards,
        key=lambda g: (-sum(1 for use in g.uses if use in served), g.label),
    )
    return ranked_all[0] if ranked_all and ranked_all[0].uses else None


def _rank(guard: Guard, i: int) -> tuple[bool, bool, int]:
    """Which of one route's guards it votes for: the caller's first, then a reader."""
    return (guard.kind != "current-user", not guard.reads, i)


def guard_conventions(
    model: ProjectModel, res: Resource | None
) -> tuple[tuple[str, str], ...]:
    """The guard a new route runs, as conventions (``guard``, ``guard_reads``...).

    ``guard`` is ``name (module)``; the others are left out when empty:
    ``guard_kind``, ``guard_file`` (where it is defined), ``guard_reads``
    (``|``-separated), ``guard_challenge``, ``guard_refuses`` (``401,403``),
    ``guard_automatic`` (``yes``), ``guard_oauth2`` (``yes``), ``guard_returns``,
    ``guard_missing`` (the status a caller without a credential gets),
    ``guard_params`` (``|``-separated), ``guard_written``; and
    ``role_check_written``, how routes apply the project's role check.
    """
    checks = _role_check_written(model)
    guard = route_guard(model, res)
    if guard is None:
        return checks
    values = {
        "guard": guard.label,
        "guard_kind": guard.kind,
        "guard_file": guard.file or "",
        "guard_reads": "|".join(guard.reads),
        "guard_challenge": guard.challenge,
        "guard_refuses": ",".join(str(s) for s in guard.refuses),
        "guard_automatic": "yes" if guard.automatic else "",
        "guard_oauth2": "yes" if guard.oauth2 else "",
        "guard_returns": guard.returns,
        "guard_missing": str(guard.missing or ""),
        "guard_params": "|".join(guard.params),
        "guard_written": guard.written,
    }
    return (*checks, *((k, v) for k, v in values.items() if v))


def _role_check_written(model: ProjectModel) -> tuple[tuple[str, str], ...]:
    """How routes apply the project's role check (``role_check_written``), if read.

    ``Depends(require_role(["admin"]))`` shows a factory taking the roles.
    """
    label = model.convention("role_check_dependency").winner
    found = next(
        (g.written for g in model.guards if g.label == label and g.written), ""
    )
    return (("role_check_written", found),) if found else ()
