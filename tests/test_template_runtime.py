"""The precompiled plan template renders exactly what Jinja2 renders.

planner/_plan_template.py is plan.md.j2 compiled by Jinja2 and run on
planner/_template_runtime.py, so that a plan is rendered without importing
Jinja2 (docs/performance.md). These tests hold it to Jinja2's own output;
tests/test_fuzz.py does the same for generated specs of every kind, and
tests/test_fast_paths.py for every golden plan.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from planner import _render, _template_runtime, build_plan, read_spec
from planner.errors import BlueprintError
from planner.plan import Plan

ROOT = Path(__file__).resolve().parent.parent


def _jinja_render(plan: Plan) -> str:
    template = _render._environment().get_template(_render.TEMPLATE)
    return template.render(_render.template_context(plan))


def test_a_refined_plan_renders_as_jinja2_renders_it() -> None:
    plan = build_plan(read_spec(ROOT / "examples" / "crud-items.toml").spec)
    refined = plan.replace(
        refinement="Check the index on `owner_id`.",
        provenance=plan.provenance.replace(
            refined_model="m", refined_host="localhost", prompt_sha256="ab" * 32
        ),
    )
    context = _render.template_context(refined)
    assert _render._template().render(context) == _jinja_render(refined)


def test_rendering_a_plan_does_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from planner import build_plan, render_markdown, read_spec\n"
        "spec = read_spec(Path('examples/crud-items.toml')).spec\n"
        "render_markdown(build_plan(spec))\n"
        "print('jinja2' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_stale_module_falls_back_to_jinja2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template edited without `gen_docs.py` still renders, from its source."""
    plan = build_plan(read_spec(ROOT / "examples" / "crud-items.toml").spec)
    expected = _render.render_markdown(plan)
    monkeypatch.setattr(_render, "_template_sha256", lambda: "0" * 64)
    _render._template.cache_clear()
    try:
        template = _render._template()
        assert isinstance(template, _render._Compiled)
        assert _render.render_markdown(plan) == expected
    finally:
        _render._template.cache_clear()


def test_an_undefined_value_is_a_blueprint_error() -> None:
    template = _render._template()
    with pytest.raises(BlueprintError) as caught:
        template.render({"plan": object()})
    assert "'provenance_line' is undefined" in str(caught.value)
    assert caught.value.where == _render.TEMPLATE_PATH


def test_jinja2_and_the_runtime_fail_alike_on_a_missing_attribute() -> None:
    context = {"provenance_line": "x", "plan": object()}
    with pytest.raises(jinja2.UndefinedError) as by_jinja:
        _render._environment().get_template(_render.TEMPLATE).render(context)
    with pytest.raises(BlueprintError) as by_runtime:
        _render._template().render(context)
    assert str(by_jinja.value) in str(by_runtime.value)


def test_the_generator_refuses_a_filter_the_runtime_lacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filters = dict(_template_runtime.environment.filters)
    del filters["unique"]
    monkeypatch.setattr(_template_runtime.environment, "filters", filters)
    with pytest.raises(BlueprintError) as caught:
        _render.precompiled_source()
    assert "filter(s) unique" in str(caught.value)
    assert "planner/_template_runtime.py" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ xs | join(', ') }}", "1, 2, 2"),
        ("{{ xs | unique | join(',') }}", "1,2"),
        ("{{ words | unique | join(',') }}", "A,b"),
        ("{{ words | unique(case_sensitive=true) | join(',') }}", "A,a,b"),
        ("{{ rows | map(attribute='n') | join('+') }}", "1+2"),
        ("{{ rows | join('/', attribute='n') }}", "1/2"),
        ("{% for r in rows %}{{ loop.index }}:{{ r.n }} {% endfor %}", "1:1 2:2 "),
        ("{{ 'a.b.'.rstrip('.') }}", "a.b"),
    ],
)
def test_runtime_filters_match_jinja2(
    source: str, expected: str, tmp_path: Path
) -> None:
    """Each filter of the runtime, on templates compiled as plan.md.j2 is."""
    variables = {
        "xs": [1, 2, 2],
        "words": ["A", "a", "b"],
        "rows": [{"n": 1}, {"n": 2}],
    }
    env = _render._environment()
    assert env.from_string(source).render(variables) == expected
    module_path = tmp_path / "snippet.py"
    module_path.write_text(
        _render.compile_for_runtime(source, name="snippet", filename="snippet"),
        encoding="utf-8",
    )
    spec = importlib.util.spec_from_file_location("snippet", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert _template_runtime.render(module.root, variables) == expected
