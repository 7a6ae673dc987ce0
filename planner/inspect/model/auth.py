"""Targets for adding authentication to a project, by analogy with its resources.

Every part of an auth plan (settings, security helpers, the current-user
dependency, the routes, the user's model, schemas and data access, tests) is put
where the project keeps that kind of code: an existing module is modified, a
missing one is created beside its siblings and named like them. The plan's
routes go into the project's user router when it has one, else into a new
router registered like its siblings; ``slots`` names the file or served prefix
of each part so that the auth rules never fill a path pattern themselves.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass

from .analogy import _conventions, pick_exemplar, plan_files
from .authguard import plan_guard_extension
from .authkeys import KEY_STEMS, key_reason, plan_key_parts
from .authparts import (
    SETTINGS_STEMS,
    AuthFiles,
    collection_create,
    conftest_for,
    foreign,
    includer,
    new_packages,
    plan_errors,
    settings_like,
    settings_rank,
    signs_in,
    user_columns,
)
from .migrations import plan_migration
from .names import Names, replace_names, words
from .records import ProjectModel, Resource, Target, Targets
from .roles import is_test_path, role_of
from .testfiles import sibling_test

_ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})
_USER_WORDS = frozenset({"user", "users", "account", "accounts", "member", "members"})
_USER_ROLES = frozenset({"router", "schema", "model"})
_TOKEN_ROLES = frozenset({"router", "service", "schema"})
_SECURITY_STEMS = ("security", "auth", "authentication", "jwt", "tokens")
_DEPS_STEMS = ("deps", "dependencies")
_HELPER_WORDS = frozenset({"helper", "helpers", "util", "utils", "service"})
_NOT_HELPERS = frozenset({"router", "model", "schema", "migration"})
_CLI_STEMS = ("cli", "commands", "manage")
_SHARED_STEMS = ("helpers", "utils")
# Middleware runs per request and a dependency package holds what routes
# depend on: hashing and token helpers live elsewhere.
_NOT_SECURITY = frozenset({"middleware", "middlewares", "dependencies", "deps"})
_AUTH = Names(("auth",), ("auth",))
# Schemes whose accounts sign in with a password the project stores.
_LOCAL_ACCOUNTS = frozenset({"password-jwt", "oauth2"})


def _user(model: ProjectModel) -> Resource | None:
    """The resource of the accounts: ``users``, ``accounts`` or ``members``.

    One with its own router module is preferred over one served from a shared
    route module.
    """
    found = [r for r in model.resources if words(r.plural) in _user_words()]

    def rank(res: Resource) -> tuple[bool, bool, str]:
        own = any(f.own and f.path == res.router_file for f in res.files)
        return (not own, not res.tables, res.name)

    return min(found, key=rank) if found else None


def _user_words() -> set[tuple[str, ...]]:
    return {(w,) for w in _USER_WORDS}


def _own_router(model: ProjectModel, res: Resource) -> str | None:
    served = {rm.file for rm in model.routers if rm.reachable}
    own = any(f.own and f.path == res.router_file for f in res.files)
    return res.router_file if own and res.router_file in served else None


def _file_of(model: ProjectModel, res: Resource, role: str) -> str | None:
    """The resource's own file of a role, else a shared one.

    A package's ``__init__.py`` that re-exports stands for its module named
    like the resource (``users/services/__init__.py`` -> ``.../user.py``).
    """
    ranked = sorted(
        (f for f in res.files if f.role == role),
        key=lambda f: (not f.own, f.path.endswith("__init__.py"), f.path),
    )
    if not ranked:
        return None
    path = ranked[0].path
    if path.endswith("/__init__.py"):
        folder = path.removesuffix("__init__.py")
        for stem in (res.singular, res.plural):
            if f"{folder}{stem}.py" in model.paths:
                return f"{folder}{stem}.py"
    return path


def _plain_modules(model: ProjectModel) -> list[str]:
    """Project modules that are no route, model, schema, migration or test."""
    return [
        p
        for p in model.paths
        if p.endswith(".py")
        and not is_test_path(p)
        and role_of(p) not in _NOT_HELPERS
        and not p.endswith("__init__.py")
    ]


def _modules(model: ProjectModel, stems: tuple[str, ...]) -> list[str]:
    """Project modules (or packages) named by one of ``stems``, shallowest first."""
    out: list[tuple[int, int, str]] = []
    for p in model.paths:
        if not p.endswith(".py") or is_test_path(p) or role_of(p) == "migration":
            continue
        parts = p.removesuffix(".py").split("/")
        stem = parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]
        if stem in stems:
            out.append((stems.index(stem), p.count("/"), p))
    return [p for _, _, p in sorted(out, key=lambda t: (t[1], t[0], t[2]))]


def _app_dir(model: ProjectModel, ex: Resource | None) -> str:
    """The folder of the application package, where new shared modules go."""
    if ex is not None and ex.router_file.count("/") >= 1:
        first = ex.router_file.split("/")[0]
        if f"{first}/__init__.py" in model.paths:
            return first
    app = model.api_app.file if model.api_app else ""
    return posixpath.dirname(app)


def _in_app(model: ProjectModel, path: str, ex: Resource | None) -> bool:
    root = _app_dir(model, ex)
    return not root or path.startswith(root + "/")


def _helper_stem(path: str) -> bool:
    """A token helper named for what it does (``jwt.py``, ``token_helper.py``)."""
    stem = words(path.rsplit("/", 1)[-1].removesuffix(".py"))
    return "jwt" in stem or ("token" in stem and bool(_HELPER_WORDS & set(stem)))


def _security(
    model: ProjectModel, plan: AuthFiles, ex: Resource | None, scheme: str
) -> str:
    """The module of password hashing and tokens: the project's own, or a new one.

    An API-key scheme first looks for the project's API-key module. A new
    module goes beside the settings module, else into the application package.
    """
    if "key_module" in plan.slots:
        path = plan.slots["key_module"]
        plan.add(path, "security", "the project's API-key helpers", exists=True)
        return path
    stems = KEY_STEMS + _SECURITY_STEMS if scheme == "api-key" else _SECURITY_STEMS
    named = [
        p
        for p in _modules(model, stems)
        if not p.endswith("__init__.py")
        and role_of(p) not in _NOT_HELPERS
        and p != plan.slots.get("key_service")
        and role_of(posixpath.dirname(p) + "/module.py") not in _NOT_HELPERS
    ]
    helpers = sorted(
        (p for p in _plain_modules(model) if _helper_stem(p)),
        key=lambda p: (p.count("/"), p),
    )
    mods = sorted(
        (
            p
            for p in dict.fromkeys(named + helpers)
            if not foreign(model, p) and not _NOT_SECURITY & set(p.split("/")[:-1])
        ),
        key=lambda p: not _in_app(model, p, ex),
    )
    if mods:
        plan.add(mods[0], "security", "security helpers", exists=True)
        if _helper_stem(mods[0]):
            # The project signs tokens already: refresh tokens are JWTs too,
            # and sign-in hands the helper's tokens out for JSON credentials.
            plan.slots["stateless_refresh"] = "yes"
            plan.slots["login_body"] = "json"
        return mods[0]
    if scheme == "api-key" and "key_service" in plan.slots:
        # Making and checking a key is the key's own business: its data
        # access module holds it rather than a new security module.
        return plan.slots["key_service"]
    shared = _shared_helpers(model, ex)
    if shared:
        plan.add(shared, "security", "the project's shared helpers", exists=True)
        return shared
    settings = _modules(model, SETTINGS_STEMS)
    root = posixpath.dirname(settings[0]) if settings else _app_dir(model, ex)
    path = f"{root}/security.py" if root else "security.py"
    plan.add(path, "security", "password hashing and tokens", exists=False)
    return path


def _shared_helpers(model: ProjectModel, ex: Resource | None) -> str | None:
    """The application package's one module of shared helpers, if it keeps one.

    A project that gathers its helpers in ``helpers.py`` (or ``utils.py``)
    beside its app gets hashing and token helpers there too, rather than a
    new module; a ``utils/`` package of topic modules is no such place.
    """
    root = _app_dir(model, ex)
    for stem in _SHARED_STEMS:
        path = f"{root}/{stem}.py" if root else f"{stem}.py"
        if path in model.paths:
            return path
    return None


def _dependency(model: ProjectModel, plan: AuthFiles, fallback: str) -> str:
    """The module of the current-user dependency: the one in use, else deps."""
    dep = model.convention("current_user_dependency").winner or ""
    mod = dep.rsplit("(", 1)[-1].rstrip(")").replace(".", "/") + ".py" if dep else ""
    found = [p for p in model.paths if mod and (p.endswith("/" + mod) or p == mod)]
    if found:
        p = min(found, key=lambda p: (p.count("/"), p))
        plan.add(p, "dependency", "the current-user dependency", exists=True)
        return p
    deps = [p for p in _modules(model, _DEPS_STEMS) if not p.endswith("__init__.py")]
    if deps:
        plan.add(deps[0], "dependency", "shared dependencies", exists=True)
        return deps[0]
    return fallback


def _exemplar(model: ProjectModel) -> Resource | None:
    """The most typical resource with a router module of its own, if any."""
    own = tuple(r for r in model.resources if _own_router(model, r))
    return pick_exemplar(
        dataclasses.replace(model, resources=own) if own else model, _ALL_OPS
    )


def _by_role(files: dict[str, Target], role: str) -> str | None:
    return next((t.path for t in files.values() if t.role == role), None)


def _new_router(
    model: ProjectModel,
    plan: AuthFiles,
    ex: Resource,
    new: Names,
    roles: frozenset[str],
) -> tuple[str | None, str]:
    """Create a resource by analogy with ``ex``: its files and served prefix."""
    files = plan_files(model, ex, new, roles=roles, migration=False, shared=False)
    plan.merge({p: t for p, t in files.items() if t.role != "test"})
    old = Names.guess(ex.plural)
    case = model.convention("url_case").winner
    prefix = replace_names(ex.served_prefix, old, new, url=case)
    return _by_role(files, "router"), prefix.rstrip("/")


def _test(model: ProjectModel, ex: Resource | None, plan: AuthFiles) -> str | None:
    """The auth test module, beside the exemplar's router test."""
    from .testfiles import mirror_test

    path = ""
    if ex is not None:
        old = Names.guess(ex.plural)
        test = mirror_test(model, ex.router_file, old)
        path = replace_names(test, old, _AUTH) if test else ""
        if path == test:
            path = ""
    router = plan.slots.get("new_router")
    if not path and router:
        path = sibling_test(model, router) or ""
        test = "its sibling routers' tests"
    if not path:
        return None
    plan.add(path, "test", f"beside `{test}`", exists=path in model.paths)
    return path


def _cli(model: ProjectModel, plan: AuthFiles, ex: Resource | None) -> None:
    """The project's command-line module, where keys are issued, if it has one."""
    mods = [
        p
        for p in _modules(model, _CLI_STEMS)
        if not foreign(model, p)
        and _in_app(model, p, ex)
        and not p.endswith("__init__.py")
        and role_of(p) == "module"
    ]
    if mods:
        plan.slots["cli"] = mods[0]


def _settings(model: ProjectModel, plan: AuthFiles, ex: Resource | None) -> None:
    """The settings module: the shallowest named so in the API app's package."""
    root = _app_dir(model, ex)
    top = root.count("/") + 1 if root else 0
    mods = [
        p
        for p in _plain_modules(model)
        if settings_like(p) and not foreign(model, p) and p.count("/") <= top + 1
    ]
    mods.sort(
        key=lambda p: (not _in_app(model, p, ex), settings_rank(p), p.count("/"), p)
    )
    if mods:
        plan.slots["settings"] = mods[0]
        fields = [f for c in model.settings if c.file == mods[0] for f in c.fields]
        if fields:
            plan.slots["settings_fields"] = " ".join(fields)


def _layer_sibling(model: ProjectModel, plan: AuthFiles, role: str, stem: str) -> None:
    """A layer module beside the user data access (``crud.py`` -> ``models.py``).

    One-module-per-layer projects keep the user's model where every other
    model is, next to the shared data access module.
    """
    key = "user_" + role
    service = plan.slots.get("user_service")
    if key in plan.slots or not service:
        return
    path = f"{posixpath.dirname(service)}/{stem}.py".lstrip("/")
    if path in model.paths and path != service:
        plan.slots[key] = path
        plan.add(path, role, f"holds the {role}s beside `{service}`", exists=True)


@dataclass(frozen=True)
class _Request:
    scheme: str
    registration: bool
    refresh: bool


def _user_parts(
    model: ProjectModel,
    plan: AuthFiles,
    ex: Resource | None,
    user: Resource | None,
    req: _Request,
) -> None:
    """The user's router, model, schema and data access, existing or planned."""
    if user is not None:
        _existing_user(model, plan, user, req)
        return
    if ex is None or req.scheme not in _LOCAL_ACCOUNTS:
        return
    router, prefix = _new_router(model, plan, ex, Names.of("user"), _USER_ROLES)
    for role in ("model", "schema"):
        path = _by_role(plan.files, role)
        if path:
            plan.slots["user_" + role] = path
    if router:
        plan.slots["users_router"] = router
        plan.slots["users_prefix"] = prefix
        plan.slots["new_router"] = router


def _existing_user(
    model: ProjectModel, plan: AuthFiles, user: Resource, req: _Request
) -> None:
    """The existing user resource's files; its model only if it needs columns.

    A table that stores a password already needs nothing for a scheme with
    local accounts.
    """
    if req.scheme in _LOCAL_ACCOUNTS and signs_in(model, user):
        plan.slots["user_has_password"] = "yes"
        if model.plain_passwords:
            plan.slots["passwords_plain"] = "yes"
    columns = user_columns(model, user)
    if columns:
        # What the table has, so the plan adds only the columns it lacks.
        plan.slots["user_columns"] = ",".join(columns)
    for role in ("model", "schema", "service"):
        if role == "model" and "user_has_password" in plan.slots:
            continue
        path = _file_of(model, user, role)
        if path:
            plan.slots["user_" + role] = path
            plan.add(path, role, "the user resource", exists=path in model.paths)
    router = _own_router(model, user)
    if router:
        plan.slots["users_router"] = router
        plan.slots["users_prefix"] = user.served_prefix.rstrip("/")
        plan.add(router, "router", "the user routes", exists=True)


def _routes(
    model: ProjectModel,
    plan: AuthFiles,
    ex: Resource | None,
    user: Resource | None,
    req: _Request,
) -> None:
    """Sign-in routes in the user router, else in a new auth router.

    Refresh and verify routes act on tokens, not on users: beside an existing
    user router they get an ``auth`` router of their own, with a token
    service and schemas, shaped like the user resource.
    """
    if "users_router" in plan.slots:
        plan.slots["auth_router"] = plan.slots["users_router"]
        plan.slots["auth_prefix"] = plan.slots["users_prefix"]
        create = collection_create(user) if user is not None else None
        if create is None or not create.guards:
            plan.slots["register_in_users"] = "yes"
        if create is not None and not create.guards:
            plan.slots["register_route"] = f"{create.path} {create.function}"
        if req.refresh and user is not None and _own_router(model, user):
            _token_router(model, plan, user)
        return
    if ex is None:
        return
    router, prefix = _new_router(model, plan, ex, _AUTH, frozenset({"router"}))
    if router:
        plan.slots["auth_router"] = router
        plan.slots["auth_prefix"] = prefix
        plan.slots["new_router"] = router


def _token_router(model: ProjectModel, plan: AuthFiles, user: Resource) -> None:
    """A new ``auth`` router, service and schemas, by analogy with the users'."""
    files = plan_files(
        model, user, _AUTH, roles=_TOKEN_ROLES, migration=False, shared=False
    )
    plan.merge({p: t for p, t in files.items() if t.role != "test"})
    router = _by_role(files, "router")
    if router is None:
        return
    old = Names.guess(user.plural)
    case = model.convention("url_case").winner
    prefix = replace_names(user.served_prefix, old, _AUTH, url=case).rstrip("/")
    plan.slots["token_router"] = router
    plan.slots["token_prefix"] = prefix
    plan.slots["new_router"] = router
    for role, key in (("service", "auth_service"), ("schema", "auth_schema")):
        path = _by_role(files, role)
        if path:
            plan.slots[key] = path


def _shared_layer(ex: Resource | None, role: str) -> str | None:
    """The exemplar's shared module of a layer (one ``crud.py`` for all)."""
    if ex is None:
        return None
    return next((f.path for f in ex.files if f.role == role and not f.own), None)


def _data_access(model: ProjectModel, plan: AuthFiles, ex: Resource | None) -> None:
    """User data access and schemas: the user's own, else the shared layer."""
    for role in ("model", "service", "schema"):
        key = "user_" + role
        if key not in plan.slots:
            shared = _shared_layer(ex, role)
            if shared:
                plan.slots[key] = shared
                plan.add(
                    shared, role, f"holds the {role}s of every resource", exists=True
                )


def _registration(model: ProjectModel, plan: AuthFiles) -> None:
    """Where a new router is registered: the file that includes its siblings."""
    app = model.api_app.file if model.api_app else None
    # The file that includes the routers, not a list of models or managers.
    registry = next((t.path for t in plan.files.values() if t.role == "app"), None)
    router = plan.slots.get("new_router")
    main = registry or (includer(model, router) if router else None) or app
    if main:
        plan.slots["main"] = main
        if "new_router" in plan.slots:
            plan.add(main, "app", "registers the new router", exists=True)


def _tables(
    model: ProjectModel,
    plan: AuthFiles,
    user: Resource | None,
    ex: Resource | None,
    req: _Request,
) -> None:
    """A migration when the scheme adds a table the project does not have."""
    # Local accounts add a table, or columns (a password hash) to the user's;
    # neither when the user's table stores a password and refresh tokens, if
    # any, are stateless JWTs.
    stateful = req.refresh and "stateless_refresh" not in plan.slots
    local = req.scheme in _LOCAL_ACCOUNTS and "user_has_password" not in plan.slots
    adds = local or stateful or req.scheme == "api-key"
    base = user or ex
    if not adds or base is None or not model.migrations:
        return

    def add(path: str, role: str, why: str, *, own: bool, message: str = "") -> None:
        del own
        if "migration" not in plan.slots:
            plan.slots["migration"] = path
            plan.add(path, role, why, exists=path in model.paths, message=message)

    plan_migration(model, base, Names(("auth",), ("auth",)), add)


def _reason(
    model: ProjectModel,
    slots: dict[str, str],
    ex: Resource | None,
    user: Resource | None,
    scheme: str,
) -> str:
    """What the plan follows and what it reuses, for a reviewer to judge."""
    if scheme == "api-key":
        return key_reason(model, slots)
    reason = (
        f"auth ({scheme}) shaped like `{ex.name}`" if ex else "no resource to follow"
    )
    return reason + (f"; accounts are `{user.name}`" if user else "")


def auth_targets(
    model: ProjectModel,
    *,
    scheme: str = "password-jwt",
    registration: bool = True,
    refresh_tokens: bool = False,
) -> Targets:
    """Security, auth routes, the user's files, settings, migration, tests.

    The user resource's files are modified when it exists; for schemes with
    local accounts a missing one is created by analogy with the most typical
    resource. Routes go into the user router, else a new ``auth`` router named
    and registered like its siblings.
    """
    req = _Request(scheme, registration, refresh_tokens)
    plan = AuthFiles()
    ex = _exemplar(model)
    user = _user(model)
    if req.scheme == "api-key":
        plan_key_parts(model, plan, ex, _app_dir(model, ex))
    else:
        _user_parts(model, plan, ex, user, req)
        _routes(model, plan, ex, user, req)
        _data_access(model, plan, ex)
    if req.scheme in _LOCAL_ACCOUNTS:
        _layer_sibling(model, plan, "model", "models")
        _layer_sibling(model, plan, "schema", "schemas")
        plan_errors(model, plan, user)
    _settings(model, plan, ex)
    _cli(model, plan, ex)
    security = _security(model, plan, ex, scheme)
    plan.slots["security"] = security
    plan.slots["deps"] = plan.slots.get("key_deps") or _dependency(
        model, plan, security
    )
    plan_guard_extension(model, plan)
    if "key_service" in plan.slots:
        plan.slots.setdefault("auth_service", plan.slots["key_service"])
    plan.slots.setdefault("user_service", security)
    plan.slots.setdefault("auth_service", plan.slots["user_service"])
    plan.slots.setdefault("auth_schema", plan.slots.get("user_schema", security))
    _registration(model, plan)
    created = sorted(t.path for t in plan.files.values() if t.action == "create")
    for init in new_packages(model, created):
        plan.add(init, "package", "makes the new folder a package", exists=False)
    _tables(model, plan, user, ex, req)
    test = _test(model, ex, plan)
    if test:
        plan.slots["tests"] = test
    conftest = conftest_for(model, plan, test)
    if conftest:
        plan.slots["conftest"] = conftest
    follow = user or ex
    reason = _reason(model, plan.slots, ex, user, scheme)
    return Targets(
        follow,
        reason,
        tuple(sorted(plan.files.values(), key=lambda t: t.path)),
        plan.slots.get("auth_prefix", model.api_root.rstrip("/")),
        "{id}",
        False,
        # An API key is a second credential beside the one the guard reads,
        # so the routes it opens change their contract; sign-in schemes rework
        # the guard they find and its routes keep theirs.
        tuple(plan.changed) if scheme == "api-key" else (),
        _conventions(model, user),
        model.unknowns,
        tuple(sorted(plan.slots.items())),
    )
