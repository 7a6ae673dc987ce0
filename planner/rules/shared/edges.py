"""What sits between the routes and their callers, said once where a plan needs it.

Proxies and CORS decide whether the URLs and headers a route sends reach a
browser intact; a generated client names its methods after operation ids; a
422 body echoes what was submitted; two writers can overwrite each other. Each
function here adds its advice only when the plan has what it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planner.engine.builder import Context, PlanBuilder
from planner.render.escape import code

# Field names whose values must never come back in a response or a log line.
_SECRET = re.compile(
    r"(^|_)(password|passwd|passphrase|secret|token|api_?key|pin|cvv|otp)$"
)
# Response headers a script reads that are not CORS-safelisted (Fetch standard).
_EXPOSED = ("Location", "Link", "Retry-After", "ETag")


def secret_fields(names: Iterable[str]) -> list[str]:
    """Return the field names that hold secrets (`password`, `api_key`, ...)."""
    return [name for name in names if _SECRET.search(name)]


def plan_secret_echo(
    ctx: Context,
    plan: PlanBuilder,
    names: Iterable[str],
    *,
    schema_file: str,
    base: str = "",
) -> None:
    """Keep secret fields out of 422 bodies, which echo the submitted input.

    `base` names a schema the public one inherits from: secrets stay out of it.
    """
    secrets = secret_fields(names)
    if not secrets:
        return
    listed = ", ".join(code(n) for n in secrets)
    kept_out = f", keep it out of {code(base)} so no response returns it"
    if not base:
        kept_out = ""
    plan.file(
        schema_file,
        "request and response schemas",
        f"{listed} {'is a secret' if len(secrets) == 1 else 'are secrets'}: type "
        f"it `SecretStr`{kept_out}, and register a `RequestValidationError` "
        "handler in "
        f"{code(ctx.layout.main_module)} that drops `input` from each error: a "
        "422 echoes the submitted value, or the whole body when another field "
        "is missing.",
    )
    plan.habit("validation-error-input-echo")


def lost_update_question(noun: str) -> str:
    """Return the open question about concurrent edits of one row."""
    return (
        f"Can two clients edit the same {noun} at once? Today the last write "
        "wins silently. If that matters, add a `version` column (`version_id_col`; "
        "409 on `StaleDataError`) or `ETag`/`If-Match` (412 on a mismatch, 428 "
        "when missing); either makes every client read before it writes."
    )


def plan_edges(ctx: Context, plan: PlanBuilder, *, route_file: str) -> None:
    """Plan the proxy, CORS and OpenAPI settings the plan's routes rely on.

    The advice goes to the application module when the plan changes it anyway,
    else beside the routes in `route_file`: a setting is no reason to plan a
    file of its own.
    """
    main = ctx.layout.main_module
    target, purpose = (main, "application setup")
    if not plan.has_file(main):
        target, purpose = (route_file, "path operations")
    app = "`FastAPI(...)`" if target == main else f"`FastAPI(...)` in {code(main)}"
    headers = {
        h.partition(":")[0]
        for ep in plan.endpoints
        for h in (*ep.success_headers, *(x for e in ep.errors for x in e.headers))
    }
    paged = "Link" in headers or any(
        f.name == "next" for s in plan.schemas for f in s.fields
    )
    kinds = (("`Location`", "Location" in headers), ("page", paged))
    urls = [name for name, used in kinds if used]
    exposed = [h for h in _EXPOSED if h in headers]
    parts = []
    if urls:
        parts.append(
            f"Build {' and '.join(urls)} URLs with `request.url_for(...)`/"
            "`request.url`: they honour `root_path` (set it when a proxy strips a "
            "path prefix) and, once the server trusts the proxy "
            "(`--forwarded-allow-ips`), its scheme and host."
        )
        plan.habit("proxy-forwarded-headers")
    if exposed:
        names = ", ".join(f'"{h}"' for h in exposed)
        parts.append(
            "If browsers call the API from another origin, add "
            f"`CORSMiddleware(expose_headers=[{names}])` to {app}: scripts can "
            "read only safelisted response headers."
        )
        plan.habit("cors-expose-headers")
    if parts:
        plan.file(target, purpose, " ".join(parts))
    if ctx.layout.generated_client:
        plan.file(
            target,
            purpose,
            f"A client is generated from the OpenAPI schema: unless {app} sets "
            "`generate_unique_id_function` already, give it one (e.g. "
            '`lambda route: f"{route.tags[0]}-{route.name}"`) so the new '
            "operations get short client method names that survive a path change.",
        )
        plan.habit("openapi-operation-ids")
