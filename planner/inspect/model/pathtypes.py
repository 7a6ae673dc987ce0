"""The types a project's routes declare their path parameters with.

A new route's ``{post_id}`` is typed as the resource's routes type their
``{post_id}`` (``post_id: UUID``), else as the project's others do: a type
read from the name alone (``*_id`` is ``int``) would answer 422 to every
valid request where the project's ids are UUIDs.
"""

from __future__ import annotations

import re
from collections import Counter

from .records import ProjectModel, Resource, Route
from .roles import is_test_path

_PARAM = re.compile(r"\{(\w+)")


def route_path_types(path: str, params: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Each parameter of ``path`` with the annotation its handler gives it."""
    return tuple((n, params[n]) for n in _PARAM.findall(path) if params.get(n))


def path_types_slot(
    model: ProjectModel, resource: Resource | None, path: str
) -> tuple[str, str] | None:
    """``("path_types", "post_id:UUID:posts user_id:int:")``, or None.

    Each parameter of ``path`` the routes declare, with the type most of
    them give it and whose routes they are: the resource's (its name), else
    the project's (""). A tie leaves the parameter to its name.
    """
    own = resource.routes if resource is not None else ()
    served = tuple(r for r in model.routes if r.served and not is_test_path(r.file))
    found = []
    for name in dict.fromkeys(_PARAM.findall(path)):
        whose = resource.name if resource is not None else ""
        for where, routes in ((whose, own), ("", served)):
            declared = _declared(routes, name)
            if declared:
                found.append(f"{name}:{declared}:{where}")
                break
    return ("path_types", " ".join(found)) if found else None


def _declared(routes: tuple[Route, ...], name: str) -> str:
    """The type most of ``routes`` give parameter ``name``, "" without a majority."""
    counts = Counter(t for r in routes for n, t in r.path_types if n == name)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return ""
    return ranked[0][0]
