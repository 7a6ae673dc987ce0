"""Render a plan as JSON: the plan's data, indented, in field order."""

from __future__ import annotations

import json

from planner.plan import Plan
from planner.render.data import to_data


def render_json(plan: Plan, /) -> str:
    """Render a plan as indented JSON with a trailing newline."""
    return json.dumps(to_data(plan), indent=2, ensure_ascii=False) + "\n"
