"""`verify_plan`: every check of a plan against a project, in checklist order."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from planner.errors import InspectionError
from planner.inspect.model import ProjectModel, read_project

from .code import SourceCache
from .endpoints import check_endpoints
from .files import check_files
from .migrations import check_migration
from .openapi import check_openapi
from .planview import PlanView
from .records import Finding, VerifyReport
from .testcases import check_tests

__all__ = ["REBUILT", "verify_plan"]

REBUILT = (
    "the plan was rebuilt from its spec against the project as it is now, so "
    "a migration that is now the head counts as the planned one; verify the "
    "JSON plan (`planner new --format json`) to compare with the plan as written"
)


def verify_plan(
    plan: PlanView,
    /,
    *,
    project: Path,
    source: str = "",
    openapi: dict[str, Any] | None = None,
    openapi_name: str = "openapi.json",
) -> VerifyReport:
    """Compare a plan with the project as its files are now (never importing it)."""
    if not project.is_dir():
        raise InspectionError(f"not a folder: {project}")
    model = _read(project)
    code = SourceCache(project, model.paths)
    endpoints = check_endpoints(plan, model, code)
    extra: list[Finding] = []
    if openapi is not None:
        extra = check_openapi(plan, openapi, openapi_name)
        endpoints = _served_per_openapi(endpoints, extra)
    findings = [
        *check_files(plan, model),
        *endpoints,
        *extra,
        *check_migration(plan, model, code),
        *check_tests(plan, model, code),
    ]
    notes = tuple(f"could not read {u.path}: {u.reason}" for u in model.unparsed)
    if plan.rebuilt:
        notes = (REBUILT, *notes)
    return VerifyReport(plan.name, source, tuple(findings), notes)


def _read(project: Path) -> ProjectModel:
    from planner.config import load_config

    try:
        return read_project(project, app=load_config(project).app)
    except OSError as err:
        raise InspectionError(f"cannot read the project: {err}") from err


def _served_per_openapi(
    endpoints: list[Finding], openapi: list[Finding]
) -> list[Finding]:
    """A route the code does not show statically but the OpenAPI document serves."""
    served = {f.subject for f in openapi if f.state != "missing"}
    return [
        dataclasses.replace(
            f,
            state="ok",
            detail="not found in the code (built dynamically?); the OpenAPI "
            "document serves it",
        )
        if f.check == "endpoint" and f.state == "missing" and f.subject in served
        else f
        for f in endpoints
    ]
