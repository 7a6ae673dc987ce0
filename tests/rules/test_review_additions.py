"""What a senior reviewer adds to a plan, once and only where the plan needs it.

Who commits, lost updates, secrets echoed by 422 bodies, URLs and headers
behind proxies and CORS, generated clients' operation ids, the async paging
call of fastapi-pagination, and no status promised for a dependency that the
project already has.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from planner import DEFAULT_LAYOUT, Plan, build_plan, read_spec, render_markdown
from planner.inspect.layout import Layout
from planner.specfile import validate_spec
from tests.paths import EXAMPLES


def plan_of(data: dict[str, Any], **layout: Any) -> Plan:
    lay: Layout = dataclasses.replace(DEFAULT_LAYOUT, **layout)
    return build_plan(validate_spec(data), layout=lay)


def crud(
    *, owned: bool = False, fields: list[dict[str, Any]] | None = None, **paging: Any
) -> dict[str, Any]:
    return {
        "kind": "crud-resource",
        "resource": {
            "name": "invoice",
            "owned_by_user": owned,
            "fields": fields or [{"name": "title", "type": "str"}],
        },
        "auth": {"required": True},
        "pagination": {"style": "offset", **paging},
    }


def endpoint(method: str, path: str, **extra: Any) -> dict[str, Any]:
    base = {"kind": "endpoint", "summary": "Do it", "method": method, "path": path}
    return base | extra


def bullets(plan: Plan) -> list[str]:
    return [g for f in plan.files for g in f.guidance]


def mentioning(plan: Plan, needle: str) -> list[str]:
    return [g for g in bullets(plan) if needle in g]


# ------------------------------------------------ an existing current-user dependency


def test_a_new_dependency_promises_403_for_inactive_accounts() -> None:
    plan = plan_of(crud())
    assert all(403 in {e.status for e in ep.errors} for ep in plan.endpoints)


def test_an_existing_dependency_gets_no_promised_inactive_status() -> None:
    for data in (
        crud(),
        endpoint("GET", "/invoices/{invoice_id}", auth={"required": True}),
    ):
        plan = plan_of(data, current_user_dep="CurrentUser")
        for ep in plan.endpoints:
            assert 403 not in {e.status for e in ep.errors}, ep
            assert 401 in {e.status for e in ep.errors}, ep
        assert not any("inactive" in t.checks for t in plan.tests)
        [asked] = [q for q in plan.open_questions if "inactive" in q]
        assert "`CurrentUser`" in asked


def test_scopes_still_answer_403_beside_an_existing_dependency() -> None:
    data = crud()
    data["auth"]["scopes"] = ["invoices:read"]
    plan = plan_of(data, current_user_dep="CurrentUser")
    read = next(ep for ep in plan.endpoints if ep.method == "GET")
    assert [e.when for e in read.errors if e.status == 403] == [
        "the token lacks scope `invoices:read`"
    ]


# ------------------------------------------------ who commits


def test_crud_services_own_the_commit_once() -> None:
    plan = plan_of(crud())
    [owner] = mentioning(plan, "own the transaction")
    assert "router never does" in owner
    assert "expire_on_commit=False" in owner  # the async advice joins it


def test_endpoint_writes_own_the_commit_and_reads_do_not() -> None:
    write = plan_of(endpoint("POST", "/invoices", effect="create"))
    assert len(mentioning(write, "owns the transaction")) == 1
    read = plan_of(endpoint("GET", "/invoices/{invoice_id}"))
    assert mentioning(read, "owns the transaction") == []


# ------------------------------------------------ lost updates


def test_shared_rows_ask_about_concurrent_edits() -> None:
    [asked] = [q for q in plan_of(crud()).open_questions if "at once" in q]
    assert "`version` column" in asked and "`If-Match`" in asked
    assert "412" in asked and "409" in asked


def test_owned_rows_and_etag_endpoints_do_not_ask() -> None:
    assert not any("at once" in q for q in plan_of(crud(owned=True)).open_questions)
    guarded = plan_of(endpoint("PATCH", "/invoices/{invoice_id}", etag=True))
    assert not any("at once" in q for q in guarded.open_questions)
    bare = plan_of(endpoint("PATCH", "/invoices/{invoice_id}"))
    assert any("at once" in q for q in bare.open_questions)


# ------------------------------------------------ secrets in 422 bodies


def test_secret_fields_keep_out_of_422_bodies_and_responses() -> None:
    fields = [{"name": "title", "type": "str"}, {"name": "api_key", "type": "str"}]
    [bullet] = mentioning(plan_of(crud(fields=fields)), "RequestValidationError")
    assert "`api_key` is a secret" in bullet
    assert "`SecretStr`" in bullet and "`InvoiceBase`" in bullet
    request = {"fields": [{"name": "password", "type": "str"}]}
    ep = plan_of(endpoint("POST", "/logins", effect="create", request=request))
    assert len(mentioning(ep, "RequestValidationError")) == 1


def test_plans_without_secrets_say_nothing_about_them() -> None:
    fields = [{"name": "token_count", "type": "int"}]  # a word, not a secret
    assert mentioning(plan_of(crud(fields=fields)), "RequestValidationError") == []


# ------------------------------------------------ proxies, CORS, generated clients


def test_urls_and_exposed_headers_are_said_once_in_the_app_module() -> None:
    plan = plan_of(crud(links="link-header"))
    [edge] = mentioning(plan, "root_path")
    assert edge in [
        g for f in plan.files if f.path == "app/main.py" for g in f.guidance
    ]
    assert "--forwarded-allow-ips" in edge
    assert 'expose_headers=["Location", "Link"]' in edge


def test_rate_limited_routes_expose_retry_after() -> None:
    plan = plan_of(endpoint("GET", "/reports", rate_limit="5/minute"))
    [edge] = mentioning(plan, "expose_headers")
    assert '["Retry-After"]' in edge
    assert mentioning(plan, "root_path") == []  # it builds no URL
    [limiter] = mentioning(plan, "Limiter(")
    assert "headers_enabled=True" in limiter


def test_a_plain_read_needs_no_proxy_or_cors_advice() -> None:
    plan = plan_of(endpoint("GET", "/invoices/{invoice_id}"))
    assert mentioning(plan, "root_path") == mentioning(plan, "expose_headers") == []


def test_a_generated_client_gets_stable_operation_ids() -> None:
    with_client = plan_of(crud(), generated_client="frontend/src/client")
    assert len(mentioning(with_client, "generate_unique_id_function")) == 1
    assert mentioning(plan_of(crud()), "generate_unique_id_function") == []


# ------------------------------------------------ fastapi-pagination


def test_fastapi_pagination_with_an_async_session_uses_apaginate() -> None:
    async_plan = plan_of(crud(), pagination_library="fastapi-pagination")
    [note] = [n.text for n in async_plan.notes if "fastapi-pagination" in n.text]
    assert "`await apaginate(session, select(...))`" in note
    sync = plan_of(
        crud(), pagination_library="fastapi-pagination", session_is_async=False
    )
    assert not any("apaginate" in n.text for n in sync.notes)


# ------------------------------------------------ length


def test_the_crud_example_plan_stays_within_250_lines() -> None:
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    text = render_markdown(build_plan(spec, layout=DEFAULT_LAYOUT))
    assert len(text.splitlines()) <= 250


def test_edges_stay_beside_the_routes_when_the_app_module_is_not_planned() -> None:
    plan = plan_of(crud(), router_registry="app/api/api.py")
    assert "app/main.py" not in {f.path for f in plan.files}
    [edge] = mentioning(plan, "expose_headers")
    router = next(f for f in plan.files if f.path == "app/routers/invoices.py")
    assert edge in router.guidance
    assert "`FastAPI(...)` in `app/main.py`" in edge
