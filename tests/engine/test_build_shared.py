"""What rules share while a plan is built: derived values and knowledge notes."""

from __future__ import annotations

import dataclasses

from planner import DEFAULT_LAYOUT, build_plan, read_spec
from planner.engine.builder import Context, PlanBuilder
from planner.engine.knowledge import load_knowledge
from planner.plan import Plan
from planner.spec import AnySpec
from tests.paths import EXAMPLES


def spec_of(name: str) -> AnySpec:
    return read_spec(EXAMPLES / name).spec


def context(spec: AnySpec) -> Context:
    return Context(spec=spec, layout=DEFAULT_LAYOUT, knowledge=load_knowledge())


def test_derive_computes_once_per_context() -> None:
    calls: list[Context] = []

    def name_length(ctx: Context) -> int:
        calls.append(ctx)
        return len(ctx.spec.plan_name)

    spec = spec_of("crud-items.toml")
    first = context(spec)
    assert first.derive(name_length) == first.derive(name_length)
    assert calls == [first]
    second = context(spec)  # a new plan computes its own
    second.derive(name_length)
    assert len(calls) == 2
    assert calls[1] is second


def test_derived_values_are_not_part_of_context_equality() -> None:
    spec = spec_of("crud-items.toml")
    used, fresh = context(spec), context(spec)
    used.derive(lambda ctx: ctx.spec.kind)
    assert used == fresh


def test_practice_notes_follow_the_installed_version() -> None:
    spec = spec_of("crud-items.toml")
    note_id = next(n.id for n in load_knowledge().notes if n.since)
    entry = load_knowledge().get(note_id)
    old = dataclasses.replace(DEFAULT_LAYOUT, versions=((entry.package, "0.0.1"),))
    texts = []
    for layout in (DEFAULT_LAYOUT, old, DEFAULT_LAYOUT):
        builder = PlanBuilder(
            Context(spec=spec, layout=layout, knowledge=load_knowledge())
        )
        builder.practice(note_id)
        (note,) = builder.notes()
        texts.append(note.text)
    assert texts[0] == texts[2] == entry.text
    assert texts[1].startswith(f"Your project pins {entry.package} 0.0.1;")


def test_plans_do_not_depend_on_what_was_built_before() -> None:
    specs = [read_spec(path).spec for path in sorted(EXAMPLES.glob("*.toml"))]
    first: list[Plan] = [build_plan(spec) for spec in specs]
    again = [build_plan(spec) for spec in reversed(specs)][::-1]
    assert again == first
