"""Targets for changes to existing code: endpoints, pagination, authentication."""

from __future__ import annotations

from .analogy import _conventions
from .names import Names, mentions
from .records import ProjectModel, Resource, Target, Targets

_EXTEND_ROLES = {
    "endpoint": frozenset({"router", "service", "schema"}),
    "pagination": frozenset({"router", "service", "schema"}),
}


def existing_resource_targets(
    model: ProjectModel, resource: Resource, *, kind: str
) -> Targets:
    """Files to modify to add an endpoint to, or paginate, an existing resource."""
    roles = _EXTEND_ROLES.get(kind, _EXTEND_ROLES["endpoint"])
    names = Names.guess(resource.plural)
    files: dict[str, Target] = {}
    for f in resource.files:
        shared_ok = f.role == "router" or (kind == "pagination" and f.role == "service")
        if f.role in roles and (f.own or shared_ok):
            files[f.path] = Target(
                f.path, "modify", f.role, f"serves `{resource.name}`"
            )
    for t in resource.tests:
        if mentions(t.rsplit("/", 1)[-1], names):
            files.setdefault(t, Target(t, "modify", "test", f"tests `{resource.name}`"))
    item = next((p for r in resource.routes for p in _params(r.path)[-1:]), "id")
    return Targets(
        resource,
        f"extends `{resource.name}`: {resource.router_file}",
        tuple(sorted(files.values(), key=lambda t: t.path)),
        resource.served_prefix,
        "{" + item + "}",
        model.convention("trailing_slash").winner == "yes",
        (),
        _conventions(model, resource),
        model.unknowns,
    )


def _params(path: str) -> list[str]:
    from .resources import path_params

    return path_params(path)
