"""Spec files: TOML round trips keep comments; bad specs get clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import OutputExistsError, SpecError
from planner.kinds import schema_text
from planner.spec import CrudResourceSpec
from planner.specfile import (
    dump_spec,
    parse_spec,
    read_spec,
    save_schema,
    with_schema_line,
    without_schema_line,
    write_atomic,
)
from planner.sync.plans import spec_copy_target
from tests.paths import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))

BASE = """\
kind = "crud-resource"  # what to plan
[resource]
name = "item"
[[resource.fields]]
name = "title"
type = "str"
"""


def error_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as exc:
        parse_spec(text, source="spec.toml")
    return exc.value


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_round_trip_byte_for_byte(path: Path) -> None:
    loaded = read_spec(path)
    assert dump_spec(loaded.spec, document=loaded.document) == path.read_text(
        encoding="utf-8"
    )


def test_edit_keeps_comments() -> None:
    loaded = parse_spec("# my resource\n" + BASE + "# trailing note\n")
    assert isinstance(loaded.spec, CrudResourceSpec)
    renamed = loaded.spec.model_copy(
        update={"resource": loaded.spec.resource.model_copy(update={"name": "task"})}
    )
    text = dump_spec(renamed, document=loaded.document)
    assert (
        "# my resource" in text
        and "# what to plan" in text
        and "# trailing note" in text
    )
    assert 'name = "task"' in text
    assert parse_spec(text).spec == renamed


def test_new_spec_starts_with_schema_comment() -> None:
    spec = parse_spec(BASE).spec
    text = dump_spec(spec)
    assert text.startswith("#:schema ")
    assert parse_spec(text).spec == spec


def test_malformed_toml_has_line_and_column() -> None:
    err = error_of('kind = "crud-resource"\n[resource\nname = "x"\n')
    assert err.where is not None and err.where.startswith("spec.toml:2:")
    assert "not valid TOML" in err.message


def test_unknown_key_suggests_the_near_one() -> None:
    err = error_of(BASE.replace('type = "str"', 'type = "str"\nmax_lenght = 3'))
    assert "resource.fields[0].max_lenght: unknown key" in err.message
    assert err.hint is not None and "did you mean 'max_length'?" in err.hint


def test_wrong_type() -> None:
    err = error_of(BASE + "required = 3\n")
    assert "resource.fields[0].required" in err.message


def test_missing_required_key() -> None:
    err = error_of('kind = "crud-resource"\n[resource]\nname = "item"\n')
    assert "resource.fields: required key is missing" in err.message


def test_missing_kind_and_unknown_kind() -> None:
    assert "missing key 'kind'" in error_of("[resource]\n").message
    err = error_of('kind = "crud"\n')
    assert err.hint is not None and "did you mean 'crud-resource'?" in err.hint


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("class", "Python keyword"),
        ("Title", "not a snake_case identifier"),
        ("2fa", "not a snake_case identifier"),
        ("my-field", "not a snake_case identifier"),
        ("owner_id", "collides with a column planner generates"),
        ("id", "collides with a column planner generates"),
    ],
)
def test_bad_field_names(name: str, problem: str) -> None:
    assert (
        problem in error_of(BASE.replace('name = "title"', f'name = "{name}"')).message
    )


def test_bad_resource_name() -> None:
    assert (
        "Python keyword"
        in error_of(BASE.replace('name = "item"', 'name = "import"')).message
    )


def test_duplicate_fields() -> None:
    err = error_of(BASE + '[[resource.fields]]\nname = "title"\ntype = "text"\n')
    assert "declared twice" in err.message


def test_choices_on_non_enum_and_enum_without_choices() -> None:
    assert "choices apply only to enum" in error_of(BASE + 'choices = ["a"]\n').message
    err = error_of(BASE.replace('type = "str"', 'type = "enum"'))
    assert "needs choices" in err.message


def test_ref_without_target() -> None:
    err = error_of(BASE.replace('type = "str"', 'type = "ref"'))
    assert 'needs references = "<resource>"' in err.message


def test_ownership_needs_auth() -> None:
    err = error_of(
        BASE.replace('name = "item"', 'name = "item"\nowned_by_user = true')
        + "[auth]\nrequired = false\n"
    )
    assert "owned_by_user needs a signed-in user" in err.message


def test_absurd_sizes_fail_fast() -> None:
    fields = "".join(
        f'[[resource.fields]]\nname = "f{i}"\ntype = "int"\n' for i in range(10_000)
    )
    err = error_of('kind = "crud-resource"\n[resource]\nname = "item"\n' + fields)
    assert "resource.fields" in err.message and "at most 200" in err.message
    huge = BASE + 'description = "' + "x" * 10_000_000 + '"\n'
    assert "the limit is" in error_of(huge).message


def test_write_atomic_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "mine"
    write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"], "no temp file left"


# ------------------------------------------------------------ #:schema line


def test_the_schema_line_replaces_one_there_and_keeps_every_other_line() -> None:
    mine = "#:schema https://example.com/old.json\n# my notes\n" + BASE
    kept = with_schema_line(mine, "crud-resource")
    assert kept == "#:schema .schema/crud-resource.json\n# my notes\n" + BASE
    assert with_schema_line(BASE, "crud-resource").endswith(BASE)
    assert without_schema_line(kept) == "# my notes\n" + BASE
    assert without_schema_line(BASE) == BASE  # a first line of the user's stays
    assert parse_spec(kept).spec == parse_spec(BASE).spec


def test_saving_the_schema_rewrites_only_a_stale_one(tmp_path: Path) -> None:
    spec_file = tmp_path / "specs" / "items-crud.toml"
    spec_file.parent.mkdir()
    schema_file = tmp_path / "specs" / ".schema" / "auth.json"
    assert save_schema(spec_file, "auth", project=tmp_path) is None
    assert schema_file.read_text(encoding="utf-8") == schema_text("auth")
    schema_file.write_text("{}", encoding="utf-8")  # an older planner's
    assert save_schema(spec_file, "auth", project=tmp_path) is None
    assert schema_file.read_text(encoding="utf-8") == schema_text("auth")


def test_a_schema_that_cannot_be_written_is_a_note_not_a_failure(
    tmp_path: Path,
) -> None:
    spec_file = tmp_path / "specs" / "items-crud.toml"
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / ".schema").write_text("a file, not a folder")
    problem = save_schema(spec_file, "auth", project=tmp_path)
    assert problem is not None and ".schema/auth.json" in problem


def test_the_kept_copy_starts_with_the_schema_line_and_reruns_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli.main import main

    source = tmp_path / "mine.toml"
    source.write_text("# my notes\n" + BASE, encoding="utf-8")
    argv = ["new", "crud-resource", "--spec", str(source), "--no-input",
            "--project", str(tmp_path), "--out", str(tmp_path / "plan.md")]  # fmt: skip
    assert main(argv) == 0
    copy = tmp_path / ".planner" / "specs" / "items-crud.toml"
    assert copy.read_text(encoding="utf-8") == (
        "#:schema .schema/crud-resource.json\n# my notes\n" + BASE
    )
    schema = tmp_path / ".planner" / "specs" / ".schema" / "crud-resource.json"
    assert schema.read_text(encoding="utf-8") == schema_text("crud-resource")
    capsys.readouterr()
    # The same spec again is not "a different spec", though the copy gained a line.
    assert main([*argv, "--force"]) == 0
    assert "different spec" not in capsys.readouterr().err
    assert (
        spec_copy_target(tmp_path, source, "items-crud", data=source.read_bytes())
        is None
    )
    source.write_text("# my notes\n" + BASE + 'plural = "things"\n', "utf-8")
    with pytest.raises(OutputExistsError):
        spec_copy_target(tmp_path, source, "items-crud", data=source.read_bytes())
