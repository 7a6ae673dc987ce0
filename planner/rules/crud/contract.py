"""A CRUD resource's contract: its endpoints, statuses and the project's habits."""

from __future__ import annotations

import dataclasses
import re

from planner.engine.builder import Context
from planner.plan import Endpoint, ErrorCase
from planner.render.escape import code
from planner.rules.crud.data import crud_spec, resource_id_type
from planner.rules.crud.schemas import schema_names
from planner.rules.shared.guard import (
    Credential,
    auth_errors,
    auth_label,
    for_method,
    guard_credential,
)
from planner.rules.shared.handlers import unique_handler
from planner.rules.shared.paging import (
    page_errors,
    page_headers,
    page_response,
    paging_from,
    query_params,
)
from planner.rules.shared.types import article, camel
from planner.spec import AuthRequirement, CrudResourceSpec


def collection_path(ctx: Context, spec: CrudResourceSpec) -> str:
    """Return the collection's URL path as the project will serve it."""
    if ctx.targets is not None and ctx.targets.served_prefix:
        return ctx.targets.served_prefix
    slug = spec.resource.plural_name.replace("_", "-")
    return f"{ctx.layout.api_prefix}/{slug}"


def item_parameter(ctx: Context, spec: CrudResourceSpec) -> str:
    """Return the name of the path parameter that names one row."""
    found = ctx.targets.item_param.strip("{}") if ctx.targets is not None else ""
    return found if found.isidentifier() else f"{spec.resource.name}_id"


def _not_found(spec: CrudResourceSpec) -> ErrorCase:
    res = spec.resource
    when = f"no {res.name.replace('_', ' ')} has that id"
    if res.owned_by_user:
        when += ", or it belongs to another user (404, not 403, so ids do not leak)"
    return ErrorCase(status=404, when=when)


def _conflict(spec: CrudResourceSpec, ctx: Context) -> list[ErrorCase]:
    uniques = [f.name for f in spec.resource.fields if f.unique]
    if not uniques:
        return []
    names = ", ".join(code(n) for n in uniques)
    scope = " for this owner" if spec.resource.owned_by_user else ""
    handled = unique_handler(ctx)
    how = f", and {code(handled.handler)} answers it" if handled else ""
    return [
        ErrorCase(
            status=409,
            when=f"{names} already exists{scope} (the database's unique "
            f"constraint fails on commit{how})",
        )
    ]


def _ref_errors(spec: CrudResourceSpec) -> list[ErrorCase]:
    refs = [f for f in spec.resource.fields if f.type == "ref"]
    if not refs:
        return []
    names = ", ".join(code(f.column_name) for f in refs)
    return [
        ErrorCase(
            status=422,
            when=f"{names} points to a row that does not exist"
            + (" or that the caller cannot see" if spec.resource.owned_by_user else ""),
        )
    ]


def _body_422(schema: str) -> ErrorCase:
    return ErrorCase(
        status=422,
        when=f"the body fails `{schema}` validation (missing field, wrong type, "
        "constraint, unknown key)",
    )


def _id_422(param: str, id_type: str) -> tuple[ErrorCase, ...]:
    """The 422 of a malformed path id; none for a string id, which has no shape."""
    if id_type == "str":
        return ()
    kind = "a UUID" if id_type == "uuid" else "an integer"
    return (ErrorCase(status=422, when=f"{code(param)} is not {kind}"),)


_CONVERTED = re.compile(r"\{(\w+):(uuid|int)\}")


def _convertor_errors(
    path: str, errors: tuple[ErrorCase, ...]
) -> tuple[ErrorCase, ...]:
    """A path convertor (`{id:uuid}`) answers a malformed id with 404, not 422.

    Starlette matches the convertor before FastAPI validates anything: a
    path whose id is no UUID matches no route at all.
    """
    found = _CONVERTED.search(path)
    if found is None:
        return errors
    param, kind = found.groups()
    (bad,) = _id_422(param, kind)
    if bad not in errors:
        return errors
    unmatched = ErrorCase(
        status=404,
        when=f"{code(param)} is not {'a UUID' if kind == 'uuid' else 'an integer'}: "
        f"the `{{{param}:{kind}}}` convertor matches no route",
    )
    kept = [e for e in errors if e != bad]
    return tuple(sorted((*kept, unmatched), key=lambda e: e.status))


def resource_endpoints(ctx: Context) -> tuple[Endpoint, ...]:
    """Return the resource's endpoints with every status and when it happens."""
    return ctx.derive(_build_endpoints)


def _build_endpoints(ctx: Context) -> tuple[Endpoint, ...]:
    spec = crud_spec(ctx)
    res = spec.resource
    public, create, update = schema_names(ctx)
    base = collection_path(ctx, spec)
    param = item_parameter(ctx, spec)
    item = f"{base}/{{{param}}}"
    credential = guard_credential(ctx)
    guard = auth_errors(spec.auth, credential)
    label = auth_label(spec.auth, credential)
    # Cases several operations answer alike, built once.
    not_found = _not_found(spec)
    bad_id = _id_422(param, resource_id_type(ctx))
    conflicts = _conflict(spec, ctx)
    bad_refs = _ref_errors(spec)
    found: list[Endpoint] = []
    ops = set(res.operations)
    if "list" in ops:
        paging = paging_from(spec.pagination, ctx=ctx)
        query = query_params(paging) if paging else ()
        query += tuple(f"{name}: optional filter" for name in res.filters)
        errors = guard + (page_errors(paging) if paging else [])
        found.append(
            Endpoint(
                method="GET",
                path=base,
                function=f"list_{res.plural_name}",
                summary=f"List {res.plural_name.replace('_', ' ')}"
                + (" of the signed-in user" if res.owned_by_user else ""),
                response_schema=page_response(
                    paging, name=f"{camel(res.plural_name)}Page", item_schema=public
                )
                if paging
                else f"list[{public}]",
                success_status=200,
                success_headers=page_headers(paging) if paging else (),
                query=query,
                auth=label,
                idempotent=True,
                errors=tuple(errors),
            )
        )
    if "create" in ops:
        found.append(
            Endpoint(
                method="POST",
                path=base,
                function=f"create_{res.name}",
                summary=f"Create {article(res.name)}",
                request_schema=create,
                response_schema=public,
                success_status=201,
                success_headers=(f"Location: {item}",),
                auth=label,
                idempotent=False,
                errors=(*guard, *conflicts, *bad_refs, _body_422(create)),
            )
        )
    if "read" in ops:
        found.append(
            Endpoint(
                method="GET",
                path=item,
                function=f"read_{res.name}",
                summary=f"Read one {res.name.replace('_', ' ')}",
                response_schema=public,
                success_status=200,
                auth=label,
                idempotent=True,
                errors=(*guard, not_found, *bad_id),
            )
        )
    if "update" in ops:
        method = "PATCH" if res.update_method == "patch" else "PUT"
        found.append(
            Endpoint(
                method=method,
                path=item,
                function=f"update_{res.name}",
                summary=f"{'Update' if method == 'PATCH' else 'Replace'} "
                f"{article(res.name)}",
                request_schema=update,
                response_schema=public,
                success_status=200,
                auth=label,
                idempotent=method == "PUT",
                errors=(
                    *guard,
                    not_found,
                    *conflicts,
                    *bad_refs,
                    _body_422(update),
                ),
            )
        )
    if "delete" in ops:
        found.append(
            Endpoint(
                method="DELETE",
                path=item,
                function=f"delete_{res.name}",
                summary=f"Delete {article(res.name)}",
                success_status=204,
                auth=label,
                idempotent=True,
                errors=(*guard, not_found, *bad_id),
            )
        )
    order = [op for op in OPERATIONS if op in ops]
    served = (
        _as_the_project_serves(ctx, op, ep) for op, ep in zip(order, found, strict=True)
    )
    return tuple(
        _scoped(spec, op, ep, guard, credential)
        for op, ep in zip(order, served, strict=True)
    )


def operation_requirement(
    spec: CrudResourceSpec, op: str, method: str
) -> AuthRequirement:
    """Return what one operation requires: its own scopes, else the shared ones.

    `auth.operation_scopes` names an operation's scopes outright; without it,
    a `<x>:read` scope guards reads and `<x>:write` the writes.
    """
    own = spec.auth.scopes_for(op)
    if own is not None:
        return spec.auth.model_copy(update={"scopes": own})
    return for_method(spec.auth, method)


def _scoped(
    spec: CrudResourceSpec,
    op: str,
    ep: Endpoint,
    guard: list[ErrorCase],
    credential: Credential,
) -> Endpoint:
    """Give an endpoint the scopes its operation needs (reads never `:write`)."""
    req = operation_requirement(spec, op, ep.method)
    if req == spec.auth:
        return ep
    own = auth_errors(req, credential)
    errors = [e for e in ep.errors if e not in guard]
    return dataclasses.replace(
        ep,
        auth=auth_label(req, credential),
        errors=tuple(sorted((*own, *errors), key=lambda e: e.status)),
    )


OPERATIONS = ("list", "create", "read", "update", "delete")
# What current practice answers; a project with another habit keeps it, and
# the plan says so (`crud.contract`).
USUAL_STATUS = {"list": 200, "create": 201, "read": 200, "update": 200, "delete": 204}


def _as_the_project_serves(ctx: Context, op: str, ep: Endpoint) -> Endpoint:
    """Give an endpoint the method, path and status the exemplar's route has."""
    if ctx.targets is None:
        return ep
    route = next((r for r in ctx.targets.endpoints if r.operation == op), None)
    if route is None:
        return ep
    status = route.status_code or ep.success_status
    headers = ep.success_headers if status == 201 else ()
    read = next((r for r in ctx.targets.endpoints if r.operation == "read"), None)
    if headers and read is not None:
        # The new row's URL is where it is read (`/prompts/i/{prompt_id}`).
        headers = (f"Location: {read.path}",)
    # A spec that names its update method keeps it; else the exemplar's
    # stands (often a PUT that applies only the fields sent, so the partial
    # update's guidance holds for it too).
    named = "update_method" in crud_spec(ctx).resource.model_fields_set
    method = ep.method if op == "update" and named else route.method
    return dataclasses.replace(
        ep,
        method=method,
        path=route.path,
        errors=_convertor_errors(route.path, ep.errors),
        success_status=status,
        success_headers=headers,
        # A 204 has no body: no response model, whatever the operation.
        response_schema=None if status == 204 else ep.response_schema,
        idempotent=method in ("GET", "PUT", "DELETE"),
    )


def project_habits(ctx: Context) -> list[str]:
    """Say where the planned contract follows the project, not current practice."""
    found = []
    for ep in resource_endpoints(ctx):
        # Functions are named `<operation>_<resource>` (see _build_endpoints).
        usual = USUAL_STATUS[ep.function.partition("_")[0]]
        if ep.success_status != usual:
            found.append(
                f"`{ep.method} {ep.path}` answers {ep.success_status}, as the "
                f"project's own routes do; current practice is {usual}"
                + (" with a `Location` header" if usual == 201 else "")
                + ". Keep the project's habit unless the team changes it everywhere."
            )
    return found
