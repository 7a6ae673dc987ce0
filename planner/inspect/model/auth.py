"""Targets for adding authentication to a project, by analogy with its resources."""

from __future__ import annotations

from .analogy import _conventions, pick_exemplar, plan_files
from .names import Names
from .records import ProjectModel, Resource, Target, Targets
from .roles import role_of
from .routes import is_test_path

_ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})
_AUTH_ROLES = frozenset({"router", "service", "schema"})
_USER_ROLES = frozenset({"router", "service", "schema", "model"})
_SETTINGS_STEMS = frozenset({"config", "settings", "security", "deps", "dependencies"})


def _user(model: ProjectModel) -> Resource | None:
    for res in model.resources:
        if res.singular in ("user", "account", "member"):
            return res
    return None


def _merge(files: dict[str, Target], more: dict[str, Target]) -> None:
    for path, t in more.items():
        files.setdefault(path, t)


def _modules(model: ProjectModel, files: dict[str, Target]) -> None:
    """Settings, security and dependency modules the project already has."""
    app_dir = model.api_app.file.rsplit("/", 1)[0] if model.api_app else ""
    for p in sorted(model.paths):
        if not p.endswith(".py") or is_test_path(p) or role_of(p) == "migration":
            continue
        stem = p.rsplit("/", 1)[-1].removesuffix(".py")
        parent = p.rsplit("/", 1)[0] if "/" in p else ""
        if stem in _SETTINGS_STEMS and (not app_dir or p.startswith(app_dir)):
            depth_ok = parent.count("/") <= app_dir.count("/") + 1
            if depth_ok:
                why = f"`{stem}`: secret, token lifetime, scheme settings"
                files.setdefault(p, Target(p, "modify", role_of(p), why))


def _dependency(model: ProjectModel, files: dict[str, Target]) -> None:
    dep = model.convention("current_user_dependency").winner
    if not dep:
        return
    mod = dep.rsplit("(", 1)[-1].rstrip(")").replace(".", "/") + ".py"
    for p in sorted(model.paths):
        if p.endswith("/" + mod) or p == mod:
            why = "the current-user dependency"
            files.setdefault(p, Target(p, "modify", "dependency", why))


def _conftest(model: ProjectModel, files: dict[str, Target]) -> None:
    tests = sorted(
        (p for p in model.paths if p.endswith("conftest.py") and is_test_path(p)),
        key=lambda p: (p.count("/"), p),
    )
    if tests:
        files.setdefault(
            tests[0], Target(tests[0], "modify", "test", "authenticated test client")
        )


def _by_analogy(
    model: ProjectModel,
    ex: Resource,
    user: Resource | None,
    scheme: str,
    files: dict[str, Target],
) -> None:
    if scheme == "api-key":
        _merge(files, plan_files(model, ex, Names.of("api_key"), shared=False))
    auth = Names(("auth",), ("auth",))
    _merge(
        files,
        plan_files(model, ex, auth, roles=_AUTH_ROLES, migration=False, shared=False),
    )
    if user is None and scheme != "api-key":
        _merge(files, plan_files(model, ex, Names.of("user"), shared=False))


def auth_targets(model: ProjectModel, *, scheme: str = "password-jwt") -> Targets:
    """Security, auth routes, user model and migration, settings, registration.

    ``password-jwt`` plans an auth router, service and schemas shaped like the
    project's resources, and the user resource (modified, or created with its
    table); ``api-key`` plans a key resource (model, service, migration) and the
    dependency that checks it. Existing files are modified, new ones created.
    """
    files: dict[str, Target] = {}
    ex = pick_exemplar(model, _ALL_OPS)
    user = _user(model)
    if ex is not None:
        if scheme == "api-key":
            key = Names.of("api_key")
            _merge(files, plan_files(model, ex, key, shared=False))
        auth = Names(("auth",), ("auth",))
        _merge(
            files,
            plan_files(
                model, ex, auth, roles=_AUTH_ROLES, migration=False, shared=False
            ),
        )
        if user is None and scheme != "api-key":
            _merge(files, plan_files(model, ex, Names.of("user"), shared=False))
    if user is not None:
        for f in user.files:
            if f.role in _USER_ROLES and (f.own or f.role == "model"):
                why = "the user resource"
                files.setdefault(f.path, Target(f.path, "modify", f.role, why))
    _dependency(model, files)
    _modules(model, files)
    _conftest(model, files)
    if model.api_app is not None:
        app = model.api_app.file
        files.setdefault(app, Target(app, "modify", "app", "registers the auth routes"))
    return Targets(
        user or ex,
        f"auth ({scheme}) shaped like `{ex.name}`" if ex else "no resource to follow",
        tuple(sorted(files.values(), key=lambda t: t.path)),
        model.api_root,
        "{id}",
        False,
        (),
        _conventions(model, user),
        model.unknowns,
    )
