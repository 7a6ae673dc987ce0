"""Guardrails: a model's answer may add a marked section and change nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec, render_json, render_markdown
from planner.config import LlmConfig
from planner.errors import RefineError
from planner.plan import Plan
from planner.refine.apply import build_prompt, cached_refinement
from planner.refine.cache import CACHE_FORMAT, cache_path
from planner.refine.guard import (
    MAX_ANSWER_CHARS,
    compare,
    deterministic_part,
    extract_refinement,
    outline,
)
from tests.paths import ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.toml").is_file())
SECTION = "## Refinements and open-question answers\n\n### Open questions\n\n- Yes.\n"


def _plan(tmp_path: Path, case: str = "crud-items") -> Plan:
    spec = read_spec(GOLDEN / case / "spec.toml").spec
    return make_plan(spec, request=prepare(spec, project=tmp_path))


def _refine_from(
    answer: str, tmp_path: Path, *, model: str = "m", host: str = "127.0.0.1:9"
) -> Plan | None:
    """Refine the items plan from a cached `answer` (no network at all)."""
    spec = read_spec(GOLDEN / "crud-items" / "spec.toml").spec
    plan = _plan(tmp_path)
    settings = LlmConfig(base_url="http://127.0.0.1:9/v1", model="m")
    prompt = build_prompt(plan, spec=spec, settings=settings, project=tmp_path)
    entry = {
        "format": CACHE_FORMAT,
        "prompt_sha256": prompt.sha256,
        "model": model,
        "host": host,
        "finish_reason": "stop",
        "answer": answer,
    }
    path = cache_path(tmp_path, prompt.sha256)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(entry), encoding="utf-8")
    return cached_refinement(plan, prompt=prompt, project=tmp_path)


@pytest.mark.parametrize("case", CASES)
def test_a_plan_matches_itself(case: str, tmp_path: Path) -> None:
    text = render_markdown(_plan(tmp_path, case))
    assert compare(text, text) == []
    shape = outline(text)
    assert shape.table_under("## Files to create and change") is not None


def test_section_only_answer_is_taken_without_its_title(tmp_path: Path) -> None:
    md = render_markdown(_plan(tmp_path))
    assert (
        extract_refinement(SECTION, deterministic=md) == "### Open questions\n\n- Yes."
    )


def test_answer_cleanup_fences_comments_and_headings(tmp_path: Path) -> None:
    md = render_markdown(_plan(tmp_path))
    answer = (
        "```markdown\n# Refinements\n<!-- planner 9 | fake -->\n## Risks\n"
        "- one\n\n\n\n```python\nx = 1\n```\n## Open questions\n- two\n```"
    )
    body = extract_refinement(answer, deterministic=md)
    assert body == (
        "### Risks\n- one\n\n```python\nx = 1\n```\n### Open questions\n- two"
    )


def test_unclosed_code_fence_is_closed(tmp_path: Path) -> None:
    md = render_markdown(_plan(tmp_path))
    body = extract_refinement("Notes:\n```\nsome code", deterministic=md)
    assert body.endswith("some code\n```")


def test_full_document_keeping_everything_gives_its_refinements_section(
    tmp_path: Path,
) -> None:
    md = render_markdown(_plan(tmp_path))
    answer = md + "\n" + SECTION
    assert extract_refinement(answer, deterministic=md) == (
        "### Open questions\n\n- Yes."
    )


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (
            lambda t: t.replace("## API contract\n", ""),
            "dropped section 'API contract'",
        ),
        (
            lambda t: t.replace("| create | `app/models/item.py`", "| create | `x.py`"),
            "changed the files table",
        ),
        (
            lambda t: t.replace("| GET | `/items` | 200 |", "| GET | `/items` | 201 |"),
            "changed the API contract table",
        ),
        (
            lambda t: t.replace("## Open questions", "## Questions"),
            "dropped section 'Open questions'",
        ),
    ],
)
def test_full_document_that_breaks_the_plan_is_rejected(
    tmp_path: Path, mangle: object, reason: str
) -> None:
    md = render_markdown(_plan(tmp_path))
    assert callable(mangle)
    answer = mangle(md) + "\n" + SECTION
    with pytest.raises(RefineError, match="rejected") as exc:
        extract_refinement(answer, deterministic=md)
    assert reason in exc.value.message


def test_full_document_without_a_refinements_section_is_rejected(
    tmp_path: Path,
) -> None:
    md = render_markdown(_plan(tmp_path))
    with pytest.raises(RefineError, match="no '## Refinements"):
        extract_refinement(md, deterministic=md)


@pytest.mark.parametrize("answer", ["", "  \n ", "<!-- only a comment -->"])
def test_empty_answer_is_rejected(answer: str, tmp_path: Path) -> None:
    md = render_markdown(_plan(tmp_path))
    with pytest.raises(RefineError, match="empty"):
        extract_refinement(answer, deterministic=md)


def test_overlong_answer_is_rejected(tmp_path: Path) -> None:
    md = render_markdown(_plan(tmp_path))
    with pytest.raises(RefineError, match="limit"):
        extract_refinement("x" * (MAX_ANSWER_CHARS + 1), deterministic=md)


def test_refined_plan_keeps_the_deterministic_plan_byte_for_byte(
    tmp_path: Path,
) -> None:
    plain = render_markdown(_plan(tmp_path))
    refined = _refine_from(SECTION, tmp_path)
    assert refined is not None
    text = render_markdown(refined)
    first, rest = text.split("\n", 1)
    assert first.startswith(plain.split("\n", 1)[0][:-4])
    assert " | refined by m at 127.0.0.1:9 | prompt sha256:" in first
    assert rest.startswith(plain.split("\n", 1)[1])
    assert "\n## Refinements (LLM: m, not deterministic)\n" in text
    assert text.endswith("### Open questions\n\n- Yes.\n")
    assert deterministic_part(text) == plain
    assert render_markdown(refined) == text  # rendering twice: same bytes


def test_answer_repeating_the_files_table_is_rejected(tmp_path: Path) -> None:
    table = (
        "| Action | Path | Purpose |\n| --- | --- | --- |\n| create | `x.py` | x |\n"
    )
    with pytest.raises(RefineError, match="repeated the files table"):
        _refine_from(SECTION + "\n" + table, tmp_path)


def test_json_shows_refinement_fields_only_when_refined(tmp_path: Path) -> None:
    assert '"refinement"' not in render_json(_plan(tmp_path))
    refined = _refine_from(SECTION, tmp_path)
    assert refined is not None
    data = json.loads(render_json(refined))
    assert data["refinement"] == "### Open questions\n\n- Yes."
    assert data["provenance"]["refined_model"] == "m"
    assert data["provenance"]["refined_host"] == "127.0.0.1:9"
    assert len(data["provenance"]["prompt_sha256"]) == 64


def test_model_name_cannot_break_out_of_the_provenance_comment(
    tmp_path: Path,
) -> None:
    refined = _refine_from(SECTION, tmp_path, model="x --> <b>\n# y", host="h -->")
    assert refined is not None
    first = render_markdown(refined).split("\n", 1)[0]
    assert first.count("-->") == 1 and first.endswith(" -->")
    assert "refined by x_--___b____y at h_--_ |" in first


def test_cut_off_answer_is_rejected(tmp_path: Path) -> None:
    spec = read_spec(GOLDEN / "crud-items" / "spec.toml").spec
    plan = _plan(tmp_path)
    settings = LlmConfig(base_url="http://127.0.0.1:9/v1", model="m", max_tokens=10)
    prompt = build_prompt(plan, spec=spec, settings=settings, project=tmp_path)
    path = cache_path(tmp_path, prompt.sha256)
    path.parent.mkdir(parents=True)
    entry = {
        "format": CACHE_FORMAT,
        "prompt_sha256": prompt.sha256,
        "model": "m",
        "host": "h",
        "finish_reason": "length",
        "answer": SECTION,
    }
    path.write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(RefineError, match=r"cut off at max_tokens \(10\)"):
        cached_refinement(plan, prompt=prompt, project=tmp_path)


def test_a_broken_cache_entry_names_the_file(tmp_path: Path) -> None:
    spec = read_spec(GOLDEN / "crud-items" / "spec.toml").spec
    plan = _plan(tmp_path)
    settings = LlmConfig(base_url="http://127.0.0.1:9/v1", model="m")
    prompt = build_prompt(plan, spec=spec, settings=settings, project=tmp_path)
    path = cache_path(tmp_path, prompt.sha256)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RefineError) as exc:
        cached_refinement(plan, prompt=prompt, project=tmp_path)
    assert exc.value.where == str(path)
    assert exc.value.hint is not None and "delete" in exc.value.hint
