"""planner: deterministic, offline implementation plans for FastAPI projects.

The library API: read a spec, prepare a project, build and render a plan.
"""

from __future__ import annotations

import importlib
import typing

__version__ = "0.1.0"

if typing.TYPE_CHECKING:
    from planner.api import (
        PlanRequest,
        default_output,
        make_plan,
        prepare,
        project_layout,
    )
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

# Where each name of `__all__` is defined. They are imported on first use
# (PEP 562): every module of planner imports this package first, and most,
# the command line's among them, need none of these.
_HOMES = {
    "DEFAULT_LAYOUT": "planner.inspect.layout",
    "ExitCode": "planner.errors",
    "Layout": "planner.inspect.layout",
    "Plan": "planner.plan",
    "PlanRequest": "planner.api",
    "PlannerError": "planner.errors",
    "SpecFile": "planner.specfile",
    "build_plan": "planner.engine.run",
    "default_output": "planner.api",
    "dump_spec": "planner.specfile",
    "load_spec": "planner.specfile",
    "make_plan": "planner.api",
    "parse_spec": "planner.specfile",
    "prepare": "planner.api",
    "project_layout": "planner.api",
    "read_spec": "planner.specfile",
    "render_json": "planner.render.json",
    "render_markdown": "planner.render.markdown",
    "validate_spec": "planner.specfile",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once: later lookups find it directly
    return value
