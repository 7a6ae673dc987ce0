"""An endpoint spec resolved: effect, function name, schemas, statuses, errors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from planner.engine.builder import Context
from planner.plan import Endpoint, ErrorCase, SchemaField
from planner.render.escape import code, inline
from planner.rules.shared.guard import (
    BEARER,
    Credential,
    auth_errors,
    auth_label,
    guard_credential,
    guard_params,
)
from planner.rules.shared.paging import (
    Paging,
    page_errors,
    page_headers,
    page_response,
    paging_from,
    query_params,
)
from planner.rules.shared.route import (
    RouteTarget,
    identifier,
    parameter_type,
    path_parameters,
    route_target,
    served_path,
    singularize,
)
from planner.rules.shared.schemas import read_schema
from planner.rules.shared.throttle import rate_limit_error
from planner.rules.shared.types import camel, constraints, python_type
from planner.spec import EndpointSpec, FieldSpec, pluralize
from planner.spec.models import RPC_LISTS
from planner.spec.words import SELF_SEGMENTS, resource_segments

_VERBS = {
    "create": "create",
    "read": "read",
    "list": "list",
    "update": "update",
    "replace": "replace",
    "delete": "delete",
}
_ITEM_EFFECTS = {"read", "update", "replace", "delete"}


def endpoint_spec(ctx: Context) -> EndpointSpec:
    """Return the context's spec, which these rules need to be an endpoint spec."""
    if not isinstance(ctx.spec, EndpointSpec):
        raise TypeError(f"rule needs an endpoint spec, got {ctx.spec.kind!r}")
    return ctx.spec


@dataclass(frozen=True)
class Operation:
    """What an endpoint spec means once every default is decided."""

    spec: EndpointSpec
    target: RouteTarget
    effect: str
    effect_given: bool
    function: str
    noun: str
    table: str
    created_param: str
    paging: Paging | None
    # What the route's guard checks: the project's own dependency, or ours.
    credential: Credential = BEARER
    # The success status the project's own creates or deletes answer, where
    # it is not current practice's.
    habit_status: int | None = None
    # Whether a table holds what it reads or acts on; False where planner read
    # the project and found none (`/health`): the handler works it out.
    stored: bool = True
    # Whether the project has the table the path names (or the joined
    # resource's); False where planner read it and found none: no table is
    # altered that is not there.
    table_found: bool = True
    # The schema the resource acted on is answered with (`OrderPublic`).
    public_schema: str = ""
    # Whether it acts on the caller's own row (`/users/me`): no path id, the
    # current-user dependency loads it.
    own: bool = False
    # The project's class for `table` where it has one (`ImportModel`).
    table_class: str = ""
    # The handler that reads one created item, where a create's `Location`
    # points: "" where the project read has none, None where none was read.
    read_route: str | None = None
    # Path parameters the project's routes declare: name, type and the
    # resource whose routes do ("": the project's routes at large).
    declared_types: tuple[tuple[str, str, str], ...] = ()

    @property
    def located(self) -> bool:
        """Whether a create answers with `Location` (a route reads the new item)."""
        return self.read_route is None or bool(self.read_route)

    @property
    def model_singular(self) -> str:
        """The table model's snake_case name (`order`)."""
        return singularize(self.table)

    @property
    def model(self) -> str:
        """The table model's class name: the project's, else `Order` of `orders`."""
        return self.table_class or camel(self.model_singular)

    @property
    def has_body(self) -> bool:
        """Tell whether the success response carries a body."""
        response = self.spec.response
        if response is not None:
            return bool(response.fields)
        return self.effect not in {"delete"} and bool(self.noun)

    @property
    def status(self) -> int:
        """The success status the effect and body call for."""
        if self.habit_status is not None:
            return self.habit_status
        if self.effect == "create":
            return 201
        if self.effect == "accepted":
            return 202
        return 200 if self.has_body else 204

    @property
    def request_schema(self) -> str | None:
        """The request body schema, when the spec declares request fields."""
        request = self.spec.request
        if request is None or not request.fields:
            return None
        return f"{camel(self.function)}Request"

    @property
    def item_schema(self) -> str:
        """The schema of the resource acted on (existing, or from response fields)."""
        response = self.spec.response
        if (response is not None and response.fields) or not self.stored:
            suffix = "Item" if self.effect == "list" else "Response"
            return f"{camel(self.function)}{suffix}"
        return self.public_schema

    @property
    def response_schema(self) -> str | None:
        """The success body's schema, or None when it has no body."""
        if self.effect == "accepted":
            return "JobAccepted"
        if not self.has_body:
            return None
        if self.effect == "list":
            if self.paging is not None:
                # The project's page class where its lists answer one.
                return page_response(
                    self.paging,
                    name=f"{camel(self.table)}Page",
                    item_schema=self.item_schema,
                )
            return f"list[{self.item_schema}]"
        return self.item_schema

    @property
    def reuses_public_schema(self) -> bool:
        """Tell whether the response is the resource's existing public schema."""
        response = self.spec.response
        return (
            self.stored
            and self.has_body
            and self.effect != "accepted"
            and response is None
        )

    @property
    def idempotent(self) -> bool:
        """Repeating the request has the same effect (by method, or by key)."""
        return self.spec.method in {"GET", "PUT", "DELETE"} or self.spec.idempotency_key

    @property
    def writes(self) -> bool:
        """Tell whether the operation changes state."""
        return self.spec.method != "GET"


def etag_applies(op: Operation) -> bool:
    """Tell whether ETags mean anything here: reads, and writes to one row."""
    if op.effect in {"create", "accepted"}:
        return False
    return not op.writes or op.target.acts_on_item


def resolve(ctx: Context) -> Operation:
    """Decide the effect, names and schemas of the context's endpoint spec."""
    return ctx.derive(_resolve)


def _resolve(ctx: Context) -> Operation:
    spec = endpoint_spec(ctx)
    target = route_target(ctx, spec.path)
    found = ctx.targets.slot("groups") if ctx.targets is not None else None
    groups = frozenset(identifier(g) for g in (found or "").split())
    effect = spec.effect or spec.default_effect(groups=groups)
    statics, alias = _statics(target, groups, signed_in=spec.auth.required)
    last_is_param = spec.path.rstrip("/").endswith("}")
    verb = ""
    if last_is_param or effect in {"create", "list"}:
        # `POST /imports/list` lists imports: the action word names no noun.
        rpc = effect == "list" and len(statics) > 1 and statics[-1] in RPC_LISTS
        index = len(statics) - (2 if rpc else 1)
        noun = _nested_noun(statics, index)
    elif effect in {"action", "accepted"} and len(statics) > 1:
        verb, index = statics[-1], len(statics) - 2
        noun = _nested_noun(statics, index)
    elif effect in {"action", "accepted"}:
        index, noun = 0, singularize(statics[0])
    else:  # read/update/replace/delete of a singleton such as /users/settings
        index = 0
        noun = "_".join([singularize(statics[0]), *statics[1:]])
    if effect in _VERBS:
        function = f"{_VERBS[effect]}_{pluralize(noun) if effect == 'list' else noun}"
    elif verb:
        function = f"{verb}_{noun}"
    else:
        function = f"start_{noun}" if effect == "accepted" else f"run_{noun}"
    function = f"{function}_{alias}" if alias else function
    shape = ctx.targets.slot("handler_test") if ctx.targets is not None else None
    if shape:
        # The project keeps a test module per handler: the new one gets its own.
        target = dataclasses.replace(target, test=shape.replace("{function}", function))
    return Operation(
        spec=spec,
        target=target,
        effect=effect,
        effect_given=spec.effect is not None,
        # `delete_user_me`: the alias keeps it apart from `delete_user`.
        function=function,
        noun=noun,
        own=bool(alias),
        table=statics[index],
        public_schema=read_schema(ctx.layout, camel(singularize(statics[index]))),
        created_param=f"{singularize(statics[-1])}_id",
        paging=paging_from(spec.paginated, ctx=ctx) if spec.paginated else None,
        credential=guard_credential(ctx),
        habit_status=_habit_status(ctx, effect),
        stored=not spec.may_need_no_table
        or ctx.targets is None
        or ctx.targets.slot("stored") != "no",
        table_found=ctx.targets is None or ctx.targets.slot("stored") != "no",
        table_class=_segment_table(ctx, statics[index]),
        read_route=ctx.targets.slot("read_route") if ctx.targets is not None else None,
        declared_types=_declared_types(ctx),
    )


def _declared_types(ctx: Context) -> tuple[tuple[str, str, str], ...]:
    """The path parameters' types as the project's routes declare them.

    `uuid.UUID` is `UUID`, as planner writes it; a project's own type
    (`WorkspaceID`) is kept as written.
    """
    from planner.rules.crud.ids import id_kind_of
    from planner.rules.shared.types import id_annotation

    slot = ctx.targets.slot("path_types") if ctx.targets is not None else None
    out = []
    for entry in (slot or "").split():
        name, written, where = entry.split(":")
        kind = id_kind_of(written)
        out.append((name, id_annotation(kind) if kind else written, where))
    return tuple(out)


def _segment_table(ctx: Context, segment: str) -> str:
    """The project's table class for a path segment, "" where it has none."""
    slot = ctx.targets.slot("segment_tables") if ctx.targets is not None else None
    pairs = dict(e.split(":", 1) for e in (slot or "").split(";") if ":" in e)
    return pairs.get(segment, "")


# The measured convention for an effect, and what current practice answers.
_HABITS = {"create": ("create_status", 201), "delete": ("delete_status", 204)}


def _habit_status(ctx: Context, effect: str) -> int | None:
    """The project's own success status for a create or delete, if not usual."""
    if ctx.targets is None or effect not in _HABITS:
        return None
    name, usual = _HABITS[effect]
    found = ctx.targets.convention(name)
    return int(found) if found.isdigit() and int(found) != usual else None


def _statics(
    target: RouteTarget, groups: frozenset[str], *, signed_in: bool
) -> tuple[list[str], str]:
    """The path's resource and action words, and the caller's alias if it has one.

    Grouping prefixes (`/private/users`, the project's `groups`) name no
    resource; behind a sign-in, `me` in `/users/me` names the caller's own
    user, not a user called `me` (`/weather/current` for anyone is a noun).
    """
    rest = [s for s in target.relative_path.split("/") if s]
    named = [target.plural, *(identifier(s) for s in rest if not s.startswith("{"))]
    kept = resource_segments("/".join(named), groups=groups)
    alias = next((s for s in kept if s in SELF_SEGMENTS), "") if signed_in else ""
    statics = [s for s in kept if s != alias]
    # `/me` alone is the resource the path names.
    return (statics, alias) if statics else (kept, "")


def _nested_noun(statics: list[str], index: int) -> str:
    """Return the singular noun at `index`, prefixed by its parent when nested."""
    own = singularize(statics[index])
    if index == 0:
        return own
    return f"{singularize(statics[0])}_{own}"


def path_fields(op: Operation) -> list[tuple[str, str]]:
    """Return each path parameter with its Python type.

    The spec's `path_types`, else the type the project's routes declare the
    same parameter with, else the one its name suggests.
    """
    declared = {name: kind for name, kind, _ in op.declared_types}
    given: dict[str, str] = dict(op.spec.path_types)
    return [
        (
            name,
            declared[name]
            if name in declared and name not in given
            else parameter_type(name, given),
        )
        for name in path_parameters(op.spec.path)
    ]


def schema_fields(owner: str, fields: tuple[FieldSpec, ...]) -> tuple[SchemaField, ...]:
    """Describe request or response fields as schema rows."""
    rows: list[SchemaField] = []
    for item in fields:
        annotation = python_type(owner, item)
        extra = constraints(item)
        if not item.required:
            annotation += " | None"
            extra = ", ".join(x for x in (extra, "default None") if x)
        if item.description:
            extra = ", ".join(x for x in (extra, inline(item.description)) if x)
        rows.append(
            SchemaField(
                name=item.column_name if item.type == "ref" else item.name,
                type=annotation,
                required=item.required,
                constraints=extra,
            )
        )
    return tuple(rows)


def build_errors(op: Operation) -> list[ErrorCase]:
    """Return every error status of the endpoint with its cause, by status."""
    spec = op.spec
    declared = {e.status for e in spec.errors}
    cases: list[ErrorCase] = []
    if spec.idempotency_key:
        cases += _idempotency_errors()
    cases += auth_errors(spec.auth, op.credential)
    if op.target.acts_on_item:
        cases.append(_not_found(op))
    cases += _conflicts(op, declared)
    cases += _precondition_errors(op)
    cases += _validation_errors(op)
    if op.paging is not None:
        cases += page_errors(op.paging)
    if spec.rate_limit:
        per = "caller" if spec.auth.required else "client IP"
        cases.append(rate_limit_error(spec.rate_limit, per=per))
    cases += [ErrorCase(status=e.status, when=inline(e.when)) for e in spec.errors]
    return sorted(cases, key=lambda c: c.status)


def _precondition_errors(op: Operation) -> list[ErrorCase]:
    if op.spec.etag and not op.writes and etag_applies(op):
        # Not an error, but a status the contract answers and the tests assert.
        return [
            ErrorCase(
                status=304,
                when="`If-None-Match` matches the current `ETag` (empty body)",
            )
        ]
    if not (op.spec.etag and op.writes and etag_applies(op)):
        return []
    cases = [
        ErrorCase(
            status=412,
            when="`If-Match` does not match the current `ETag`: the "
            f"{words(op.noun)} changed since the client read it",
        )
    ]
    if op.spec.require_if_match:
        cases.append(ErrorCase(status=428, when="the `If-Match` header is missing"))
    return cases


def _validation_errors(op: Operation) -> list[ErrorCase]:
    cases: list[ErrorCase] = []
    if op.request_schema:
        cases.append(
            ErrorCase(
                status=422,
                when=f"the body fails `{op.request_schema}` validation (malformed "
                "JSON, missing field, wrong type, constraint, unknown key)",
            )
        )
    request = op.spec.request
    refs = [f for f in (request.fields if request else ()) if f.type == "ref"]
    if refs:
        names = ", ".join(code(f.column_name) for f in refs)
        cases.append(
            ErrorCase(
                status=422,
                when=f"{names} points to a row that does not exist or that the "
                "caller cannot see",
            )
        )
    query = op.spec.query.fields if op.spec.query else ()
    missing = [code(f.name) for f in query if f.required]
    if query:
        cases.append(
            ErrorCase(
                status=422,
                when=(f"{', '.join(missing)} is missing, or " if missing else "")
                + "a query parameter fails its type or constraint",
            )
        )
    for name, kind in path_fields(op):
        if kind != "str":
            article = {"int": "an integer", "UUID": "a UUID"}.get(
                kind, f"a valid `{kind}`"
            )
            cases.append(ErrorCase(status=422, when=f"{code(name)} is not {article}"))
    return cases


def _idempotency_errors() -> list[ErrorCase]:
    return [
        ErrorCase(
            status=400,
            when="the `Idempotency-Key` header is missing, empty or longer than "
            "255 characters",
        ),
        ErrorCase(
            status=409,
            when="a request with the same `Idempotency-Key` is still being processed",
        ),
        ErrorCase(
            status=422,
            when="the `Idempotency-Key` was already used with a different request body",
        ),
    ]


def _not_found(op: Operation) -> ErrorCase:
    names = [name for name, _ in path_fields(op)]
    ids = " or ".join(code(n) for n in names)
    when = f"no {words(_owner_noun(op))} matches {ids}"
    # A guard that reads the id itself decides who may reach it, with its own
    # refusal, as on the project's other routes: no 404-for-403 advice.
    guarded = any(
        name in names and where != "query"
        for name, where, _, _ in guard_params(op.credential.params)
    )
    if op.spec.auth.required and not guarded:
        when += ", or the caller may not see it (404, not 403, so ids do not leak)"
    return ErrorCase(status=404, when=when)


def _owner_noun(op: Operation) -> str:
    if op.effect in {"create", "list"}:
        return op.target.singular  # POST /orders/{id}/items: the order is missing
    return op.noun


def _conflicts(op: Operation, declared: set[int]) -> list[ErrorCase]:
    spec = op.spec
    found: list[ErrorCase] = []
    fields = spec.request.fields if spec.request else ()
    uniques = [f.name for f in fields if f.unique]
    if uniques and op.effect in {"create", "update", "replace"}:
        names = ", ".join(code(n) for n in uniques)
        found.append(
            ErrorCase(
                status=409,
                when=f"{names} is already taken (the database's unique constraint "
                "fails on commit)",
            )
        )
    elif op.effect == "action" and op.target.acts_on_item and 409 not in declared:
        found.append(
            ErrorCase(
                status=409,
                when=f"the {words(op.noun)}'s current state does not allow this "
                "action (checked and changed under a row lock)",
            )
        )
    return found


def status_path(spec: EndpointSpec) -> str:
    """Return the job-status path a 202 points to."""
    return spec.status_path or "/jobs/{job_id}"


def success_headers(op: Operation) -> tuple[str, ...]:
    """Return the headers a successful response carries."""
    spec = op.spec
    headers: list[str] = []
    if op.effect == "create" and op.located:
        headers.append(f"Location: {spec.path}/{{{op.created_param}}}")
    if op.effect == "accepted":
        headers.append(f"Location: {status_path(spec)}")
    if spec.etag and op.has_body and etag_applies(op):
        if op.effect == "list":
            headers.append('ETag: W/"<hash of the page>"')
        else:
            headers.append('ETag: "<version>" (of the representation sent)')
    if op.paging is not None:
        headers.extend(page_headers(op.paging))
    return tuple(headers)


def operation_endpoint(ctx: Context) -> Endpoint:
    """Return the contract of the context's endpoint spec (built once per plan)."""
    return ctx.derive(_operation_endpoint)


def _operation_endpoint(ctx: Context) -> Endpoint:
    op = resolve(ctx)
    return dataclasses.replace(build_endpoint(op), path=served_path(ctx, op.spec.path))


def build_endpoint(op: Operation) -> Endpoint:
    """Return the endpoint's contract."""
    spec = op.spec
    return Endpoint(
        method=spec.method,
        path=spec.path,
        function=op.function,
        summary=inline(spec.summary),
        request_schema=op.request_schema,
        response_schema=op.response_schema,
        success_status=op.status,
        success_headers=success_headers(op),
        query=(query_params(op.paging) if op.paging else ()) + declared_query(spec),
        auth=auth_label(spec.auth, op.credential),
        idempotent=op.idempotent,
        errors=tuple(build_errors(op)),
    )


def declared_query(spec: EndpointSpec) -> tuple[str, ...]:
    """Return the spec's query parameters as the contract lists them."""
    fields = spec.query.fields if spec.query else ()
    return tuple(
        f"{f.name}: {python_type(f.name, f)}, "
        + ("required" if f.required else "optional")
        + (f", at most {f.max_length} characters" if f.max_length else "")
        for f in fields
    )


def existing_resource(ctx: Context, op: Operation) -> bool:
    """Tell whether the resource's modules exist (or must, for an item path)."""
    if ctx.exists(op.target.router):
        return True
    # Without an inspected project, a path that names an existing row implies
    # the resource (and its modules) already exists.
    return ctx.layout.source == "default" and op.target.acts_on_item


def words(name: str) -> str:
    """Return a snake_case name as words."""
    return name.replace("_", " ")


def domain_statuses(op: Operation) -> list[int]:
    """Return the statuses the service signals with domain errors (404, 409)."""
    return sorted({e.status for e in build_errors(op) if e.status in {404, 409}})
