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
    assert texts[1].startswith(
        f"Your project has {entry.package} 0.0.1, older than {entry.since}: "
    )
    assert texts[1].endswith(entry.text)


def test_an_older_release_gets_the_notes_own_advice() -> None:
    spec = spec_of("crud-items.toml")
    entry = load_knowledge().get("401-www-authenticate")
    assert entry.older  # the advice differs before 0.122.0
    old = dataclasses.replace(DEFAULT_LAYOUT, versions=(("fastapi", "0.115.5"),))
    builder = PlanBuilder(Context(spec=spec, layout=old, knowledge=load_knowledge()))
    builder.practice(entry.id)
    (note,) = builder.notes()
    assert "auto_error=False" in note.text
    assert "upgrade first" not in note.text


def test_a_habit_note_shows_only_for_an_older_release() -> None:
    spec = spec_of("crud-items.toml")
    entry = load_knowledge().get("status-204-none-annotation")
    shown = []
    for version in (None, "0.115.5", "0.88.0"):
        versions = () if version is None else (("fastapi", version),)
        layout = dataclasses.replace(DEFAULT_LAYOUT, versions=versions)
        builder = PlanBuilder(
            Context(spec=spec, layout=layout, knowledge=load_knowledge())
        )
        builder.habit(entry.id)
        shown.append([n.id for n in builder.notes()])
    assert shown == [[], [], [entry.id]]


def test_plans_do_not_depend_on_what_was_built_before() -> None:
    specs = [read_spec(path).spec for path in sorted(EXAMPLES.glob("*.toml"))]
    first: list[Plan] = [build_plan(spec) for spec in specs]
    again = [build_plan(spec) for spec in reversed(specs)][::-1]
    assert again == first
