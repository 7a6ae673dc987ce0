"""planner: deterministic, offline implementation plans for FastAPI projects."""

__version__ = "0.1.0"

import importlib
import typing

if typing.TYPE_CHECKING:
    from planner._api import (
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

# Where each public name is defined. They are imported on first use (PEP 562),
# so `planner._cli` loads only what the command it runs needs.
_SOURCES = {
    "DEFAULT_LAYOUT": "planner._layout",
    "ExitCode": "planner.errors",
    "Layout": "planner._layout",
    "Plan": "planner.plan",
    "PlanRequest": "planner._api",
    "PlannerError": "planner.errors",
    "SpecFile": "planner._store",
    "build_plan": "planner._engine",
    "default_output": "planner._api",
    "dump_spec": "planner._store",
    "load_spec": "planner._store",
    "make_plan": "planner._api",
    "parse_spec": "planner._store",
    "prepare": "planner._api",
    "project_layout": "planner._api",
    "read_spec": "planner._store",
    "render_json": "planner._render",
    "render_markdown": "planner._render",
    "validate_spec": "planner._store",
}


def __getattr__(name: str) -> typing.Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
