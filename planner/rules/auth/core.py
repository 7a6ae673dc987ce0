"""Rules for the auth kind: each part of the plan comes from the chosen scheme."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from planner.engine.builder import Context, PlanBuilder, rule
from planner.plan import Column, Endpoint, Index
from planner.render.escape import code, codes
from planner.rules.auth import apikey as auth_apikey
from planner.rules.auth import oauth2 as auth_oauth2
from planner.rules.auth import oidc as auth_oidc
from planner.rules.auth import password as auth_password
from planner.rules.auth.apikey import extend_key_table, named_key_table
from planner.rules.auth.common import (
    AuthPaths,
    Scheme,
    auth_paths,
    auth_spec,
    caller_param,
    create_status,
    me_endpoint,
    roles_assumption,
)
from planner.rules.auth.guarded import changed_routes, plan_guarded
from planner.rules.shared.cases import error_tests
from planner.rules.shared.edges import plan_edges, plan_secret_echo
from planner.rules.shared.guard import plan_role_check
from planner.rules.shared.route import singularize
from planner.rules.shared.tables import alter_table, create_table
from planner.rules.shared.testclient import (
    client_defaults,
    client_fixture,
    real_database,
    uses_real_database,
)
from planner.rules.shared.types import article
from planner.spec import AuthSpec

SCHEMES: dict[str, Scheme] = {
    "password-jwt": auth_password.SCHEME,
    "api-key": auth_apikey.SCHEME,
    "oidc": auth_oidc.SCHEME,
    "oauth2": auth_oauth2.SCHEME,
}


def _scheme(spec: AuthSpec) -> Scheme:
    return SCHEMES[spec.scheme]


@rule("auth.contract")
def plan_contract(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the sign-in contract: every auth route, status and header."""
    spec = auth_spec(ctx)
    scheme = _scheme(spec)
    paths = auth_paths(ctx)
    endpoints = scheme.endpoints(paths, spec)
    plan.title = f"Authentication: {spec.scheme}"
    parts = ["tables and migration", "security module", "dependencies"]
    if spec.scheme != "api-key":
        # A key's hash needs no secret: the other schemes sign or verify
        # tokens with keys from settings.
        parts.insert(0, "settings")
    if endpoints:
        parts.append("routes")
    plan.summary = (
        f"Add {scheme.summary}. The plan covers the "
        + ", ".join(parts)
        + " and tests, and a diagram of the flow."
    )
    plan.endpoints.extend(_as_the_project_creates(ctx, plan, endpoints))
    plan.schemas.extend(scheme.schemas(paths, spec))
    roles_assumption(plan, spec)


def _as_the_project_creates(
    ctx: Context, plan: PlanBuilder, endpoints: Sequence[Endpoint]
) -> list[Endpoint]:
    """The endpoints, creates answering as the project's own creates do."""
    habit = create_status(ctx)
    if habit == 201:
        return list(endpoints)
    out = []
    for ep in endpoints:
        if ep.success_status == 201:
            ep = dataclasses.replace(
                ep,
                success_status=habit,
                success_headers=tuple(
                    h for h in ep.success_headers if not h.startswith("Location")
                ),
            )
            plan.note(
                "practice",
                f"`{ep.method} {ep.path}` answers {habit}, as the project's own "
                "routes do; current practice is 201. Keep the project's habit "
                "unless the team changes it everywhere.",
            )
        out.append(ep)
    return out


@rule("auth.data")
def plan_data(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the scheme's tables (users, tokens, keys, links) and their migration.

    A `users` table the project has already is not created again: the plan asks
    for the missing columns instead.
    """
    spec = auth_spec(ctx)
    user_model = auth_paths(ctx).user_model
    slot = ctx.targets.slot if ctx.targets is not None else None
    signs_in = bool(slot and slot("user_has_password"))
    stateless = bool(slot and slot("stateless_refresh"))
    has_users = signs_in or ctx.exists(user_model)
    for table in _scheme(spec).tables(auth_paths(ctx), spec):
        if table.name == "users" and has_users:
            continue
        if table.name == "refresh_tokens" and stateless:
            continue
        key = table.name == "api_keys"
        if key and slot and slot("key_table"):
            extend_key_table(ctx, plan, table)
            continue
        named = slot("key_name") if key and slot else None
        if named:
            table = named_key_table(table, named)
        create_table(
            ctx,
            plan,
            table,
            model_file=(slot and slot("key_model") if key else None)
            or _model_file(ctx, table.name, user_model),
            guidance=_table_guidance(spec, table.model, table.columns),
            revision="add auth",
        )
    if signs_in:
        plan.assume(
            f"{code(user_model)} stores a password already: the plan adds no "
            "column to it."
        )
    elif has_users and _users_columns(ctx, spec):
        _alter_users(ctx, plan, spec, user_model)
    elif any(t.name == "users" for t in _scheme(spec).tables(auth_paths(ctx), spec)):
        plan.ask(
            "Does the project already have a `users` table? Then add only the "
            "missing columns in an alter migration instead of creating it."
        )
    plan.practice("naming-convention-indexes")


# Columns a base class or mixin often gives a model, so one planner did not
# read on the class itself may be there all the same.
_INHERITED = frozenset({"created_at", "updated_at"})


def _alter_users(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, user_model: str
) -> None:
    """Add to an existing users table only the columns it lacks.

    With the table's columns read, the plan names what it has and what is
    missing; without them, it asks.
    """
    wanted = _users_columns(ctx, spec)
    slot = ctx.targets.slot("user_columns") if ctx.targets is not None else None
    if not slot:
        plan.file(
            user_model,
            "the `User` table model",
            "Add the columns the scheme needs that the model lacks ("
            + ", ".join(code(c.name) for c in wanted)
            + "), in an alter migration.",
            *_table_guidance(spec, "User", wanted)[1:],
        )
        plan.ask(
            f"{code(user_model)} exists already: which of the columns planned for "
            "it does it lack? Add only those, in an alter migration."
        )
        return
    has = set(slot.split(","))
    # Every table has a primary key, whatever it is named.
    lacks = [c for c in wanted if c.name not in has and c.name != "id"]
    sure = tuple(c for c in lacks if c.name not in _INHERITED)
    maybe = [c.name for c in lacks if c.name in _INHERITED]
    if sure:
        added = {c.name for c in sure}
        alter_table(
            ctx,
            plan,
            table="users",
            model="User",
            model_file=user_model,
            columns=sure,
            indexes=tuple(
                x for x in _users_indexes(ctx, spec) if set(x.columns) <= added
            ),
            change="add " + ", ".join(code(c.name) for c in sure) + " to `users`",
        )
        if any(not c.nullable for c in sure):
            plan.file(
                user_model,
                "the `User` table model",
                "The table has rows: add each NOT NULL column with a server "
                "default, or nullable first, then backfill and set NOT NULL.",
            )
    if maybe:
        plan.file(
            user_model,
            "the `User` table model",
            "Add "
            + ", ".join(code(n) for n in maybe)
            + " only if a base class or mixin of the model does not give them.",
        )


def _users_columns(ctx: Context, spec: AuthSpec) -> tuple[Column, ...]:
    tables = _scheme(spec).tables(auth_paths(ctx), spec)
    users = [t for t in tables if t.name == "users"]
    return users[0].columns if users else ()


def _users_indexes(ctx: Context, spec: AuthSpec) -> tuple[Index, ...]:
    tables = _scheme(spec).tables(auth_paths(ctx), spec)
    users = [t for t in tables if t.name == "users"]
    return users[0].indexes if users else ()


def _model_file(ctx: Context, table: str, user_model: str) -> str:
    """The module of a table's model: the layout's, else beside the user's.

    A model module in a folder the project does not have (a resource package
    for `refresh_tokens`) goes into the user's existing model module instead.
    """
    lay = ctx.layout
    path = lay.path(lay.model_module, singular=singularize(table), plural=table)
    if table == "users":
        return user_model
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    if not folder or not ctx.exists(user_model):
        return path
    return path if any(p.startswith(folder) for p in lay.existing) else user_model


def _table_guidance(
    spec: AuthSpec, model: str, columns: tuple[Column, ...]
) -> tuple[str, ...]:
    guidance = [
        f"`{model}` with the columns below; name every constraint and "
        "index (or rely on a `MetaData(naming_convention=...)`)."
    ]
    if any(c.name == "role" for c in columns):
        guidance.append(
            "`UserRole` as a `StrEnum` of "
            + ", ".join(code(r) for r in spec.roles)
            + "; the server sets it, never the request body."
        )
    return tuple(guidance)


@rule("auth.modules")
def plan_modules(ctx: Context, plan: PlanBuilder) -> None:
    """Plan settings, security, services, dependencies and routes."""
    spec = auth_spec(ctx)
    scheme = _scheme(spec)
    paths = auth_paths(ctx)
    # The OAuth2 password form is what needs `python-multipart`.
    _plan_packages(
        ctx,
        plan,
        tuple(
            p for p in scheme.packages if paths.login_form or p != "python-multipart"
        ),
    )
    existing = ctx.layout.current_user_dep
    extends = ctx.targets is not None and ctx.targets.slot("guard_name")
    # A guard the new scheme extends gets its own guidance (``guarded.py``).
    if existing and spec.scheme != "api-key" and not extends:
        plan.file(
            paths.deps,
            "shared dependencies",
            f"The project already has {code(existing)}: rework it to the steps "
            "below rather than adding a second current-user dependency.",
        )
    scheme.plan_modules(ctx, plan, spec, paths)
    plan_guarded(ctx, plan, paths, scheme.credential(spec))
    _plan_errors(ctx, plan)
    if spec.roles:
        plan_role_check(ctx, plan, spec.roles, beside=paths.deps)
    _plan_users_router(ctx, plan, spec, paths)
    plan.practice("401-www-authenticate")
    plan.practice("annotated-dependencies")


# Packages that do the same job: one the project declares stands for the rest,
# so a project on `passlib` or `python-jose` is not given a second library.
_SAME_JOB = (
    frozenset({"pwdlib", "passlib", "bcrypt"}),
    frozenset({"pyjwt", "python-jose"}),
)
# Where projects declare their dependencies, most common first.
_DEPENDENCY_FILES = (
    "pyproject.toml",
    "requirements.txt",
    "requirements/base.txt",
    "requirements/prod.txt",
    "Pipfile",
    "setup.py",
)


def _missing_packages(ctx: Context, packages: tuple[str, ...]) -> list[str]:
    """The scheme's packages the project declares neither itself nor an equivalent."""
    declared = {name for name, _ in ctx.layout.versions}
    missing = []
    for package in packages:
        name = package.partition("[")[0]
        same = next((g for g in _SAME_JOB if name in g), frozenset({name}))
        if not same & declared:
            missing.append(package)
    return missing


def _plan_packages(ctx: Context, plan: PlanBuilder, packages: tuple[str, ...]) -> None:
    """Add the missing packages to the file that declares the project's own.

    Nothing is planned when every package (or one doing its job) is declared;
    with no dependency file found the plan asks where they go.
    """
    missing = _missing_packages(ctx, packages)
    if not missing:
        return
    names = ", ".join(code(p) for p in missing)
    found = next((f for f in _DEPENDENCY_FILES if ctx.exists(f)), None)
    if found is None and ctx.targets is None:
        # No project read: the plan assumes the usual skeleton's pyproject.toml.
        found = "pyproject.toml"
    if found is None:
        plan.ask(f"Where does the project declare its dependencies? Add {names}.")
        return
    plan.file(found, "dependencies", f"Add {names}.", action="modify")


def _plan_errors(ctx: Context, plan: PlanBuilder) -> None:
    """Sign-in errors in the project's own module of user errors, if it has one."""
    slots = ctx.targets.slot if ctx.targets is not None else None
    errors = slots("errors") if slots else None
    if not errors or not slots:
        return
    plan.file(
        errors,
        "user errors",
        "The sign-in errors in the project's own exception style, beside the "
        "user errors already there: an unknown user and a wrong password map to "
        "the same 401 body, so the answer does not tell which one was wrong.",
    )
    init = slots("errors_init")
    if init:
        plan.file(init, "error exports", "Export the new error classes.")


def _plan_users_router(
    ctx: Context, plan: PlanBuilder, spec: AuthSpec, paths: AuthPaths
) -> None:
    credential = _scheme(spec).credential(spec)
    if spec.scheme != "api-key":
        me = me_endpoint(paths, spec, credential)
        plan.file(
            paths.users_router,
            "user routes",
            f"`{me.function}` — `GET {me.path}` → 200 with `{paths.user_read}`, "
            f"taking {caller_param(ctx)}; the smallest route that proves the "
            "whole chain works.",
        )
    lay = ctx.layout
    keys_router = lay.path(lay.route_module, singular="api_key", plural="api_keys")
    for router in (paths.auth_router, keys_router, paths.users_router):
        if plan.has_file(router) and not ctx.exists(router):
            module = router.rsplit("/", 1)[-1].removesuffix(".py")
            plan.file(
                paths.registry,
                "router registration",
                f"Include the `{module}` router.",
            )


@rule("auth.diagram")
def plan_diagram(ctx: Context, plan: PlanBuilder) -> None:
    """Draw the sign-in or token flow as a Mermaid sequence diagram."""
    spec = auth_spec(ctx)
    plan.diagrams.append(_scheme(spec).diagram(auth_paths(ctx), spec))


@rule("auth.tests")
def plan_tests(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the tests of every route and every way a credential can be wrong."""
    spec = auth_spec(ctx)
    scheme = _scheme(spec)
    paths = auth_paths(ctx)
    lay = ctx.layout
    plan.file(
        paths.tests,
        "auth tests",
        f"{client_fixture(lay, test_file=paths.tests)}; build credentials with "
        "the real security functions and a test-only key from settings, never "
        "hard-coded tokens.",
        # Only the password scheme's sign-in posts a form.
        *filter(
            None,
            [
                "".join(f"{r[:1].upper()}{r[1:]}." for r in [real_database(lay)] if r),
                client_defaults(
                    lay,
                    paths=tuple(ep.path for ep in plan.endpoints),
                    form=paths.login_form and "python-multipart" in scheme.packages,
                ),
            ],
        ),
    )
    roles = " and one per role" if spec.roles else ""
    wanted = (
        f"Fixtures for a key{roles}, a revoked key and an expired key, each with "
        "its header"
        if spec.scheme == "api-key"
        else f"Fixtures for an active user, a disabled user{roles}, each with "
        "ready-made auth headers"
        + (" (tokens signed with a test RSA key)" if spec.scheme == "oidc" else "")
    )
    if lay.test_user_fixtures:
        # Only these tests use them: they stay in the module, built on the
        # users the project's tests already make.
        plan.file(
            paths.tests,
            "auth tests",
            f"{wanted}, in this module, built on the project's own "
            f"{codes(lay.test_user_fixtures)}.",
        )
    else:
        plan.file(paths.conftest, "test fixtures", f"{wanted}.")
    scheme.plan_tests(ctx, plan, spec, paths)
    # One test per route and status; the scheme's own tests above come first
    # and keep their richer checks where they share a name. Routes whose guard
    # changes are tested beside their own tests (``guarded.py``).
    changed = changed_routes(ctx)
    for ep in plan.endpoints:
        if (ep.method, ep.path) in changed:
            continue
        plan.test(
            paths.tests,
            f"test_{ep.function}_{ep.success_status}",
            f"`{ep.method} {ep.path}` → {ep.success_status}",
        )
        for name, checks in error_tests(ep):
            plan.test(paths.tests, name, checks)
    if spec.roles:
        plan.test(
            paths.tests,
            "test_require_role_403",
            f'a route guarded by `require_role("{spec.roles[0]}")`, called by '
            f"{article(spec.roles[-1])} → 403; by {article(spec.roles[0])} → 200",
        )
    if not uses_real_database(lay):
        plan.practice("dependency-overrides")


@rule("auth.edges")
def plan_edges_of_auth(ctx: Context, plan: PlanBuilder) -> None:
    """Plan proxy, CORS and 422-echo protection for the sign-in routes."""
    paths = auth_paths(ctx)
    plan_edges(ctx, plan, route_file=paths.auth_router)
    spec = auth_spec(ctx)
    if spec.scheme in ("password-jwt", "oauth2"):
        # Only schemes with local accounts take a password in a request body.
        plan_secret_echo(ctx, plan, ["password"], schema_file=paths.auth_schema)


@rule("auth.steps")
def plan_steps(ctx: Context, plan: PlanBuilder) -> None:
    """Lay out the order of work, each step leaving the suite green."""
    paths = auth_paths(ctx)
    if plan.has_file(paths.settings):
        plan.step(
            "Settings",
            f"Add the settings in {code(paths.settings)}; set them in "
            "`.env` for development and in the deployment's secret store.",
        )
    plan.step("Tables", "Add the models, generate and review the migration, apply it.")
    plan.step(
        "Security",
        f"Write {code(paths.security)} and its unit tests first.",
    )
    plan.step(
        "Dependencies", f"Add the current-caller dependency in {code(paths.deps)}."
    )
    changed = changed_routes(ctx)
    if any((ep.method, ep.path) not in changed for ep in plan.endpoints):
        plan.step("Routes", "Add the routes and register the routers.")
    plan.step(
        "Tests", f"Write {code(paths.tests)}: every route, every rejected credential."
    )
    plan.step("Check", "Run the linters, type checker and the whole test suite.")
