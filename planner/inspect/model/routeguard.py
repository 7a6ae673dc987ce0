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

    Of the exemplar's guards, one that identifies the caller comes first,
    then the one most of its routes run.
    """
    if res is not None:
        keys = {(r.file, r.line) for r in res.routes}
        runs: Counter[int] = Counter()
        for i, guard in enumerate(model.guards):
            runs[i] = sum(1 for use in guard.uses if use in keys)
        # Who the caller is before what admits them: a role check the
        # exemplar's admin routes add is the spec's roles to ask for.
        ranked = sorted(
            (i for i in runs if runs[i]),
            key=lambda i: (
                model.guards[i].kind != "current-user",
                -runs[i],
                not model.guards[i].reads,
                i,
            ),
        )
        if ranked:
            return model.guards[ranked[0]]
    served = {(r.file, r.line) for r in model.routes if r.served}
    ranked_all = sorted(
        model.guards,
        key=lambda g: (-sum(1 for use in g.uses if use in served), g.label),
    )
    return ranked_all[0] if ranked_all and ranked_all[0].uses else None


def guard_conventions(
    model: ProjectModel, res: Resource | None
) -> tuple[tuple[str, str], ...]:
    """The guard a new route runs, as conventions (``guard``, ``guard_reads``...).

    ``guard`` is ``name (module)``; the others are left out when empty:
    ``guard_kind``, ``guard_file`` (where it is defined), ``guard_reads``
    (``|``-separated), ``guard_challenge``, ``guard_refuses`` (``401,403``),
    ``guard_automatic`` (``yes``), ``guard_oauth2`` (``yes``), ``guard_returns``,
    ``guard_written``; and ``role_check_written``, how routes apply the
    project's role check.
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
