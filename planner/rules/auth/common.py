"""What every auth scheme shares: files, the users table, `/users/me`, roles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from planner.engine.builder import Context, PlanBuilder
from planner.inspect.model.resources import id_kind
from planner.plan import Column, Diagram, Endpoint, Schema, SchemaField, Table
from planner.render.escape import code
from planner.rules.shared.guard import (
    BEARER,
    Credential,
    auth_errors,
    auth_label,
)
from planner.rules.shared.params import annotated, param
from planner.rules.shared.schemas import create_schema, read_schema
from planner.rules.shared.tables import id_column
from planner.rules.shared.types import id_annotation
from planner.spec import AuthRequirement, AuthSpec

NOW = ("server default now()",)


def auth_spec(ctx: Context) -> AuthSpec:
    """Return the context's spec, which these rules need to be an auth spec."""
    if not isinstance(ctx.spec, AuthSpec):
        raise TypeError(f"rule needs an auth spec, got {ctx.spec.kind!r}")
    return ctx.spec


@dataclass(frozen=True)
class AuthPaths:
    """The project files an auth plan touches, and where its routes are served.

    ``auth_prefix`` serves the sign-in routes (``/auth/...`` in the rules) and
    ``users_prefix`` the account routes (``/users/...``): both are full served
    paths. When sign-in lives in the users router, registration is a create on
    the users collection. ``user_read`` and ``user_create`` are the user
    schemas named with the project's suffixes, and ``id_type`` the type of
    the ids of its tables (new tables' ids and the keys to `users` follow it).
    """

    prefix: str
    settings: str
    security: str
    deps: str
    main: str
    user_model: str
    user_schema: str
    auth_schema: str
    user_service: str
    auth_service: str
    auth_router: str
    users_router: str
    tests: str
    conftest: str
    registry: str = ""
    auth_prefix: str | None = None
    users_prefix: str | None = None
    register_in_users: bool = False
    # The router of the token routes (refresh, sign-out) when they are not
    # served beside sign-in, and its served prefix.
    token_router: str = ""
    token_prefix: str | None = None
    user_read: str = "UserPublic"
    user_create: str = "UserCreate"
    id_type: str = "int"
    # The route that already creates accounts for anyone (`POST /users`,
    # `create_user`): registration changes it instead of adding a second one.
    signup_path: str | None = None
    signup_function: str = "register"
    # The fields the project's settings class declares already.
    settings_fields: tuple[str, ...] = ()
    # Sign-in takes the OAuth2 password form at `/auth/token`, which
    # `OAuth2PasswordBearer` and Swagger UI's Authorize button expect; a
    # project that signs and reads its own tokens already takes JSON
    # credentials at `/auth/login`, like the bodies of its other routes.
    login_form: bool = True

    @property
    def login(self) -> str:
        """The served path of sign-in."""
        return self.url("/auth/token" if self.login_form else "/auth/login")

    def url(self, path: str) -> str:
        """Return the full served path of an auth (``/auth/..``) or user route."""
        if self.token_prefix is not None and path in _TOKEN_ROUTES:
            return self.token_prefix + path[len("/auth") :]
        heads = (("/auth", self.auth_prefix), ("/users", self.users_prefix))
        for head, served in heads:
            if served is not None and (path == head or path.startswith(head + "/")):
                return served + path[len(head) :]
        return f"{self.prefix}{path}"

    @property
    def register(self) -> str:
        """The served path of registration."""
        if self.signup_path is not None:
            return self.signup_path
        if self.register_in_users and self.users_prefix is not None:
            return self.users_prefix + "/"
        return self.url("/auth/register")


# Routes that act on a token rather than on a user's credentials.
_TOKEN_ROUTES = frozenset({"/auth/refresh", "/auth/logout", "/auth/verify"})


def auth_paths(ctx: Context) -> AuthPaths:
    """Return the files of an auth plan in the project's layout (once per plan)."""
    return ctx.derive(_auth_paths)


def _fill(pattern: str, singular: str, plural: str) -> str:
    return pattern.replace("{singular}", singular).replace("{plural}", plural)


def _auth_paths(ctx: Context) -> AuthPaths:
    lay = ctx.layout
    slots = dict(ctx.targets.slots) if ctx.targets is not None else {}

    def at(slot: str, pattern: str, singular: str, plural: str) -> str:
        # The project's own file for the part; else the layout's pattern filled
        # with the part's name, never a pattern with a placeholder left in.
        return slots.get(slot) or _fill(pattern, singular, plural)

    paths = AuthPaths(
        prefix=lay.api_prefix,
        settings=at("settings", lay.settings_module, "settings", "settings"),
        security=at("security", lay.security_module, "security", "security"),
        deps=at("deps", lay.deps_module, "deps", "deps"),
        main=at("main", lay.main_module, "main", "main"),
        user_model=at("user_model", lay.model_module, "user", "users"),
        user_schema=at("user_schema", lay.schema_module, "user", "users"),
        auth_schema=at("auth_schema", lay.schema_module, "auth", "auth"),
        user_service=at("user_service", lay.service_module, "user", "users"),
        auth_service=at("auth_service", lay.service_module, "auth", "auth"),
        auth_router=at("auth_router", lay.route_module, "auth", "auth"),
        users_router=at("users_router", lay.route_module, "user", "users"),
        tests=at("tests", lay.test_module, "auth", "auth"),
        conftest=at("conftest", lay.conftest, "conftest", "conftest"),
        registry=at("main", lay.router_registry, "main", "main"),
        settings_fields=tuple(slots.get("settings_fields", "").split()),
        login_form=slots.get("login_body") != "json",
        user_read=read_schema(lay, "User"),
        user_create=create_schema(lay, "User"),
        id_type=_id_type(ctx),
    )
    if not slots:
        return paths
    api = lay.api_prefix.rstrip("/")
    auth = slots.get("auth_prefix", api + "/auth")
    signup = (
        slots["register_route"].split(" ", 1) if "register_route" in slots else None
    )
    return replace(
        paths,
        auth_prefix=auth,
        users_prefix=slots.get(
            "users_prefix", auth if "auth_router" in slots else api + "/users"
        ),
        register_in_users=slots.get("register_in_users") == "yes",
        signup_path=signup[0] if signup else None,
        signup_function=signup[1] if signup else "register",
        token_router=slots.get("token_router", ""),
        token_prefix=slots.get("token_prefix"),
    )


def _id_type(ctx: Context) -> str:
    """`uuid` when the project's ids are UUIDs (`UUID`, `uuid.UUID`), else `int`."""
    found = ctx.targets.convention("id_type") if ctx.targets is not None else None
    return "uuid" if id_kind(found) == "uuid" else "int"


def create_status(ctx: Context) -> int:
    """The status a new account or key answers: the project's creates' own.

    A project whose routes answer a create with 200 gets 200 everywhere the
    plan names it (contract, guidance, tests), so the plan never says both.
    """
    habit = ctx.targets.convention("create_status") if ctx.targets else ""
    return int(habit) if habit.isdigit() else 201


def caller_param(ctx: Context) -> str:
    """How a route takes the signed-in user, in the project's FastAPI idiom."""
    if annotated(ctx):
        return "`CurrentUser`"
    return f"`{param(ctx, 'current_user', 'User', 'Depends', args='get_current_user')}`"


@dataclass(frozen=True)
class Scheme:
    """How one auth scheme fills each part of the plan."""

    credential: Callable[[AuthSpec], Credential]
    summary: str
    endpoints: Callable[[AuthPaths, AuthSpec], list[Endpoint]]
    schemas: Callable[[AuthPaths, AuthSpec], list[Schema]]
    tables: Callable[[AuthPaths, AuthSpec], list[Table]]
    plan_modules: Callable[[Context, PlanBuilder, AuthSpec, AuthPaths], None]
    diagram: Callable[[AuthPaths, AuthSpec], Diagram]
    plan_tests: Callable[[Context, PlanBuilder, AuthSpec, AuthPaths], None]
    packages: tuple[str, ...]


def signed_in(spec: AuthSpec) -> AuthRequirement:
    """Return the requirement of a route any signed-in caller may use."""
    del spec
    return AuthRequirement(required=True)


def admin_only(spec: AuthSpec) -> AuthRequirement:
    """Return the requirement of a route only the first (highest) role may use."""
    return AuthRequirement(required=True, roles=spec.roles[:1])


def me_endpoint(
    paths: AuthPaths, spec: AuthSpec, credential: Credential = BEARER
) -> Endpoint:
    """Return `GET /users/me`: the caller's own account, the guard's cases."""
    req = signed_in(spec)
    return Endpoint(
        method="GET",
        path=paths.url("/users/me"),
        function="read_users_me",
        summary="Read the signed-in user's account",
        response_schema=paths.user_read,
        success_status=200,
        auth=auth_label(req, credential),
        idempotent=True,
        errors=tuple(auth_errors(req, credential)),
    )


def role_column(spec: AuthSpec, enum: str = "UserRole") -> tuple[Column, ...]:
    """Return the `role` column when the spec names roles."""
    if not spec.roles:
        return ()
    default = spec.roles[-1]
    longest = max(len(r) for r in spec.roles)
    return (
        Column(
            name="role",
            type=f"Enum({enum}, native_enum=False, length={longest})",
            nullable=False,
            constraints=(f"server default '{default}'",),
        ),
    )


def users_table(
    paths: AuthPaths,
    spec: AuthSpec,
    *,
    extra: tuple[Column, ...] = (),
    stores_role: bool = True,
) -> Table:
    """Return the `users` table with the columns a scheme adds."""
    columns = (
        id_column(paths.id_type),
        *extra,
        Column(
            name="is_active",
            type="Boolean",
            nullable=False,
            constraints=("server default true",),
        ),
        *(role_column(spec) if stores_role else ()),
        Column(
            name="created_at",
            type="DateTime(timezone=True)",
            nullable=False,
            constraints=NOW,
        ),
        Column(
            name="updated_at",
            type="DateTime(timezone=True)",
            nullable=False,
            constraints=(*NOW, "onupdate now()"),
        ),
    )
    return Table(name="users", model="User", columns=columns)


def user_public(
    paths: AuthPaths,
    spec: AuthSpec,
    *,
    email_required: bool = True,
    stores_role: bool = True,
) -> Schema:
    """Return the user's response schema: what a user may see of an account."""
    fields = [
        SchemaField(name="id", type=id_annotation(paths.id_type), required=True),
        SchemaField(
            name="email",
            type="EmailStr" if email_required else "EmailStr | None",
            required=True,
        ),
        SchemaField(name="is_active", type="bool", required=True),
    ]
    if spec.roles and stores_role:
        fields.append(
            SchemaField(
                name="role",
                type="UserRole",
                required=True,
                constraints="one of " + ", ".join(spec.roles),
            )
        )
    return Schema(
        name=paths.user_read,
        role="response body of user endpoints",
        fields=tuple(fields),
        notes="never a hash, key or token",
    )


def roles_assumption(plan: PlanBuilder, spec: AuthSpec) -> None:
    """Record how roles are read, when the spec names them."""
    if not spec.roles:
        return
    names = ", ".join(code(r) for r in spec.roles)
    plan.assume(
        f"Roles {names} are listed from most to least privileged: role-only "
        f"routes in this plan need {code(spec.roles[0])}."
    )
    if spec.scheme == "oidc":
        plan.assume("The token's role claim assigns each caller's role.")
    else:
        plan.ask(f"Which of {names} do new accounts get, and who may change it?")
