"""Which files of a real project a spec touches, by analogy with its own resources.

The project model (`planner.inspect.model`) reads the code; this module asks it
for the targets of one spec and folds them into the layout the rules read, so
every rule names the project's own files.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

from planner.inspect.layout import Layout
from planner.inspect.model import (
    ProjectModel,
    Targets,
    auth_targets,
    existing_resource_targets,
    find_resource,
    new_resource_targets,
    read_project,
)
from planner.spec import (
    AnySpec,
    AuthSpec,
    CrudResourceSpec,
    EndpointSpec,
    PaginationSpec,
)

__all__ = ["layout_for", "read_model", "targets_for"]


def read_model(project: Path, *, app: str | None = None) -> ProjectModel | None:
    """Read the project model, or None when `project` serves no routes."""
    model = read_project(project, app=app)
    return model if model.routes or model.resources else None


def targets_for(spec: AnySpec, model: ProjectModel | None) -> Targets | None:
    """Return the files and served paths `spec` touches in the modelled project."""
    if model is None:
        return None
    if isinstance(spec, CrudResourceSpec):
        res = spec.resource
        return new_resource_targets(
            model,
            singular=res.name,
            plural=res.plural_name,
            operations=frozenset(res.operations),
            owned=res.owned_by_user,
            paginated=spec.pagination.style != "none",
        )
    if isinstance(spec, AuthSpec):
        return auth_targets(model)
    if isinstance(spec, EndpointSpec | PaginationSpec):
        method = spec.method if isinstance(spec, EndpointSpec) else "GET"
        kind = "endpoint" if isinstance(spec, EndpointSpec) else "pagination"
        found = find_resource(model, f"{method} {spec.path}", spec.path)
        if found is not None:
            return existing_resource_targets(model, found, kind=kind)
        if isinstance(spec, EndpointSpec):
            return _new_endpoint(model, spec)
    return None


def _new_endpoint(model: ProjectModel, spec: EndpointSpec) -> Targets | None:
    """Targets of an endpoint on no existing resource, if the model can plan one."""
    from planner.inspect import model as project_model

    plan = getattr(project_model, "new_endpoint_targets", None)
    if plan is None:
        return None
    targets: Targets = plan(model, method=spec.method, path=spec.path)
    return targets


def layout_for(layout: Layout, targets: Targets | None, api_root: str) -> Layout:
    """Return `layout` with the spec's own files and served paths put in."""
    if targets is None:
        return layout
    roles: dict[str, str] = {}
    for target in targets.files:
        roles.setdefault(target.role, target.path)
    changes: dict[str, object] = {"api_prefix": api_root}
    for role, name in (
        ("router", "route_module"),
        ("model", "model_module"),
        ("schema", "schema_module"),
        ("service", "service_module"),
        ("test", "test_module"),
        ("dependency", "deps_module"),
        ("settings", "settings_module"),
        ("security", "security_module"),
    ):
        if role in roles:
            changes[name] = roles[role]
    if "service" not in roles and "router" in roles:
        # No service layer in this project: data access goes where the
        # exemplar keeps it, beside its routes.
        changes["service_module"] = roles.get("crud", roles["router"])
    if "app" in roles:
        changes["router_registry"] = roles["app"]
    if "migration" in roles:
        changes["migrations_dir"] = PurePosixPath(roles["migration"]).parent.as_posix()
    changes["existing"] = layout.existing | {
        t.path for t in targets.files if t.action == "modify"
    }
    return dataclasses.replace(layout, **changes)  # type: ignore[arg-type]
