"""Targets for changes to existing code: endpoints, pagination, authentication."""

from __future__ import annotations

from .analogy import _conventions
from .names import Names, mentions
from .records import ProjectModel, Resource, Target, Targets
from .roles import role_of

_EXTEND_ROLES = {
    "endpoint": frozenset({"router", "service", "schema"}),
    "pagination": frozenset({"router", "service", "schema", "model", "module"}),
}


def existing_resource_targets(
    model: ProjectModel, resource: Resource, *, kind: str
) -> Targets:
    """Files to modify to add an endpoint to, or paginate, an existing resource."""
    roles = _EXTEND_ROLES.get(kind, _EXTEND_ROLES["endpoint"])
    names = Names.guess(resource.plural)
    files: dict[str, Target] = {}
    for f in resource.files:
        if f.role in roles and (f.own or kind == "pagination" or f.role == "router"):
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


_AUTH_WORDS = (
    "auth",
    "security",
    "deps",
    "dependencies",
    "users",
    "user",
    "jwt",
    "token",
    "config",
    "settings",
    "login",
)


def auth_targets(model: ProjectModel) -> Targets:
    """Security, dependencies, settings, user model and routes, app registration."""
    files: dict[str, Target] = {}
    user = next((r for r in model.resources if r.singular in ("user", "account")), None)
    if user is not None:
        for f in user.files:
            if f.role in ("router", "service", "schema", "model"):
                files[f.path] = Target(f.path, "modify", f.role, "the user resource")
    for v in model.conventions:
        if v.name == "current_user_dependency" and v.winner:
            mod = v.winner.rsplit("(", 1)[-1].rstrip(")")
            path = mod.replace(".", "/") + ".py"
            for p in sorted(model.paths):
                if p.endswith(path):
                    files.setdefault(
                        p, Target(p, "modify", "dependency", "current-user dependency")
                    )
    _auth_modules(model, files)
    if model.api_app is not None:
        files.setdefault(
            model.api_app.file,
            Target(model.api_app.file, "modify", "app", "registers the auth routes"),
        )
    return Targets(
        user,
        "auth around the user resource" if user else "no user resource found",
        tuple(sorted(files.values(), key=lambda t: t.path)),
        model.api_root,
        "{id}",
        False,
        (),
        _conventions(model, user),
        model.unknowns,
    )


def _auth_modules(model: ProjectModel, files: dict[str, Target]) -> None:
    for p in sorted(model.paths):
        if not p.endswith(".py") or "/tests/" in f"/{p}":
            continue
        stem = p.rsplit("/", 1)[-1].removesuffix(".py")
        if (
            stem in ("security", "auth", "deps", "config", "settings")
            and role_of(p) != "test"
        ):
            files.setdefault(p, Target(p, "modify", role_of(p), f"`{stem}` module"))
