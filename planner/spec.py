"""Spec models: what a user asks planner to plan, validated; pure data, no I/O."""

# No `from __future__ import annotations`: pydantic reads the annotations as
# the objects they are, rather than evaluating strings as it builds each model.

import keyword
import re
from functools import lru_cache
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    TypeAdapter,
    model_serializer,
    model_validator,
)

__all__ = [
    "FIELD_TYPES",
    "AnySpec",
    "AuthRequirement",
    "AuthSpec",
    "CrudResourceSpec",
    "EndpointError",
    "EndpointSpec",
    "FieldGroup",
    "FieldSpec",
    "PackUse",
    "PaginationSpec",
    "PaginationStyle",
    "ResourcePagination",
    "ResourceSpec",
    "Spec",
    "SpecKind",
    "spec_adapter",
]

SpecKind = Literal["crud-resource", "endpoint", "auth", "pagination"]
FieldType = Literal[
    "str", "text", "int", "float", "bool", "decimal", "date", "datetime",
    "uuid", "email", "url", "enum", "json", "ref",
]  # fmt: skip
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
Operation = Literal["list", "read", "create", "update", "delete"]
PaginationStyle = Literal["offset", "page", "cursor"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

MAX_FIELDS = 200
MAX_TEXT = 2000
# Columns and attributes every generated table or schema has already.
GENERATED_NAMES = frozenset({"id", "owner_id", "owner", "created_at", "updated_at"})
# Attributes SQLAlchemy's declarative base defines on every model class.
RESERVED_NAMES = frozenset({"metadata", "registry"})
_SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def _check_name(value: str) -> str:
    if not _SNAKE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a snake_case identifier; use lower-case letters, "
            "digits and underscores, starting with a letter (e.g. 'due_date')"
        )
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        raise ValueError(f"{value!r} is a Python keyword; choose another name")
    return value


Name = Annotated[
    str, StringConstraints(min_length=1, max_length=63), AfterValidator(_check_name)
]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Scope = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:\-]{1,64}$")]


class _Model(BaseModel):
    # Schemas are built on first use: a plan validates one kind of spec only.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


PackName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,62}$")]
AnswerKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
PackAnswer = str | int | float | bool | tuple[str, ...]
Source = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class PackUse(_Model):
    """A blueprint pack a spec uses: its source (unless configured) and answers."""

    source: Source | None = None
    answers: dict[AnswerKey, PackAnswer] = Field(default_factory=dict)


class _SpecModel(_Model):
    """What every spec kind has besides its own keys: `[packs.<name>]` tables."""

    packs: dict[PackName, PackUse] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _packs_last_or_omitted(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        # Omitted when empty, so specs without packs keep their spec_sha256; last,
        # so TOML writes the `[packs.*]` tables after the spec's own keys.
        data: dict[str, Any] = handler(self)
        packs = data.pop("packs", None)
        if packs:
            data["packs"] = packs
        return data


class FieldSpec(_Model):
    """One attribute of a resource, request or response."""

    name: Name
    type: FieldType
    required: bool = True
    unique: bool = False
    indexed: bool = False
    description: Text = ""
    max_length: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    min_length: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    min_value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    max_value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    max_digits: Annotated[int, Field(ge=1, le=1000)] | None = None
    decimal_places: Annotated[int, Field(ge=0, le=1000)] | None = None
    choices: tuple[Name, ...] | None = None
    references: Name | None = None
    on_delete: Literal["cascade", "set-null", "restrict"] | None = None

    @model_validator(mode="after")
    def _constraints_fit_type(self) -> Self:
        self._check_bounds_fit_type()
        self._check_choices_and_references()
        self._check_ranges()
        return self

    def _check_bounds_fit_type(self) -> None:
        lengths = {"str", "text", "email", "url"}
        numbers = {"int", "float", "decimal"}
        if (self.max_length is not None or self.min_length is not None) and (
            self.type not in lengths
        ):
            raise ValueError(
                f"max_length/min_length apply to str, text, email and url, not "
                f"{self.type!r}; remove them from field {self.name!r}"
            )
        if (self.min_value is not None or self.max_value is not None) and (
            self.type not in numbers
        ):
            raise ValueError(
                f"min_value/max_value apply to int, float and decimal, not "
                f"{self.type!r}; remove them from field {self.name!r}"
            )
        if (self.max_digits or self.decimal_places is not None) and (
            self.type != "decimal"
        ):
            raise ValueError(
                f"max_digits/decimal_places apply only to decimal fields; "
                f"remove them from field {self.name!r}"
            )

    def _check_choices_and_references(self) -> None:
        if self.type == "enum":
            if not self.choices:
                raise ValueError(
                    f"enum field {self.name!r} needs choices, e.g. "
                    'choices = ["draft", "published"]'
                )
            if len(set(self.choices)) != len(self.choices):
                raise ValueError(f"enum field {self.name!r} repeats a choice")
        elif self.choices is not None:
            raise ValueError(
                f'choices apply only to enum fields; set type = "enum" on '
                f"{self.name!r} or remove choices"
            )
        if self.type == "ref":
            if self.references is None:
                raise ValueError(
                    f'ref field {self.name!r} needs references = "<resource>", '
                    "the singular name of the referenced resource"
                )
        elif self.references is not None or self.on_delete is not None:
            raise ValueError(
                f"references/on_delete apply only to ref fields; set type = "
                f'"ref" on {self.name!r} or remove them'
            )

    @model_validator(mode="after")
    def _no_contradiction(self) -> Self:
        # Keys that each make sense alone but cannot hold together.
        if self.required and self.on_delete == "set-null":
            raise ValueError(
                f"field {self.name!r}: required = true and on_delete = "
                '"set-null" contradict (SET NULL needs a nullable column); set '
                'required = false or on_delete = "cascade" or "restrict"'
            )
        if self.unique and self.indexed:
            raise ValueError(
                f"field {self.name!r}: unique = true already creates an index; "
                "remove indexed = true"
            )
        return self

    def _check_ranges(self) -> None:
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValueError(f"field {self.name!r}: min_length exceeds max_length")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValueError(f"field {self.name!r}: min_value exceeds max_value")

    @property
    def column_name(self) -> str:
        """The database column: `<name>_id` for references, else the name."""
        if self.type == "ref" and not self.name.endswith("_id"):
            return f"{self.name}_id"
        return self.name


def _unique_field_names(fields: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
    seen: set[str] = set()
    for item in fields:
        if item.name in seen or item.column_name in seen:
            raise ValueError(
                f"field {item.name!r} is declared twice; field names must be unique"
            )
        seen.update({item.name, item.column_name})
    return fields


Fields = Annotated[
    tuple[FieldSpec, ...],
    Field(max_length=MAX_FIELDS),
    AfterValidator(_unique_field_names),
]


class FieldGroup(_Model):
    """A request or response body, as a list of fields."""

    fields: Fields = ()


class AuthRequirement(_Model):
    """Whether an operation needs a signed-in caller, and with which scopes."""

    required: bool = True
    scopes: tuple[Scope, ...] = ()
    roles: tuple[Name, ...] = ()


PageSize = Annotated[int, Field(ge=1, le=10_000)]
SortKeys = tuple[Annotated[str, StringConstraints(pattern=r"^-?[a-z][a-z0-9_]*$")], ...]


def check_page_sizes(default_size: int, max_size: int) -> None:
    """Refuse a default page size above the maximum."""
    if default_size > max_size:
        raise ValueError(
            f"default_size ({default_size}) exceeds max_size ({max_size}); "
            "lower default_size or raise max_size"
        )


class ResourcePagination(_Model):
    """How a resource's list operation pages its results."""

    style: Literal["offset", "page", "cursor", "none"] = "offset"
    default_size: PageSize = 50
    max_size: PageSize = 100
    sort: SortKeys = ()
    include_total: bool | None = None
    links: Literal["envelope", "link-header"] = "envelope"

    @model_validator(mode="after")
    def _sizes(self) -> Self:
        check_page_sizes(self.default_size, self.max_size)
        return self


class ResourceSpec(_Model):
    """A database-backed resource exposed over HTTP."""

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


class CrudResourceSpec(_SpecModel):
    """Spec of kind `crud-resource`: a resource with list/read/create/... routes."""

    kind: Literal["crud-resource"]
    name: Name | None = None
    resource: ResourceSpec
    auth: AuthRequirement = AuthRequirement()
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


class EndpointPagination(_Model):
    """Pagination of an endpoint that returns a list."""

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


# A segment of dots alone (`/..`, `/.`) would leave the router's prefix.
_PATH = r"^(/(?:\.*[A-Za-z0-9_~\-][A-Za-z0-9._~\-]*)?|/\{[a-z][a-z0-9_]*\})+$"
EndpointEffect = Literal[
    "create", "read", "list", "update", "replace", "delete", "action", "accepted"
]
PathType = Literal["int", "str", "uuid"]
# The effects each method can have; the first is the method's default.
EFFECTS_BY_METHOD: dict[str, tuple[str, ...]] = {
    "GET": ("read", "list"),
    "POST": ("action", "create", "accepted"),
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
    links: Literal["envelope", "link-header"] = "envelope"

    @model_validator(mode="after")
    def _sizes(self) -> Self:
        check_page_sizes(self.default_size, self.max_size)
        return self

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


# Every spec model, one per kind (planner/kinds.py registers them).
AnySpec = CrudResourceSpec | EndpointSpec | AuthSpec | PaginationSpec
Spec = Annotated[AnySpec, Field(discriminator="kind")]
spec_adapter: TypeAdapter[AnySpec] = TypeAdapter(
    Spec, config=ConfigDict(defer_build=True)
)


def path_parameters(path: str) -> list[str]:
    """Return the `{name}` parameters of a route path, in order."""
    return re.findall(r"\{([^{}]*)\}", path)


_IRREGULAR = {
    "person": "people", "child": "children", "man": "men", "woman": "women",
    "mouse": "mice", "goose": "geese", "tooth": "teeth", "foot": "feet",
    "datum": "data", "index": "indexes", "status": "statuses", "quiz": "quizzes",
}  # fmt: skip
_UNCOUNTABLE = frozenset(
    {"news", "series", "species", "info", "metadata", "media", "data"}
)


@lru_cache(maxsize=4096)  # pure; rules ask for the same plurals many times a plan
def pluralize(name: str) -> str:
    """Return the English plural of a snake_case name (last word only)."""
    head, _, last = name.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in _UNCOUNTABLE:
        return name
    if last in _IRREGULAR:
        return prefix + _IRREGULAR[last]
    if len(last) > 1 and last[-1] == "y" and last[-2] not in "aeiou":
        return prefix + last[:-1] + "ies"
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return prefix + last + "es"
    return prefix + last + "s"
