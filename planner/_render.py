"""Render a Plan: Markdown through the bundled Jinja2 template, JSON from the model."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2

from planner._markdown import cell, code
from planner._resources import blueprints_dir
from planner.errors import BlueprintError
from planner.plan import Plan

NOTE_SECTIONS = (
    ("security", "Security notes"),
    ("performance", "Performance notes"),
    ("practice", "Current practice (for readers with older habits)"),
    ("testing", "Testing notes"),
    ("compatibility", "Compatibility"),
)
# The LLM-written section starts with this; everything above it is deterministic.
REFINEMENT_HEADING_START = "## Refinements (LLM: "


@cache
def _environment() -> jinja2.Environment:
    folder = Path(str(blueprints_dir() / "templates"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: user text is escaped by the rules
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    # Pure str -> str filters called hundreds of times a plan, mostly on text
    # that repeats across plans (paths, notes, test names): memoize them.
    env.filters["code"] = lru_cache(maxsize=4096)(code)
    env.filters["cell"] = lru_cache(maxsize=4096)(cell)
    return env


@cache
def _template() -> jinja2.Template:
    # Held for the process, like the blueprints: no per-plan up-to-date check.
    return _environment().get_template("plan.md.j2")


def provenance_line(plan: Plan) -> str:
    """Return the one-line provenance header of a Markdown plan."""
    p = plan.provenance
    line = (
        f"planner {p.planner_version} | blueprint {p.blueprint} {p.blueprint_version}"
        f" | knowledge {p.knowledge_as_of} | spec sha256:{p.spec_sha256[:16]}"
        f" | project sha256:{p.facts_sha256[:16]}"
    )
    if plan.refinement is None:
        return line
    return (
        f"{line} | refined by {p.refined_model} at {p.refined_host}"
        f" | prompt sha256:{(p.prompt_sha256 or '')[:16]}"
    )


def refinement_heading(plan: Plan) -> str:
    """Return the heading that marks the LLM-written section of a refined plan."""
    model = plan.provenance.refined_model
    return f"{REFINEMENT_HEADING_START}{model}, not deterministic)"


def render_markdown(plan: Plan, /) -> str:
    """Render a plan as Markdown (the same plan always gives the same bytes)."""
    try:
        text = _template().render(
            plan=plan,
            sections=NOTE_SECTIONS,
            provenance_line=provenance_line(plan),
            refinement_heading=refinement_heading(plan),
        )
    except jinja2.TemplateError as err:
        where = getattr(err, "filename", None) or "blueprints/templates/plan.md.j2"
        raise BlueprintError(f"template failed: {err}", where=where) from err
    return _tidy(text)


def render_json(plan: Plan, /) -> str:
    """Render a plan as indented JSON with a trailing newline."""
    # Refinement fields appear only when set, so deterministic JSON is unchanged.
    exclude: dict[str, Any] = {}
    if plan.refinement is None:
        exclude = {
            "refinement": True,
            "provenance": {"refined_model", "refined_host", "prompt_sha256"},
        }
    return plan.model_dump_json(indent=2, exclude=exclude) + "\n"


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and end with exactly one newline."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if stripped or (lines and lines[-1]):
            lines.append(stripped)
    return "\n".join(lines).strip("\n") + "\n"
