"""Planned endpoints against an exported OpenAPI document (for dynamic routes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.errors import UsageError

from .endpoints import normal_path
from .planview import PlannedEndpoint, PlanView
from .records import Finding

__all__ = ["check_openapi", "read_openapi"]


def read_openapi(path: Path) -> dict[str, Any]:
    """Read an OpenAPI document written as JSON.

    Raises:
        UsageError: the file cannot be read or is not an OpenAPI document.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(
            f"cannot read the OpenAPI document: {err}",
            where=str(path),
            hint="export it as JSON: `python -c 'import json; from app.main "
            "import app; print(json.dumps(app.openapi()))' > openapi.json`",
        ) from err
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise UsageError("not an OpenAPI document: no `paths`", where=str(path))
    return data


def check_openapi(plan: PlanView, doc: dict[str, Any], shown_as: str) -> list[Finding]:
    """One finding per planned endpoint, success status, error and security."""
    paths = {normal_path(p): (p, ops) for p, ops in doc["paths"].items()}
    secured = bool(doc.get("security"))
    out = []
    for endpoint in plan.endpoints:
        key, ops = paths.get(normal_path(endpoint.path), ("", {}))
        op = ops.get(endpoint.method.lower()) if isinstance(ops, dict) else None
        where = f"{shown_as}#/paths/{key}/{endpoint.method.lower()}"
        if not isinstance(op, dict):
            out.append(
                Finding(
                    "openapi",
                    endpoint.label,
                    "missing",
                    "not in the OpenAPI document",
                    shown_as,
                    plan.line_of(endpoint.path),
                )
            )
            continue
        out.extend(_operation(endpoint, op, secured, where))
    return out


def _operation(
    endpoint: PlannedEndpoint, op: dict[str, Any], secured: bool, where: str
) -> list[Finding]:
    responses = {str(k) for k in op.get("responses", {})}
    success = str(endpoint.success_status)
    out = [
        Finding(
            "openapi",
            endpoint.label,
            "ok" if success in responses else "differs",
            f"responses {', '.join(sorted(responses)) or 'none'}; the plan answers "
            f"{success}",
            where,
        )
    ]
    if endpoint.auth not in ("none", ""):
        has_security = bool(op.get("security", secured or None))
        out.append(
            Finding(
                "openapi",
                f"{endpoint.label} security",
                "ok" if has_security else "missing",
                "declares a security scheme"
                if has_security
                else "no security "
                "scheme declared (OpenAPI shows only Security-based dependencies)",
                where,
            )
        )
    return out
