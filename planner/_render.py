"""Render a Plan: Markdown through the bundled Jinja2 template, JSON from the model."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from planner import _template_runtime
from planner._markdown import cell, code
from planner._resources import blueprints_dir
from planner.errors import BlueprintError
from planner.plan import Note, Plan

if TYPE_CHECKING:
    import jinja2

NOTE_SECTIONS = (
    ("security", "Security notes"),
    ("performance", "Performance notes"),
    ("practice", "Current practice (for readers with older habits)"),
    ("testing", "Testing notes"),
    ("compatibility", "Compatibility"),
)
# The LLM-written section starts with this; everything above it is deterministic.
REFINEMENT_HEADING_START = "## Refinements (LLM: "
TEMPLATE = "plan.md.j2"
TEMPLATE_PATH = f"blueprints/templates/{TEMPLATE}"
# plan.md.j2 compiled to Python by Jinja2's own compiler (tools/gen_docs.py
# writes it), running on planner/_template_runtime.py instead of jinja2.runtime.
PRECOMPILED = "planner._plan_template"


class _Template(Protocol):
    @property
    def filename(self) -> str | None: ...

    def render(self, context: dict[str, Any], /) -> str: ...


class _Precompiled:
    """plan.md.j2 from planner/_plan_template.py: no Jinja2 import at all."""

    def __init__(self, filename: str, root: Callable[..., Iterable[str]]) -> None:
        self.filename = filename
        self._root = root

    def render(self, context: dict[str, Any], /) -> str:
        try:
            return _template_runtime.render(self._root, context)
        except _template_runtime.TemplateRuntimeError as err:
            raise _failure(err, None) from err


class _Compiled:
    """plan.md.j2 compiled by Jinja2 in this process (the module is stale)."""

    def __init__(self, template: jinja2.Template) -> None:
        self.filename = template.filename
        self._template = template

    def render(self, context: dict[str, Any], /) -> str:
        import jinja2

        try:
            return self._template.render(context)
        except jinja2.TemplateError as err:
            raise _failure(err, getattr(err, "filename", None)) from err


def _failure(err: Exception, where: str | None) -> BlueprintError:
    return BlueprintError(f"template failed: {err}", where=where or TEMPLATE_PATH)


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    folder = Path(str(blueprints_dir() / "templates"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: user text is escaped by the rules
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    # Pure str -> str filters (memoized in planner._markdown).
    env.filters["code"] = code
    env.filters["cell"] = cell
    return env


@cache
def _template() -> _Template:
    # Held for the process, like the blueprints: no per-plan up-to-date check.
    precompiled = _precompiled()
    if precompiled is not None:
        return precompiled
    return _Compiled(_environment().get_template(TEMPLATE))


def _template_sha256() -> str:
    source = (blueprints_dir() / "templates" / TEMPLATE).read_bytes()
    return hashlib.sha256(source).hexdigest()


def _precompiled() -> _Precompiled | None:
    """Return the template from its precompiled module, if that is current.

    Importing Jinja2 and compiling plan.md.j2 take about 75 ms, half of a cold
    `planner new`; importing the module (from its .pyc) takes well under 1 ms.
    The module is used only when it was compiled from these template bytes.
    """
    try:
        module = importlib.import_module(PRECOMPILED)
    except ImportError:
        return None
    if (
        getattr(module, "TEMPLATE_SHA256", None) != _template_sha256()
        or getattr(module, "RUNTIME_VERSION", None) != _template_runtime.RUNTIME_VERSION
    ):
        return None
    return _Precompiled(module.__file__ or PRECOMPILED, module.root)


# Compiled on first use (re's cache): only tools/gen_docs.py needs it.
_RUNTIME_IMPORT = r"^from jinja2\.runtime import (?P<names>.+)$"


def precompiled_source() -> str:
    """Return the text of planner/_plan_template.py (tools/gen_docs.py writes it).

    Jinja2 compiles the template, exactly as `Environment.compile_templates`
    does for its `ModuleLoader`; the module then imports its runtime from
    planner/_template_runtime.py. Raises BlueprintError if the compiled code
    needs something that runtime lacks, so it can never be written.
    """
    import jinja2

    source = (blueprints_dir() / "templates" / TEMPLATE).read_text(encoding="utf-8")
    code = compile_for_runtime(source, name=TEMPLATE, filename=TEMPLATE_PATH)
    # Appended, not prepended: Jinja's `debug_info` maps template lines to the
    # lines above, which a header would shift.
    return (
        f"{code}\n\n"
        f"# Generated by `python tools/gen_docs.py` from {TEMPLATE_PATH} by\n"
        f"# Jinja2 {jinja2.__version__}; do not edit. planner/_render.py uses it only\n"
        "# while both values below match, and compiles the template otherwise.\n"
        f"TEMPLATE_SHA256 = {_template_sha256()!r}\n"
        f"RUNTIME_VERSION = {_template_runtime.RUNTIME_VERSION!r}\n"
    )


def compile_for_runtime(source: str, *, name: str, filename: str) -> str:
    """Compile Jinja source in planner's environment, for _template_runtime."""
    compiled = _environment().compile(
        source,
        name=name,
        filename=filename,
        raw=True,
        defer_init=True,  # `environment` comes from the import, not the loader
    )
    match = re.search(_RUNTIME_IMPORT, compiled, flags=re.MULTILINE)
    if match is None:
        raise BlueprintError(
            "Jinja2's compiled template has no runtime import", where=filename
        )
    body = compiled[match.end() :]
    used = {n for n in match["names"].split(", ") if re.search(rf"\b{n}\b", body)}
    needs = (
        (used, _template_runtime.RUNTIME_NAMES, "runtime name"),
        (
            set(re.findall(r"\benvironment\.(\w+)", body)),
            _template_runtime.ENVIRONMENT_ATTRIBUTES,
            "environment attribute",
        ),
        (
            set(re.findall(r"\bcontext\.(\w+)", body)),
            _template_runtime.CONTEXT_ATTRIBUTES,
            "context attribute",
        ),
        (
            set(re.findall(r"environment\.filters\['(\w+)'\]", body)),
            _template_runtime.environment.filters,
            "filter",
        ),
    )
    for wanted, provided, what in needs:
        lacking = sorted(wanted - set(provided))
        if lacking:
            raise BlueprintError(
                f"the compiled template needs the {what}(s) {', '.join(lacking)}, "
                "which planner/_template_runtime.py does not provide",
                where=filename,
                hint="add them to planner/_template_runtime.py (with Jinja2's "
                "semantics), then run `python tools/gen_docs.py`",
            )
    names = ", ".join(sorted(used | {"environment"}))
    runtime_import = f"from planner._template_runtime import {names}"
    # The same function, looked up once: a plan reads some 600 attributes.
    body = body.replace("environment.getattr(", "_getattr(")
    alias = "\n_getattr = environment.getattr"
    return f"{compiled[: match.start()]}{runtime_import}{alias}{body}"


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
        # Grouped here once: a selectattr filter per section cost a third of
        # rendering (Jinja's attribute getter tries note["category"] first).
        "note_sections": [(title, by_category[cat]) for cat, title in NOTE_SECTIONS],
        "provenance_line": provenance_line(plan),
        "refinement_heading": refinement_heading(plan),
    }


def render_markdown(plan: Plan, /) -> str:
    """Render a plan as Markdown (the same plan always gives the same bytes)."""
    return _tidy(_template().render(template_context(plan)))


def render_json(plan: Plan, /) -> str:
    """Render a plan as indented JSON with a trailing newline."""
    data = plan.to_data()
    # Refinement fields appear only when set, so deterministic JSON is unchanged.
    if plan.refinement is None:
        del data["refinement"]
        for key in ("refined_model", "refined_host", "prompt_sha256"):
            del data["provenance"][key]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and end with exactly one newline."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if stripped or (lines and lines[-1]):
            lines.append(stripped)
    return "\n".join(lines).strip("\n") + "\n"
