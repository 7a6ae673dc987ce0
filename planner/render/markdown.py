"""Render a Plan as Markdown through the bundled Jinja2 template."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from planner.engine.bundled import blueprints_dir
from planner.engine.compiled import template_cache
from planner.errors import BlueprintError
from planner.plan import ErrorCase, Note, Plan
from planner.render.escape import cell, code

if TYPE_CHECKING:
    import jinja2

NOTE_SECTIONS = (
    ("security", "Security"),
    ("performance", "Performance"),
    ("practice", "Current practice"),
    ("testing", "Testing"),
    ("compatibility", "Compatibility"),
)
# The LLM-written section starts with this; everything above it is deterministic.
REFINEMENT_HEADING_START = "## Refinements (LLM: "
TEMPLATE = "plan.md.j2"
TEMPLATE_PATH = f"blueprints/templates/{TEMPLATE}"


@cache
def _template() -> jinja2.Template:
    import jinja2

    source = (blueprints_dir() / "templates" / TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda _: (source, None, lambda: True)),
        bytecode_cache=template_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: user text is escaped by the rules
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        # Nothing in the template is constant enough to fold: the optimizer's
        # pass over it would change no code.
        optimized=False,
    )
    env.filters["code"] = code
    env.filters["cell"] = cell
    return env.get_template(TEMPLATE)


def provenance_line(plan: Plan) -> str:
    """Return the one-line provenance header of a Markdown plan."""
    p = plan.provenance
    line = (
        f"planner {p.planner_version} | blueprint {p.blueprint} {p.blueprint_version}"
        f" | knowledge {p.knowledge_as_of} | spec sha256:{p.spec_sha256[:16]}"
        f" | project sha256:{p.facts_sha256[:16]}"
    )
    if p.context is not None:
        line = f"{line} | context {p.context}"
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


def template_context(plan: Plan, /) -> dict[str, Any]:
    """Return what plan.md.j2 renders: the plan and values derived from it."""
    by_category: dict[str, list[Note]] = {category: [] for category, _ in NOTE_SECTIONS}
    for note in plan.notes:
        by_category[note.category].append(note)
    return {
        "plan": plan,
        "summary_files": _summary_files(plan),
        "shared_errors": _shared_errors(plan),
        "note_sections": [(title, by_category[cat]) for cat, title in NOTE_SECTIONS],
        "provenance_line": provenance_line(plan),
        "refinement_heading": refinement_heading(plan),
    }


def _summary_files(plan: Plan) -> list[tuple[str, list[str]]]:
    """The planned paths by action, for the summary at the top of a plan."""
    found: list[tuple[str, list[str]]] = []
    for action, label in (("create", "Create"), ("modify", "Change")):
        paths = [code(f.path) for f in plan.files if f.action == action]
        if paths:
            found.append((label, paths))
    return found


def _shared_errors(plan: Plan) -> list[ErrorCase]:
    """The error cases every endpoint answers alike, said once for them all."""
    if len(plan.endpoints) < 2:  # one endpoint has nothing to share
        return []
    first, *rest = plan.endpoints
    return [e for e in first.errors if all(e in ep.errors for ep in rest)]


def render_markdown(plan: Plan, /) -> str:
    """Render a plan as Markdown (the same plan always gives the same bytes)."""
    import jinja2

    try:
        text = _template().render(template_context(plan))
    except jinja2.TemplateError as err:
        where = getattr(err, "filename", None) or TEMPLATE_PATH
        raise BlueprintError(f"template failed: {err}", where=where) from err
    return _tidy(text)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and end with exactly one newline."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if stripped or (lines and lines[-1]):
            lines.append(stripped)
    return "\n".join(lines).strip("\n") + "\n"
