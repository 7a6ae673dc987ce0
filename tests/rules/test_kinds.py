"""What the endpoint, auth and pagination plans must get right, and composition.

Assertions read the Plan model (statuses, headers, note ids, files, tables),
not the rendered Markdown, so wording can improve without breaking them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from planner import DEFAULT_LAYOUT, Plan, build_plan, read_spec, render_markdown
from planner.engine.builder import Context
from planner.engine.knowledge import load_knowledge
from planner.errors import SpecError
from planner.plan import Endpoint, ErrorCase, FileChange, Table
from planner.render.escape import inline
from planner.rules.shared.guard import BEARER, auth_errors, current_user_guidance
from planner.spec import AuthRequirement
from planner.specfile import validate_spec
from tests.paths import EXAMPLES


def plan_of(data: dict[str, Any]) -> Plan:
    return build_plan(validate_spec(data), layout=DEFAULT_LAYOUT)


def example(name: str) -> Plan:
    return build_plan(read_spec(EXAMPLES / name).spec, layout=DEFAULT_LAYOUT)


def endpoint(plan: Plan, method: str, path: str) -> Endpoint:
    found = [e for e in plan.endpoints if (e.method, e.path) == (method, path)]
    assert len(found) == 1, [(e.method, e.path) for e in plan.endpoints]
    return found[0]


def statuses(ep: Endpoint) -> set[int]:
    return {e.status for e in ep.errors}


def cases(ep: Endpoint, status: int) -> list[ErrorCase]:
    return [e for e in ep.errors if e.status == status]


def file(plan: Plan, path: str) -> FileChange:
    found = [f for f in plan.files if f.path == path]
    assert found, f"{path} not in {[f.path for f in plan.files]}"
    return found[0]


def table(plan: Plan, name: str) -> Table:
    assert plan.data_model is not None
    found = [t for t in plan.data_model.tables if t.name == name]
    assert found, f"no table {name}"
    return found[0]


def note_ids(plan: Plan) -> set[str]:
    return {n.id for n in plan.notes if n.id}


def planned_tests(plan: Plan) -> set[str]:
    return {t.name for t in plan.tests}


def endpoint_spec(**extra: Any) -> dict[str, Any]:
    return {"kind": "endpoint", "summary": "Do it", **extra}


# --------------------------------------------------------------- endpoint


def test_cancel_order_example() -> None:
    plan = example("endpoint-cancel-order.toml")
    ep = endpoint(plan, "POST", "/orders/{order_id}/cancel")
    assert ep.success_status == 200
    assert ep.function == "cancel_order"
    assert ep.request_schema == "CancelOrderRequest"
    assert ep.response_schema == "OrderPublic"
    assert not ep.idempotent
    assert statuses(ep) == {401, 403, 404, 409, 422}
    assert cases(ep, 401)[0].headers == ("WWW-Authenticate: Bearer",)
    assert any("orders:write" in c.when for c in cases(ep, 403))
    router = file(plan, "app/routers/orders.py")
    assert router.action == "modify"
    assert any("order_id: Annotated[int, Path()]" in g for g in router.guidance)
    assert any("responses={...}" in g for g in router.guidance)
    assert file(plan, "app/services/order.py").action == "modify"
    assert {"http-method-semantics", "security-scopes"} <= note_ids(plan)


@pytest.mark.parametrize(
    ("method", "path", "extra", "status", "header"),
    [
        ("GET", "/orders/{order_id}", {}, 200, None),
        ("POST", "/orders", {}, 201, "Location: /orders/{order_id}"),
        ("POST", "/orders/{order_id}/cancel", {}, 200, None),
        ("POST", "/reports", {"effect": "accepted"}, 202, "Location: /jobs/{job_id}"),
        ("PUT", "/documents/{document_id}", {}, 200, None),
        ("PATCH", "/documents/{document_id}", {}, 200, None),
        ("DELETE", "/documents/{document_id}", {}, 204, None),
        ("POST", "/orders/{order_id}/archive", {"response": {}}, 204, None),
    ],
)
def test_success_status_from_effect(
    method: str, path: str, extra: dict[str, Any], status: int, header: str | None
) -> None:
    plan = plan_of(endpoint_spec(method=method, path=path, **extra))
    ep = endpoint(plan, method, path)
    assert ep.success_status == status
    if header:
        assert header in ep.success_headers
    assert ep.idempotent == (method in {"GET", "PUT", "DELETE"})
    if status == 204:
        assert ep.response_schema is None


def test_effect_must_fit_the_method() -> None:
    with pytest.raises(SpecError, match="does not fit"):
        validate_spec(endpoint_spec(method="GET", path="/x", effect="create"))


def test_router_module_from_first_static_segment() -> None:
    plan = plan_of(endpoint_spec(method="GET", path="/api/v1/orders/{order_id}"))
    assert file(plan, "app/routers/orders.py").action == "modify"
    uuid = plan_of(
        endpoint_spec(
            method="GET", path="/orders/{order_id}", path_types={"order_id": "uuid"}
        )
    )
    ep = endpoint(uuid, "GET", "/orders/{order_id}")
    assert any(c.when == "`order_id` is not a UUID" for c in ep.errors)


def test_idempotency_key_option() -> None:
    plan = example("endpoint-create-payment.toml")
    ep = endpoint(plan, "POST", "/payments")
    assert ep.success_status == 201
    assert ep.idempotent
    keyed = [c for c in ep.errors if "Idempotency-Key" in c.when]
    assert {c.status for c in keyed} == {400, 409, 422}
    store = table(plan, "idempotency_keys")
    assert store.action == "create"
    assert any(i.unique and i.columns == ("scope", "key") for i in store.indexes)
    assert "idempotency-key-draft" in note_ids(plan)
    assert "test_create_payment_idempotent_replay" in planned_tests(plan)


def test_etag_on_a_write_gives_412_and_428() -> None:
    plan = example("endpoint-replace-document.toml")
    ep = endpoint(plan, "PUT", "/documents/{document_id}")
    assert {412, 428} <= statuses(ep)
    assert any(h.startswith("ETag:") for h in ep.success_headers)
    documents = table(plan, "documents")
    assert documents.action == "alter"
    assert [c.name for c in documents.columns] == ["version"]
    assert "etag-if-match" in note_ids(plan)


def test_etag_on_a_read_gives_304_not_412() -> None:
    plan = plan_of(
        endpoint_spec(method="GET", path="/documents/{document_id}", etag=True)
    )
    ep = endpoint(plan, "GET", "/documents/{document_id}")
    assert 412 not in statuses(ep)
    assert any(h.startswith("ETag:") for h in ep.success_headers)
    assert "test_read_document_304_not_modified" in planned_tests(plan)


def test_rate_limit_gives_429_with_retry_after() -> None:
    plan = plan_of(endpoint_spec(method="GET", path="/x", rate_limit="10/minute"))
    (case,) = cases(endpoint(plan, "GET", "/x"), 429)
    assert case.headers[0].startswith("Retry-After")


def test_accepted_plans_a_job_and_its_status_endpoint() -> None:
    plan = example("endpoint-export-report.toml")
    ep = endpoint(plan, "POST", "/reports/{report_id}/export")
    assert (ep.success_status, ep.response_schema) == (202, "JobAccepted")
    status = endpoint(plan, "GET", "/jobs/{job_id}")
    assert status.response_schema == "JobStatus"
    assert statuses(status) == statuses(ep) - {422} | {404, 422}
    assert table(plan, "jobs").action == "create"
    assert "background-task-session" in note_ids(plan)


def test_user_errors_stay_literal_markdown() -> None:
    text = "the *order* is <b>locked</b> | `x`"
    plan = plan_of(
        endpoint_spec(
            method="POST",
            path="/orders/{order_id}/cancel",
            errors=[{"status": 409, "when": text}],
        )
    )
    ep = endpoint(plan, "POST", "/orders/{order_id}/cancel")
    assert [c.when for c in cases(ep, 409)] == [inline(text)]  # replaces the guess
    assert "<b>" not in render_markdown(plan)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("endpoint-*")))
def test_every_endpoint_status_has_a_test(name: str) -> None:
    plan = example(name)
    names = planned_tests(plan)
    for ep in plan.endpoints:
        assert f"test_{ep.function}_{ep.success_status}" in names
        for case in ep.errors:
            assert any(
                n.startswith(f"test_{ep.function}_{case.status}_") for n in names
            )


# --------------------------------------------------------------- auth


def test_password_jwt_example() -> None:
    plan = example("auth-password-jwt.toml")
    register = endpoint(plan, "POST", "/auth/register")
    assert (register.success_status, statuses(register)) == (201, {409, 422, 429})
    login = endpoint(plan, "POST", "/auth/token")
    assert (login.success_status, statuses(login)) == (200, {401, 403, 422, 429})
    assert cases(login, 401)[0].headers == ("WWW-Authenticate: Bearer",)
    assert "same timing" in cases(login, 401)[0].when
    refresh = endpoint(plan, "POST", "/auth/refresh")
    assert "reuse" in cases(refresh, 401)[0].when
    assert endpoint(plan, "POST", "/auth/logout").success_status == 204
    assert {
        "jwt-pyjwt",
        "password-hash-pwdlib",
        "timing-dummy-hash",
        "login-rate-limit",
        "refresh-token-practice",
        "secrets-not-in-code",
        "admin-route-dependencies",
    } <= note_ids(plan)
    packages = " ".join(file(plan, "pyproject.toml").guidance)
    assert "pwdlib[argon2,bcrypt]" in packages and "pyjwt" in packages
    assert "passlib" not in packages and "jose" not in packages
    assert "SecretStr" in " ".join(file(plan, "app/core/config.py").guidance)
    assert plan.data_model is not None
    assert {t.name for t in plan.data_model.tables} == {"users", "refresh_tokens"}
    assert "role" in [c.name for c in table(plan, "users").columns]
    assert "test_login_401_unknown_email" in planned_tests(plan)


def test_api_key_scheme() -> None:
    plan = example("auth-api-key.toml")
    create = endpoint(plan, "POST", "/api-keys")
    assert cases(create, 401)[0].headers == ("WWW-Authenticate: APIKey",)
    keys = table(plan, "api_keys")
    assert "key_hash" in [c.name for c in keys.columns]
    assert any(i.unique and i.columns == ("prefix",) for i in keys.indexes)
    assert "api-key-compare-digest" in note_ids(plan)
    without_roles = plan_of({"kind": "auth", "scheme": "api-key"})
    assert without_roles.endpoints == ()
    assert any("management command" in a for a in without_roles.assumptions)


def test_oidc_scheme_keeps_no_passwords() -> None:
    plan = example("auth-oidc.toml")
    assert [(e.method, e.path) for e in plan.endpoints] == [("GET", "/users/me")]
    users = table(plan, "users")
    assert "hashed_password" not in [c.name for c in users.columns]
    assert any(i.columns == ("issuer", "subject") and i.unique for i in users.indexes)
    assert {"oidc-verify-jwks", "async-def-blocking"} <= note_ids(plan)
    assert any("PyJWKClient" in g for g in file(plan, "app/core/security.py").guidance)


def test_oauth2_provider_scheme() -> None:
    plan = example("auth-oauth2-github.toml")
    login = endpoint(plan, "GET", "/auth/github/login")
    assert login.success_status == 302
    callback = endpoint(plan, "GET", "/auth/github/callback")
    assert callback.success_status == 303
    assert {400, 502} <= statuses(callback)
    links = table(plan, "oauth_accounts")
    assert any(
        i.unique and i.columns == ("provider", "provider_user_id")
        for i in links.indexes
    )
    assert "oauth2-state-pkce" in note_ids(plan)
    security = " ".join(file(plan, "app/core/security.py").guidance)
    assert "github.com/login/oauth/authorize" in security
    assert "S256" in security


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("auth-*")))
def test_every_auth_plan_has_a_sequence_diagram(name: str) -> None:
    (diagram,) = example(name).diagrams
    assert diagram.mermaid.startswith("sequenceDiagram")


# --------------------------------------------------------------- pagination


def test_cursor_pagination_example() -> None:
    plan = example("pagination-items-cursor.toml")
    ep = endpoint(plan, "GET", "/items")
    assert ep.response_schema == "ItemsPage"
    assert any(q.startswith("cursor:") for q in ep.query)
    assert any("tampered" in c.when for c in cases(ep, 400))
    # A keyset seek needs the composite index: planned, unless the table has it.
    items = table(plan, "items")
    assert items.action == "alter"
    assert [i.columns for i in items.indexes] == [("created_at", "id")]
    assert {"pagination-keyset", "pagination-opaque-cursor"} <= note_ids(plan)
    assert {
        "test_list_empty",
        "test_list_exactly_one_page",
        "test_list_last_page",
        "test_list_size_above_cap",
        "test_list_tampered_cursor",
    } <= planned_tests(plan)
    # A cursor only positions the seek: no signing key to add to the settings.
    assert not any("CURSOR_SECRET" in g for f in plan.files for g in f.guidance)
    assert file(plan, "app/routers/items.py").action == "modify"


def test_offset_pagination_with_total() -> None:
    plan = example("pagination-orders-offset.toml")
    ep = endpoint(plan, "GET", "/orders")
    assert any(q.startswith("include_total") for q in ep.query)
    page = next(s for s in plan.schemas if s.name == "OrdersPage")
    assert "count" in [f.name for f in page.fields]
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert "only when `include_total` is true" in guidance
    # An offset page needs no seek: whether the index exists is asked, not planned.
    assert any("(placed_at, id)" in q for q in plan.open_questions)
    assert not any("alembic/versions" in f.path for f in plan.files)


def test_page_pagination_with_link_header() -> None:
    plan = example("pagination-tags-page.toml")
    ep = endpoint(plan, "GET", "/api/v1/tags")
    assert any(h.startswith("Link:") for h in ep.success_headers)
    assert "pagination-link-header" in note_ids(plan)


def test_tie_breaker_is_appended() -> None:
    plan = plan_of(
        {
            "kind": "pagination",
            "target": "GET /posts",
            "style": "offset",
            "sort": ["-score"],
        }
    )
    assert any("(score, id)" in q for q in plan.open_questions)


# --------------------------------------------------------------- composition

PAGING = {
    "style": "cursor",
    "default_size": 20,
    "max_size": 100,
    "sort": ["created_at", "id"],
}


def crud_items(**auth: Any) -> Plan:
    return plan_of(
        {
            "kind": "crud-resource",
            "resource": {"name": "item", "fields": [{"name": "title", "type": "str"}]},
            "auth": auth or {"required": False},
            "pagination": {**PAGING, "include_total": False},
        }
    )


def test_crud_list_and_pagination_kind_share_the_paging_rules() -> None:
    crud = crud_items()
    paged = example("pagination-items-cursor.toml")
    a, b = endpoint(crud, "GET", "/items"), endpoint(paged, "GET", "/items")
    for field in ("function", "query", "errors", "success_headers", "response_schema"):
        assert getattr(a, field) == getattr(b, field), field
    page = {s.name: s for s in crud.schemas}["ItemsPage"]
    assert page == {s.name: s for s in paged.schemas}["ItemsPage"]
    paging_notes = {n for n in note_ids(paged) if n.startswith("pagination-")}
    assert paging_notes and paging_notes <= note_ids(crud)
    list_tests = {
        (t.name, t.checks)
        for t in paged.tests
        if t.name.startswith("test_list_") and not t.name.startswith("test_list_items")
    }
    assert list_tests <= {(t.name, t.checks) for t in crud.tests}
    assert (
        table(paged, "items").indexes[0].columns
        == table(crud, "items").indexes[0].columns
    )


def test_paginated_endpoint_matches_the_pagination_kind() -> None:
    ep_plan = plan_of(endpoint_spec(method="GET", path="/items", paginated=PAGING))
    paged = plan_of({"kind": "pagination", "target": "GET /items", **PAGING})
    a, b = endpoint(ep_plan, "GET", "/items"), endpoint(paged, "GET", "/items")
    for field in ("function", "query", "errors", "success_headers", "response_schema"):
        assert getattr(a, field) == getattr(b, field), field
    assert table(ep_plan, "items").indexes == table(paged, "items").indexes


def test_endpoint_auth_cases_equal_crud_cases() -> None:
    req = {"required": True, "scopes": ["orders"], "roles": ["admin"]}
    crud = crud_items(**req)
    ep_plan = plan_of(endpoint_spec(method="GET", path="/things/{thing_id}", auth=req))
    crud_cases = [
        c for c in endpoint(crud, "GET", "/items").errors if c.status in {401, 403}
    ]
    ep_cases = [
        c
        for c in endpoint(ep_plan, "GET", "/things/{thing_id}").errors
        if c.status in {401, 403}
    ]
    assert crud_cases == ep_cases == auth_errors(AuthRequirement.model_validate(req))


def test_crud_reads_need_read_scopes_and_writes_write_scopes() -> None:
    crud = crud_items(required=True, scopes=["items:read", "items:write"])
    for ep in crud.endpoints:
        wanted = "items:read" if ep.method == "GET" else "items:write"
        unwanted = "items:write" if ep.method == "GET" else "items:read"
        assert wanted in ep.auth and unwanted not in ep.auth, ep.auth
        scope_cases = [c.when for c in ep.errors if "scope" in c.when]
        assert scope_cases == [f"the token lacks scope `{wanted}`"]


def test_auth_kind_and_crud_share_the_guard() -> None:
    crud = crud_items(required=True)
    auth = example("auth-password-jwt.toml")
    me = endpoint(auth, "GET", "/users/me")
    assert list(me.errors) == auth_errors(AuthRequirement(required=True), BEARER)
    crud_list = endpoint(crud, "GET", "/items")
    assert [c for c in crud_list.errors if c.status in {401, 403}] == list(me.errors)
    ctx = Context(
        spec=read_spec(EXAMPLES / "auth-password-jwt.toml").spec,
        layout=DEFAULT_LAYOUT,
        knowledge=load_knowledge(),
    )
    for plan in (crud, auth):
        deps = file(plan, "app/dependencies.py").guidance
        assert set(current_user_guidance(ctx, "password-jwt")) <= set(deps)


@pytest.mark.parametrize(
    ("owned", "user_dep", "fixtures"),
    [
        (True, "get_current_user", "Fixtures for two users"),
        (False, None, "A fixture for a signed-in user"),
        (False, "get_current_user", None),
    ],
)
def test_conftest_changes_only_for_fixtures_the_project_lacks(
    owned: bool, user_dep: str | None, fixtures: str | None
) -> None:
    spec = validate_spec(
        {
            "kind": "crud-resource",
            "resource": {
                "name": "note",
                "owned_by_user": owned,
                "fields": [{"name": "text", "type": "str"}],
            },
            "auth": {"required": True},
        }
    )
    layout = dataclasses.replace(DEFAULT_LAYOUT, current_user_dep=user_dep)
    plan = build_plan(spec, layout=layout)
    changes = [f for f in plan.files if f.path == layout.conftest]
    if fixtures is None:
        assert changes == []
    else:
        assert any(g.startswith(fixtures) for f in changes for g in f.guidance)
