"""`planner schema KIND`: stable JSON Schemas, checked in under docs/schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.errors import UsageError
from planner.kinds import KINDS, spec_schema
from planner.specfile import dump_spec, read_spec, save_schema
from tests.paths import ROOT

SPECS = sorted(
    [
        *(ROOT / "examples").glob("*.toml"),
        *(ROOT / "tests" / "golden").glob("*/spec.toml"),
    ]
)


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_command_prints_the_checked_in_schema(
    kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", kind]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    checked_in = ROOT / "docs" / "schemas" / f"{kind}.json"
    assert out == checked_in.read_text(encoding="utf-8"), (
        "stale; run `python tools/gen_docs.py`"
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_is_sorted_json_named_offline(kind: str) -> None:
    text = (ROOT / "docs" / "schemas" / f"{kind}.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert text == json.dumps(schema, indent=2, sort_keys=True) + "\n"
    # A name that needs no network and no domain: editors read the file.
    assert schema["$id"] == f"urn:fastapi-planner:spec:{kind}"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["kind"]["const"] == kind
    assert "kind" in schema["required"]


def test_schema_bytes_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "planner", "schema", "crud-resource"],
            env={**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": locale},
            cwd=tmp_path, capture_output=True, check=True,
        ).stdout
        for seed, locale in (("0", "C"), ("77", "C.UTF-8"))
    }  # fmt: skip
    assert len(outputs) == 1


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.parent.name + "/" + p.stem)
def test_specs_use_only_keys_the_schema_knows(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    schema = spec_schema(data["kind"])
    assert set(schema["required"]) <= set(data)
    assert set(data) <= set(schema["properties"])


def test_saved_specs_point_at_their_schema_beside_them(tmp_path: Path) -> None:
    spec = read_spec(ROOT / "examples" / "crud-items.toml").spec
    text = dump_spec(spec)
    first = text.splitlines()[0]
    assert first == "#:schema .schema/crud-resource.json"
    saved = tmp_path / "specs" / "items-crud.toml"
    saved.parent.mkdir()
    saved.write_text(text, encoding="utf-8")
    assert save_schema(saved, "crud-resource", project=tmp_path) is None
    # The path resolves from the spec's folder, as editors resolve it.
    schema_file = saved.parent / first.removeprefix("#:schema ")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema == spec_schema("crud-resource")
    assert set(tomllib.loads(text)) <= set(schema["properties"])


def test_nothing_names_a_domain_planner_does_not_own() -> None:
    tracked = [
        p
        for folder in ("planner", "docs", "questions", "blueprints", "examples")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in {".py", ".md", ".toml", ".json", ".j2"}
    ]
    assert tracked
    assert not [p for p in tracked if "planner.dev" in p.read_text("utf-8")]


def test_unknown_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "crud"]) == 2
    assert "invalid choice: 'crud'" in capsys.readouterr().err
    with pytest.raises(UsageError, match="'crud' is not a spec kind") as exc:
        spec_schema("crud")
    assert (
        exc.value.hint is not None and "did you mean 'crud-resource'" in exc.value.hint
    )
