"""One spec model per kind: what a user asks planner to plan, validated."""
# No `from __future__ import annotations`: pydantic reads the annotations as
# the objects they are, rather than evaluating strings as it builds each model.

import re
from typing import Annotated, Literal, Self

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from planner.spec.fields import (
    GENERATED_NAMES,
    MAX_TEXT,
    RESERVED_NAMES,
    AuthRequirement,
    FieldGroup,
    Fields,
    HttpMethod,
    Name,
    Operation,
    PageSize,
    PaginationStyle,
    Scope,
    SortKeys,
    Text,
    _check_name,
    _Lean,
    _Model,
    _SpecModel,
    check_page_sizes,
)
from planner.spec.words import path_parameters, pluralize, resource_segments

PageLinks = Literal["envelope", "link-header", "none"]


class _Paging(_Model):
    """The paging keys a list takes, wherever a spec pages one."""

    style: PaginationStyle = "offset"
    default_size: PageSize = 50
    max_size: PageSize = 100
    sort: SortKeys = ()
    include_total: bool | None = None
    links: Literal["envelope", "link-header"] = "envelope"

    @model_validator(mode="after")
    def _sizes(self) -> Self:
        check_page_sizes(self.default_size, self.max_size)
        return self


class ResourcePagination(_Paging):
    """How a resource's list operation pages its results ("none": it does not)."""

    style: Literal["offset", "page", "cursor", "none"] = "offset"  # type: ignore[assignment]


IdType = Literal["int", "uuid", "str"]


class ResourceSpec(_Lean):
    """A database-backed resource exposed over HTTP."""

    _lean = frozenset({"id_type"})

    name: Name
    plural: Name | None = None
    description: Text = ""
    operations: Annotated[tuple[Operation, ...], Field(min_length=1)] = (
        "list", "read", "create", "update", "delete",
    )  # fmt: skip
    update_method: Literal["patch", "put"] = "patch"
    owned_by_user: bool = False
    timestamps: bool = True
    fields: Annotated[Fields, Field(min_length=1)]
    filters: tuple[Name, ...] = ()
    # The primary key `id`: an integer the database counts, a UUID, or a string
    # the project's code makes.
    id_type: IdType = "int"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.operations)) != len(self.operations):
            raise ValueError("operations lists an operation twice")
        clash = sorted(
            {f.name for f in self.fields} | {f.column_name for f in self.fields}
        )
        reserved = sorted({f.name for f in self.fields} & RESERVED_NAMES)
        if reserved:
            raise ValueError(
                f"field {reserved[0]!r} is reserved on SQLAlchemy declarative "
                "models; rename it"
            )
        clash = [name for name in clash if name in GENERATED_NAMES]
        if clash:
            raise ValueError(
                f"field {clash[0]!r} collides with a column planner generates "
                f"({', '.join(sorted(GENERATED_NAMES))}); rename it"
            )
        names = {f.name for f in self.fields}
        for name in self.filters:
            if name not in names:
                raise ValueError(
                    f"filters names {name!r}, which is not a field of "
                    f"{self.name!r}; choose from {', '.join(sorted(names))}"
                )
        if self.plural is not None and self.plural == self.name:
            raise ValueError(
                "plural equals name; collection and item routes would clash"
            )
        return self

    @property
    def plural_name(self) -> str:
        """The plural, as given or derived from `name`."""
        return self.plural or pluralize(self.name)


class ResourceAuth(_Lean, AuthRequirement):
    """A resource's auth: what every operation needs, and scopes per operation."""

    _lean = frozenset({"operation_scopes"})

    # The scopes an operation needs in place of `scopes` (`delete = ["admin"]`).
    operation_scopes: dict[Operation, tuple[Scope, ...]] = Field(default_factory=dict)

    def scopes_for(self, operation: str) -> tuple[str, ...] | None:
        """Return the scopes `operation` needs in place of `scopes`, if set."""
        for name, scopes in self.operation_scopes.items():
            if name == operation:
                return scopes
        return None


class CrudResourceSpec(_SpecModel):
    """Spec of kind `crud-resource`: a resource with list/read/create/... routes."""

    kind: Literal["crud-resource"]
    name: Name | None = None
    resource: ResourceSpec
    auth: ResourceAuth = ResourceAuth()
    pagination: ResourcePagination = ResourcePagination()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.resource.owned_by_user and not self.auth.required:
            raise ValueError(
                "resource.owned_by_user needs a signed-in user; set "
                "auth.required = true or owned_by_user = false"
            )
        fields = {f.name: f for f in self.resource.fields}
        for key in self.pagination.sort:
            name = key.lstrip("-")
            if name not in fields and name not in GENERATED_NAMES:
                raise ValueError(
                    f"pagination.sort names {name!r}, which is neither a field "
                    f"nor a generated column (id, created_at, updated_at)"
                )
        return self

    @model_validator(mode="after")
    def _operation_scopes_fit(self) -> Self:
        scoped = self.auth.operation_scopes
        if scoped and not self.auth.required:
            raise ValueError(
                "auth.operation_scopes needs a signed-in caller; set "
                "auth.required = true or remove auth.operation_scopes"
            )
        for operation in scoped:
            if operation not in self.resource.operations:
                raise ValueError(
                    f"auth.operation_scopes names {operation!r}, which is not in "
                    "resource.operations; remove it or add the operation"
                )
        return self

    @property
    def plan_name(self) -> str:
        """The plan's file stem."""
        return self.name or f"{self.resource.plural_name}-crud".replace("_", "-")


class EndpointError(_Model):
    """An extra, domain-specific error an endpoint can answer with."""

    status: Annotated[int, Field(ge=400, le=599)]
    when: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]

    @model_validator(mode="after")
    def _not_planner_owned(self) -> Self:
        # The plan derives these from other keys; declared again they would
        # contradict (or duplicate) what the plan already says.
        owner = _DERIVED_STATUSES.get(self.status)
        if owner is not None:
            raise ValueError(
                f"errors.status = {self.status} is not a domain error: the plan "
                f"derives it from {owner}; declare only the endpoint's own errors "
                "(404, 409, 412, ...)"
            )
        return self


# Statuses every plan derives, and the spec keys they come from.
_DERIVED_STATUSES = {
    401: "auth.required (missing or bad credentials)",
    403: "auth.scopes and auth.roles (a signed-in caller lacking them)",
    422: "request, query and the path (validation of the input)",
}


class EndpointPagination(_Paging):
    """Pagination of an endpoint that returns a list."""


# A segment of dots alone (`/..`, `/.`) would leave the router's prefix.
_PATH = r"^(/(?:\.*[A-Za-z0-9_~\-][A-Za-z0-9._~\-]*)?|/\{[a-z][a-z0-9_]*\})+$"
EndpointEffect = Literal[
    "create", "read", "list", "update", "replace", "delete", "action", "accepted"
]
PathType = Literal["int", "str", "uuid"]
# Last path segments that make a POST a read of a list.
RPC_LISTS = frozenset({"list", "search", "filter", "query"})
# The effects each method can have; the first is the method's default.
EFFECTS_BY_METHOD: dict[str, tuple[str, ...]] = {
    "GET": ("read", "list"),
    # RPC-style APIs read by POST (`POST /runs/list`, `POST /flows/filter`).
    "POST": ("action", "create", "accepted", "list", "read"),
    "PUT": ("replace", "accepted"),
    "PATCH": ("update", "accepted"),
    "DELETE": ("delete", "accepted"),
}


class EndpointSpec(_SpecModel):
    """Spec of kind `endpoint`: one path operation."""

    kind: Literal["endpoint"]
    name: Name | None = None
    method: HttpMethod
    path: Annotated[str, StringConstraints(max_length=300, pattern=_PATH)]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
    description: Text = ""
    effect: EndpointEffect | None = None
    tags: tuple[
        Annotated[str, StringConstraints(min_length=1, max_length=64)], ...
    ] = ()
    auth: AuthRequirement = AuthRequirement(required=False)
    request: FieldGroup | None = None
    # Query parameters, on any method (`?client=...`); the body is `request`.
    query: FieldGroup | None = None
    response: FieldGroup | None = None
    paginated: EndpointPagination | None = None
    idempotency_key: bool = False
    etag: bool = False
    rate_limit: (
        Annotated[
            str, StringConstraints(pattern=r"^[1-9]\d*/(second|minute|hour|day)$")
        ]
        | None
    ) = None
    errors: tuple[EndpointError, ...] = ()
    # Optional keys: parameter types the name does
    # not tell (`*_id` is int, `*_uuid` UUID, anything else str), 428 for a
    # write without If-Match, and the job-status path a 202 points to.
    path_types: dict[Name, PathType] = Field(default_factory=dict)
    require_if_match: bool = False
    status_path: (
        Annotated[str, StringConstraints(max_length=300, pattern=_PATH)] | None
    ) = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        params = path_parameters(self.path)
        if len(set(params)) != len(params):
            raise ValueError(f"path {self.path!r} repeats a parameter")
        for param in params:
            _check_name(param)
        if self.request and self.request.fields and self.method in {"GET", "DELETE"}:
            raise ValueError(
                f"{self.method} requests carry no body; move request.fields to "
                "query.fields or use POST/PUT/PATCH"
            )
        query = [f.name for f in self.query.fields] if self.query else []
        clash = sorted(set(query) & set(params))
        if clash:
            raise ValueError(
                f"query.fields and the path both name {clash[0]!r}; rename one"
            )
        if self.paginated and self.method != "GET":
            raise ValueError("paginated applies to GET endpoints only")
        if self.idempotency_key and self.method not in {"POST", "PATCH"}:
            raise ValueError(
                f"{self.method} is idempotent by definition; idempotency_key "
                "applies to POST and PATCH"
            )
        self._check_options(params)
        return self

    def _check_options(self, params: list[str]) -> None:
        allowed = EFFECTS_BY_METHOD[self.method]
        if self.effect is not None and self.effect not in allowed:
            raise ValueError(
                f"effect {self.effect!r} does not fit {self.method}; choose one of "
                f"{', '.join(allowed)}, or change the method"
            )
        if self.paginated and self.effect not in {None, "list"}:
            raise ValueError('paginated needs effect = "list" (or no effect)')
        for name in self.path_types:
            if name not in params:
                raise ValueError(
                    f"path_types names {name!r}, which is not a parameter of "
                    f"{self.path!r}"
                )
        if self.require_if_match and (
            not self.etag or self.method not in {"PUT", "PATCH", "DELETE"}
        ):
            raise ValueError(
                "require_if_match needs etag = true on a PUT, PATCH or DELETE"
            )
        if self.status_path is not None and self.effect != "accepted":
            raise ValueError('status_path applies only to effect = "accepted"')

    @property
    def plan_name(self) -> str:
        """The plan's file stem."""
        if self.name:
            return self.name.replace("_", "-")
        words = re.findall(r"[a-z0-9]+", self.path.lower())
        return "-".join([self.method.lower(), *words])[:80]

    @property
    def may_need_no_table(self) -> bool:
        """Whether the effect only reads or acts: a handler can serve it alone."""
        return self.effect_or_default in {"read", "list", "action"}

    @property
    def effect_or_default(self) -> str:
        """The spec's effect, else the one its method and path imply."""
        return self.effect if self.effect is not None else self.default_effect()

    def default_effect(self, *, groups: frozenset[str] = frozenset()) -> str:
        """The effect the method and path imply, ``groups`` naming no resource.

        ``groups`` are a project's grouping prefix segments; audience words
        (`/private/users`, `/admin/orders`) never name one either.
        """
        if self.method == "GET":
            return "list" if self.paginated else "read"
        if self.method == "POST":
            # A POST to a top-level collection creates; one to a collection
            # action (`/runs/list`, `/flows/filter`) reads a list, RPC style;
            # anything deeper (/orders/{id}/cancel) is an action unless told.
            segments = resource_segments(self.path, groups=groups)
            if segments and segments[-1] in RPC_LISTS:
                return "list"
            return "create" if len(segments) == 1 else "action"
        return EFFECTS_BY_METHOD[self.method][0]


class AuthSpec(_SpecModel):
    """Spec of kind `auth`: how callers prove who they are."""

    kind: Literal["auth"]
    name: Name | None = None
    scheme: Literal["password-jwt", "api-key", "oidc", "oauth2"]
    refresh_tokens: bool = False
    roles: tuple[Name, ...] = ()
    registration: bool = False
    access_token_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    refresh_token_days: Annotated[int, Field(ge=1, le=365)] = 14
    login_rate_limit: Annotated[
        str, StringConstraints(pattern=r"^[1-9]\d*/(second|minute|hour|day)$")
    ] = "5/minute"
    api_key_header: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9\-]{0,63}$")
    ] = "X-API-Key"
    provider: Literal["github", "google", "microsoft", "gitlab", "other"] | None = None
    issuer: Annotated[str, StringConstraints(max_length=300)] | None = None
    audience: Annotated[str, StringConstraints(max_length=300)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.refresh_tokens and self.scheme not in {"password-jwt", "oauth2"}:
            raise ValueError(
                f"refresh_tokens applies to password-jwt and oauth2, not "
                f"{self.scheme!r}; remove it"
            )
        if self.registration and self.scheme in {"oidc", "api-key"}:
            raise ValueError(
                f"registration is not part of the {self.scheme!r} scheme; "
                "remove it (users are provisioned elsewhere)"
            )
        if self.provider is not None and self.scheme != "oauth2":
            raise ValueError('provider applies only to scheme = "oauth2"')
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("roles lists a role twice")
        return self

    @property
    def plan_name(self) -> str:
        """The plan's file stem."""
        return (self.name or f"auth-{self.scheme}").replace("_", "-")


class PaginationSpec(_SpecModel):
    """Spec of kind `pagination`: paging an existing list endpoint."""

    kind: Literal["pagination"]
    name: Name | None = None
    # `GET /items`, or `POST /items/list` where an RPC-style API lists with a
    # POST and takes the paging fields in its JSON body.
    target: Annotated[
        str,
        StringConstraints(
            pattern=r"^(GET|POST) (/[A-Za-z0-9._~\-{}]*)+$", max_length=300
        ),
    ]
    style: PaginationStyle
    default_size: PageSize = 50
    max_size: PageSize = 100
    sort: SortKeys = ()
    include_total: bool | None = None
    # Where the client finds the next page: a page `envelope`, a `Link` header
    # on a bare list, or `none` (a bare list: the client asks for the next
    # page itself, by page number or by the last item's id). Unset: a list
    # the project answers bare stays bare when no total is asked for, else
    # an envelope.
    links: PageLinks | None = None

    @model_validator(mode="after")
    def _sizes(self) -> Self:
        check_page_sizes(self.default_size, self.max_size)
        return self

    def links_for(self, *, bare_list: bool) -> PageLinks:
        """Where the next page goes, given whether the list answers bare today."""
        if self.links is not None:
            return self.links
        total = (
            self.include_total
            if self.include_total is not None
            else self.style != "cursor"
        )
        return "none" if bare_list and not total else "envelope"

    @property
    def method(self) -> Literal["GET", "POST"]:
        """The target's method."""
        return "POST" if self.target.startswith("POST ") else "GET"

    @property
    def path(self) -> str:
        """The target's path."""
        return self.target.split(" ", 1)[1]

    @property
    def plan_name(self) -> str:
        """The plan's file stem."""
        if self.name:
            return self.name.replace("_", "-")
        words = re.findall(r"[a-z0-9]+", self.path.lower())
        return "-".join(["paginate", *words])[:80]


# Every kind, its spec model, and all of them (planner/kinds.py registers them).
SpecKind = Literal["crud-resource", "endpoint", "auth", "pagination"]
AnySpec = CrudResourceSpec | EndpointSpec | AuthSpec | PaginationSpec
Spec = Annotated[AnySpec, Field(discriminator="kind")]
spec_adapter: TypeAdapter[AnySpec] = TypeAdapter(
    Spec, config=ConfigDict(defer_build=True)
)
