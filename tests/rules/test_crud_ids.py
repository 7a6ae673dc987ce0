"""A new resource's ids follow the resource it is modelled on, unless the spec says."""

from __future__ import annotations

from pathlib import Path

from planner import Plan, make_plan, parse_spec, prepare
from tests.inspect.test_schema_suffixes import READ_IN
from tests.trees import write_tree

SPEC = (
    'kind = "crud-resource"\n[resource]\nname = "label"\n'
    '[[resource.fields]]\nname = "title"\ntype = "str"\n'
)


def _uuid_project(root: Path) -> None:
    files = dict(READ_IN)
    files["app/routers/tags.py"] = (
        "import uuid\n\n" + files["app/routers/tags.py"]
    ).replace("tag_id: int", "tag_id: uuid.UUID")
    write_tree(root, files)


def _plan(root: Path, spec: str) -> Plan:
    parsed = parse_spec(spec).spec
    return make_plan(parsed, request=prepare(parsed, project=root))


def _id_types(plan: Plan) -> tuple[str, str]:
    assert plan.data_model is not None
    table = next(t for t in plan.data_model.tables if t.name == "labels")
    schema = next(s for s in plan.schemas if s.name == "LabelRead")
    column = next(c.type for c in table.columns if c.name == "id")
    return column, next(f.type for f in schema.fields if f.name == "id")


def test_ids_follow_the_exemplar_when_the_spec_is_silent(tmp_path: Path) -> None:
    _uuid_project(tmp_path)
    plan = _plan(tmp_path, SPEC)
    assert _id_types(plan) == ("Uuid", "UUID")
    assert any("Ids are `uuid`, as `tags`'s are" in a for a in plan.assumptions)
    bad_id = {e.when for ep in plan.endpoints for e in ep.errors if e.status == 422}
    assert "`label_id` is not a UUID" in bad_id


def test_the_spec_id_type_wins_over_the_project(tmp_path: Path) -> None:
    _uuid_project(tmp_path)
    plan = _plan(
        tmp_path, SPEC.replace('name = "label"\n', 'name = "label"\nid_type = "int"\n')
    )
    assert _id_types(plan) == ("Integer", "int")
    assert not any("Ids are" in a for a in plan.assumptions)


def test_integer_projects_keep_integer_ids(tmp_path: Path) -> None:
    write_tree(tmp_path, READ_IN)
    plan = _plan(tmp_path, SPEC)
    assert _id_types(plan) == ("Integer", "int")
    assert not any("Ids are" in a for a in plan.assumptions)
