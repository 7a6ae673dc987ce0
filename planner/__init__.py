"""planner: deterministic, offline implementation plans for FastAPI projects.

The library API: read a spec, prepare a project, build and render a plan.
"""

__version__ = "0.1.0"

from planner.api import PlanRequest, default_output, make_plan, prepare, project_layout
from planner.engine.run import build_plan
from planner.errors import ExitCode, PlannerError
from planner.inspect.layout import DEFAULT_LAYOUT, Layout
from planner.plan import Plan
from planner.render.json import render_json
from planner.render.markdown import render_markdown
from planner.specfile import (
    SpecFile,
    dump_spec,
    load_spec,
    parse_spec,
    read_spec,
    validate_spec,
)

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
