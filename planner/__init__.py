"""planner: deterministic, offline implementation plans for FastAPI projects."""

__version__ = "0.1.0"

from planner._api import (  # __version__ first: the engine reads it
    PlanRequest,
    default_output,
    make_plan,
    prepare,
    project_layout,
)
from planner._engine import build_plan
from planner._layout import DEFAULT_LAYOUT, Layout
from planner._render import render_json, render_markdown
from planner._store import (
    SpecFile,
    dump_spec,
    load_spec,
    parse_spec,
    read_spec,
    validate_spec,
)
from planner.errors import ExitCode, PlannerError
from planner.plan import Plan

__all__ = [
    "DEFAULT_LAYOUT",
    "ExitCode",
    "Layout",
    "Plan",
    "PlanRequest",
    "PlannerError",
    "SpecFile",
    "__version__",
    "build_plan",
    "default_output",
    "dump_spec",
    "load_spec",
    "make_plan",
    "parse_spec",
    "prepare",
    "project_layout",
    "read_spec",
    "render_json",
    "render_markdown",
    "validate_spec",
]
