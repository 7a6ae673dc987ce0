"""Specs from pipes, special files and hostile TOML: read once, bounded, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hardening.helpers import (
    ITEMS_SPEC,
    cli,
    make_project,
    one_error_line,
    spawn,
)


def test_spec_from_standard_input_is_read_once_and_kept(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    ran = spawn(
        project, "new", "crud-resource", "--spec", "-", "--no-input",
        stdin=ITEMS_SPEC.encode(),
    )  # fmt: skip
    assert ran.code == 0, ran.err
    kept = project / ".planner" / "specs" / "items-crud.toml"
    schema_line = "#:schema .schema/crud-resource.json\n"
    assert kept.read_text(encoding="utf-8") == schema_line + ITEMS_SPEC
    assert (project / ".claude" / "docs" / "items-crud.md").is_file()


def test_a_pipe_named_as_a_file_never_empties_the_kept_spec(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    kept = project / ".planner" / "specs" / "items-crud.toml"
    kept.parent.mkdir(parents=True)
    kept.write_text(ITEMS_SPEC + "# mine\n", encoding="utf-8")
    ran = spawn(
        project, "new", "crud-resource", "--spec", "/dev/stdin", "--no-input",
        "--force", stdin=ITEMS_SPEC.encode(),
    )  # fmt: skip
    assert ran.code == 2
    assert "--spec -" in ran.err
    assert kept.read_text(encoding="utf-8") == ITEMS_SPEC + "# mine\n"


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "folder"])
def test_special_spec_files_are_refused_at_once(tmp_path: Path, special: str) -> None:
    project = make_project(tmp_path / "p")
    spec = project / "spec.toml"
    if special == "fifo":
        os.mkfifo(spec)
    elif special == "folder":
        spec.mkdir()
    else:
        spec.symlink_to(special)
    ran = spawn(
        project, "new", "crud-resource", "--spec", "spec.toml", "--no-input",
        timeout=20,
    )  # fmt: skip
    assert ran.code == 2
    assert "spec.toml" in one_error_line(ran.err)
    assert not (project / ".claude").exists()


def test_a_huge_spec_is_refused_without_reading_it_whole(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    spec = project / "big.toml"
    with spec.open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: 3 GB that take no disk
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "big.toml", "--no-input")  # fmt: skip
    assert ran.code == 2
    assert "limit" in one_error_line(ran.err)


def test_a_byte_order_mark_is_not_part_of_the_first_key(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    (project / "items.toml").write_bytes(b"\xef\xbb\xbf" + ITEMS_SPEC.encode())
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "items.toml", "--no-input", "--out", "-")  # fmt: skip
    assert ran.code == 0, ran.err
    assert ran.out.startswith("<!-- planner")


RANK = '[[resource.fields]]\nname = "rank"\ntype = "int"\n'
DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (DEEP, "nested too deeply"),
        (ITEMS_SPEC + RANK + "min_value = -inf\n", "min_value"),
        (ITEMS_SPEC.replace('name = "title"', 'name = "metadata"', 1), "reserved"),
        (ITEMS_SPEC.replace('name = "title"', 'name = "registry"', 1), "reserved"),
    ],
)  # fmt: skip
def test_hostile_crud_specs_are_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    says: str,
) -> None:
    project = make_project(tmp_path / "p")
    (project / "s.toml").write_text(text, encoding="utf-8")
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "s.toml", "--no-input", "--out", "-")  # fmt: skip
    assert ran.code == 2
    assert says in ran.err
    assert "Traceback" not in ran.err


ENDPOINT = 'kind = "endpoint"\nmethod = "GET"\nsummary = "Read it"\n'


@pytest.mark.parametrize(
    "extra",
    [
        'path = "/../../etc/passwd"',
        'path = "/items/."',
        'path = "/items"\nrate_limit = "0/minute"',
        'path = "/items"\nrate_limit = "00/hour"',
    ],
)
def test_hostile_endpoint_specs_are_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: str,
) -> None:
    project = make_project(tmp_path / "p")
    (project / "s.toml").write_text(ENDPOINT + extra + "\n", encoding="utf-8")
    ran = cli(capsys, monkeypatch, project, "new", "endpoint", "--spec", "s.toml",
              "--no-input", "--out", "-")  # fmt: skip
    assert ran.code == 2, ran.out
    one_error_line(ran.err)


def test_dotted_names_inside_a_path_segment_still_work(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(tmp_path / "p")
    spec = ENDPOINT + 'path = "/files/.well-known/v1.2"\nrate_limit = "10/minute"\n'
    (project / "s.toml").write_text(spec, encoding="utf-8")
    ran = cli(capsys, monkeypatch, project, "new", "endpoint", "--spec", "s.toml",
              "--no-input", "--out", "-")  # fmt: skip
    assert ran.code == 0, ran.err
