"""Property tests: any valid spec renders, deterministically; near misses fail cleanly.

The default profile is bounded for CI; `HYPOTHESIS_PROFILE=long` runs many more.
"""

from __future__ import annotations

import os
import re
from typing import Any

import tomlkit
from hypothesis import HealthCheck, given, settings

from planner import (
    DEFAULT_LAYOUT,
    build_plan,
    render_json,
    render_markdown,
    validate_spec,
)
from planner.errors import SpecError
from planner.plan import Plan
from planner.specfile import dump_spec, parse_spec
from tests.strategies import ANY_SPEC, crud_specs, near_misses

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _valid_or_skip(data: dict[str, Any]) -> Any:
    try:
        return validate_spec(data)
    except SpecError:
        # Strategies draw combinations the spec rightly refuses (for example a
        # sort key that is no field); those belong to the near-miss test.
        return None


@given(ANY_SPEC)
def test_any_valid_spec_renders_deterministically(data: dict[str, Any]) -> None:
    spec = _valid_or_skip(data)
    if spec is None:
        return
    plan = build_plan(spec)
    first = render_markdown(plan)
    assert first == render_markdown(build_plan(spec))
    assert render_json(plan) == render_json(build_plan(spec))
    _assert_tables_well_formed(first)


def _assert_tables_well_formed(markdown: str) -> None:
    """Every row of a table has the header's column count (pipes escaped)."""
    lines = markdown.splitlines()
    in_fence = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
        if in_fence or not line.startswith("| ---"):
            continue
        columns = _cells(lines[i - 1])
        j = i + 1
        while j < len(lines) and lines[j].startswith("|"):
            assert _cells(lines[j]) == columns, lines[j]
            j += 1


def _cells(row: str) -> int:
    count, escaped = 0, False
    for char in row:
        if char == "|" and not escaped:
            count += 1
        escaped = char == "\\" and not escaped
    return count


@given(crud_specs())
def test_spec_toml_round_trip(data: dict[str, Any]) -> None:
    spec = _valid_or_skip(data)
    if spec is None:
        return
    text = dump_spec(spec)
    again = parse_spec(text)
    assert again.spec == spec
    assert dump_spec(again.spec, document=again.document) == text


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(near_misses())
def test_near_miss_specs_fail_cleanly(data: dict[str, Any]) -> None:
    try:
        text = tomlkit.dumps(data)
    except (TypeError, ValueError):
        return
    try:
        parse_spec(text, source="fuzz.toml")
    except SpecError as err:
        assert err.message and err.where == "fuzz.toml"


_CODE_PATH = re.compile(r"`([\w./<>{}-]+\.py)`")
_ARROW_STATUS = re.compile(r"→ (\d{3})")


@given(ANY_SPEC)
def test_plans_never_contradict_themselves(data: dict[str, Any]) -> None:
    spec = _valid_or_skip(data)
    if spec is None:
        return
    plan = build_plan(spec)
    _assert_one_new_migration(plan)
    _assert_steps_name_planned_files(plan)
    _assert_test_statuses_in_contract(plan)
    _assert_reads_need_no_write_scope(plan)
    _assert_no_example_names_another_resource(plan, data)


def _assert_one_new_migration(plan: Plan) -> None:
    # Two new revisions on the same down_revision would make two Alembic heads.
    created = [
        f.path
        for f in plan.files
        if f.action == "create" and f.path.startswith(DEFAULT_LAYOUT.migrations_dir)
    ]
    assert len(created) <= 1, created


def _assert_steps_name_planned_files(plan: Plan) -> None:
    planned = {f.path for f in plan.files}
    for step in plan.steps:
        for path in _CODE_PATH.findall(f"{step.title} {step.detail}"):
            assert path in planned, (path, step)


def _assert_test_statuses_in_contract(plan: Plan) -> None:
    if not plan.endpoints:
        return
    contract = {ep.success_status for ep in plan.endpoints} | {
        e.status for ep in plan.endpoints for e in ep.errors
    }
    for test in plan.tests:
        for status in _ARROW_STATUS.findall(test.checks):
            assert int(status) in contract, (status, test)


def _assert_reads_need_no_write_scope(plan: Plan) -> None:
    for ep in plan.endpoints:
        if ep.method == "GET":
            assert ":write" not in ep.auth, ep


# Resources the bundled rules and notes could be tempted to use as examples.
# `user` is no example (every protected plan has a current user), nor `tag`
# (`tags=[...]` on a router).
EXAMPLE_RESOURCES = ("item", "hero", "order", "invoice", "product", "post",
                     "todo", "payment", "document", "report")  # fmt: skip
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
# Names, not attributes: `.items()` is a method, not the `items` resource.
_IDENTIFIER = re.compile(r"(?<![.\w])[A-Za-z_]\w*")


def _spec_words(data: Any) -> set[str]:
    """Return every word the spec's author wrote, lower-cased."""
    if isinstance(data, str):
        return {w.lower() for w in re.findall(r"[A-Za-z0-9]+", data)}
    if isinstance(data, dict):
        return set().union(*(_spec_words(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_spec_words(v) for v in data))
    return set()


def _names_resource(token: str, resource: str) -> bool:
    camel = resource.capitalize()
    return bool(
        token == camel
        or re.fullmatch(rf"{camel}s?[A-Z]\w*", token)  # ItemPublic, ItemsPage
        or re.fullmatch(rf"(db_)?{resource}(s|_in|_id|_create|_update)?", token)
    )


def _assert_no_example_names_another_resource(plan: Plan, data: Any) -> None:
    # An `Item` example inside an invoice plan reads as a mistake: examples use
    # the plan's own names or neutral ones (`Model`, `obj`, `<Resource>Public`).
    own = _spec_words(data)
    foreign = [r for r in EXAMPLE_RESOURCES if r not in own and f"{r}s" not in own]
    # The first line is the provenance comment, with hashes but no examples.
    body = render_markdown(plan).split("\n", 1)[1]
    for span in _CODE_SPAN.findall(body):
        for token in _IDENTIFIER.findall(span):
            named = [r for r in foreign if _names_resource(token, r)]
            assert not named, (named, span)
