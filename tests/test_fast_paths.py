"""The fast paths of docs/performance.md give the same bytes as the slow ones."""

from __future__ import annotations

from pathlib import Path

from planner import _render
from planner._engine import build_plan
from planner._render import NOTE_SECTIONS, provenance_line, refinement_heading
from planner._store import read_spec

ROOT = Path(__file__).resolve().parent.parent


def test_plan_template_is_precompiled_and_current() -> None:
    """Plans render from planner/_plan_template.py, not a fresh compile."""
    template = _render._template()
    assert Path(template.filename or "").name == "_plan_template.py", (
        "stale; run `python tools/gen_docs.py`"
    )
    assert _render.precompiled_source() == (
        ROOT / "planner" / "_plan_template.py"
    ).read_text(encoding="utf-8")


def test_precompiled_and_compiled_template_render_alike() -> None:
    compiled = _render._environment().get_template(_render.TEMPLATE)
    for path in sorted((ROOT / "tests" / "golden").glob("*/spec.toml")):
        plan = build_plan(read_spec(path).spec)
        context = {
            "plan": plan,
            "sections": NOTE_SECTIONS,
            "provenance_line": provenance_line(plan),
            "refinement_heading": refinement_heading(plan),
        }
        assert _render._template().render(context) == compiled.render(context), path
