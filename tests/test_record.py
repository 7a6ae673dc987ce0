"""Records: planner's immutable plan, facts and layout types behave as values."""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import _record
from planner._detect_layout import layout_from_facts
from planner._inspection import inspect_project
from planner._layout import DEFAULT_LAYOUT, Layout
from planner._record import Record
from planner.facts import ProjectFacts
from planner.plan import Endpoint, ErrorCase, Provenance

PROJECTS = Path(__file__).parent / "fixtures" / "projects"


class Point(Record):
    """A small record for the tests."""

    x: int
    label: str = ""
    kind: Literal["a", "b"] = "a"
    tags: tuple[str, ...] = ()
    seen: frozenset[str] = frozenset()
    parent: Point | None = None


def test_construction_takes_keywords_and_fills_defaults() -> None:
    point = Point(x=1)
    assert (point.x, point.label, point.kind, point.tags, point.parent) == (
        1,
        "",
        "a",
        (),
        None,
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "Point() missing 1 required keyword-only argument: 'x'"),
        ({"x": 1, "y": 2}, "Point() got an unexpected keyword argument 'y'"),
        ({"label": "a"}, "Point() missing 1 required keyword-only argument: 'x'"),
    ],
)
def test_wrong_fields_are_named(values: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        Point(**values)  # type: ignore[arg-type]


def test_records_are_immutable_and_replace_copies() -> None:
    point = Point(x=1, tags=("a",))
    with pytest.raises(AttributeError, match=r"immutable: use \.replace\(x=\.\.\.\)"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del point.x
    moved = point.replace(x=2)
    assert (point.x, moved.x, moved.tags) == (1, 2, ("a",))
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        point.replace(nope=1)


def test_equality_and_hash_follow_the_values() -> None:
    assert Point(x=1, tags=("a",)) == Point(x=1, tags=("a",))
    assert Point(x=1) != Point(x=2)
    assert hash(Point(x=1, seen=frozenset({"a", "b"}))) == hash(
        Point(x=1, seen=frozenset({"b", "a"}))
    )
    assert len({Point(x=1), Point(x=1), Point(x=2)}) == 2
    # Same values, different types: not equal, as with pydantic models.
    assert ErrorCase(status=404, when="x") != Point(x=404)


def test_repr_names_every_field_in_order() -> None:
    assert repr(Point(x=1, tags=("a",))) == (
        "Point(x=1, label='', kind='a', tags=('a',), seen=frozenset(), parent=None)"
    )


def test_to_data_is_json_ready_with_sets_sorted() -> None:
    point = Point(x=1, seen=frozenset({"b", "a", "c"}), parent=Point(x=0, tags=("t",)))
    data = point.to_data()
    assert list(data) == ["x", "label", "kind", "tags", "seen", "parent"]
    assert data["seen"] == ["a", "b", "c"]
    assert data["parent"]["tags"] == ["t"]
    assert json.loads(point.to_json()) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"x": "1"}, "Point.x: expected an integer"),
        ({"x": True}, "Point.x: expected an integer"),
        ({"x": 1, "kind": "c"}, "Point.kind: 'c' is not one of"),
        ({"x": 1, "tags": "a"}, "Point.tags: expected an array"),
        ({"x": 1, "tags": [1]}, "Point.tags: expected str"),
        ({"x": 1, "extra": 1}, "Point: unknown fields extra"),
        ({"label": "a"}, "missing 1 required keyword-only argument: 'x'"),
        ({"x": 1, "parent": {"x": "no"}}, "Point.x: expected an integer"),
    ],
)
def test_from_data_refuses_what_the_types_do_not_allow(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Point.from_data(data)


_text = st.text(max_size=8)
_points = st.recursive(
    st.builds(
        Point,
        x=st.integers(),
        label=_text,
        kind=st.sampled_from(["a", "b"]),
        tags=st.lists(_text, max_size=3).map(tuple),
        seen=st.frozensets(_text, max_size=3),
    ),
    lambda inner: st.builds(Point, x=st.integers(), parent=inner),
    max_leaves=4,
)


@given(_points)
def test_json_round_trip_gives_the_same_record(point: Point) -> None:
    assert Point.from_json(point.to_json()) == point
    assert pickle.loads(pickle.dumps(point)) == point


def test_provenance_leaves_out_unset_packs_and_context() -> None:
    provenance = Provenance(
        planner_version="1",
        blueprint="crud-resource",
        blueprint_version="1",
        knowledge_as_of="2026-01-01",
        spec_sha256="a",
        facts_sha256="b",
    )
    assert "packs" not in provenance.to_data()
    assert "context" not in provenance.to_data()
    named = provenance.replace(context="notes/ticket.md")
    assert named.to_data()["context"] == "notes/ticket.md"
    assert Provenance.from_data(named.to_data()) == named


def test_an_endpoint_with_errors_round_trips() -> None:
    endpoint = Endpoint(
        method="GET",
        path="/items/{id}",
        function="read_item",
        summary="Read one item",
        success_status=200,
        idempotent=True,
        errors=(ErrorCase(status=404, when="no such item"),),
    )
    assert Endpoint.from_data(json.loads(endpoint.to_json())) == endpoint


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir()))
def test_inspection_builds_facts_and_layouts_of_the_declared_types(name: str) -> None:
    # Nothing checks a record's values at run time, so check what inspection
    # makes of every fixture against the declared types, through `from_data`.
    facts = inspect_project(PROJECTS / name)
    layout = layout_from_facts(facts)
    assert ProjectFacts.from_data(facts.to_data()) == facts
    assert Layout.from_data(layout.to_data()) == layout


def test_the_default_layout_is_of_the_declared_types() -> None:
    assert Layout.from_data(DEFAULT_LAYOUT.to_data()) == DEFAULT_LAYOUT


def _outcome(build: Callable[..., object], values: dict[str, object]) -> object:
    try:
        return build(**values)
    except TypeError as err:
        return str(err)


@given(
    st.dictionaries(
        st.sampled_from(["x", "label", "kind", "tags", "seen", "parent", "y", "z"]),
        st.integers(0, 3),
        max_size=5,
    )
)
def test_a_class_made_often_builds_and_refuses_as_before(
    values: dict[str, object],
) -> None:
    # Classes made many times (a batch of plans) get a constructor of their
    # own; it must build the same records and say the same about bad calls.
    generic = _outcome(Point, values)
    written = _record._constructor(Point)

    def build(**kwargs: object) -> Point:
        point = object.__new__(Point)
        written(point, **kwargs)
        return point

    assert _outcome(build, values) == generic


def test_a_class_gets_its_own_constructor_after_many_instances() -> None:
    class Many(Record):
        n: int
        label: str = "x"

    made = [Many(n=i) for i in range(_record._WRITE_CONSTRUCTOR_AFTER + 2)]
    assert "__record" in Many.__init__.__code__.co_varnames
    assert made[-1] == Many(n=len(made) - 1, label="x")
    with pytest.raises(TypeError, match=r"^Many\(\) got an unexpected keyword"):
        Many(n=1, other=2)  # type: ignore[call-arg]


def test_bases_fields_and_odd_names_are_kept() -> None:
    class Base(Record):
        a: int
        shared: str = "base"

    class Other(Record):
        c: int = 0

    class Both(Base, Other):
        shared: str  # declared again without a default: now required
        self: str = "ok"  # a field may be called self

    made = Both(a=1, shared="s", c=2)
    assert (made.a, made.shared, made.c, made.self) == (1, "s", 2, "ok")
    assert Both._fields == ("c", "a", "shared", "self")
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument"):
        Both(a=1)  # type: ignore[call-arg]


def test_a_field_may_not_hide_a_record_method() -> None:
    with pytest.raises(TypeError, match="'replace' cannot be a field"):

        class Bad(Record):
            replace: int  # type: ignore[assignment]


def test_bare_records_leave_later_classes_their_own_constructor() -> None:
    for _ in range(_record._WRITE_CONSTRUCTOR_AFTER + 1):
        Record()

    class Late(Record):
        x: int = 0

    assert Late(x=1).x == 1


class Tag(Record):
    """A record in a set."""

    name: str


class Bag(Record):
    """A set of records, a union of two types and a float."""

    tags: frozenset[Tag]
    size: int | str
    weight: float = 0.0


def test_sets_of_records_and_unions_round_trip() -> None:
    bag = Bag(tags=frozenset({Tag(name="b"), Tag(name="a")}), size="big", weight=2)
    data = bag.to_data()
    assert data["tags"] == [{"name": "a"}, {"name": "b"}]
    assert Bag.from_json(bag.to_json()) == bag
    assert Bag.from_data({"tags": [], "size": 3, "weight": 1}).weight == 1.0
