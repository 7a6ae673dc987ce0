"""The command line as scripts and CI use it: main(argv), exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner import __version__
from planner.cli.main import COMMANDS, main
from tests.paths import ROOT

ITEMS = ROOT / "examples" / "crud-items.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"planner {__version__}"


@pytest.mark.parametrize(
    "command",
    [[], *([name] for name in COMMANDS), ["packs", "list"], ["packs", "show"]],
)
def test_help_everywhere(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])
    assert exc.value.code == 0
    assert "usage: planner" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--help"], ["--help", "new"], ["--debug", "--help"]])
def test_top_level_help_lists_every_command(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """The command line builds one command's parser only when it runs it."""
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    listed = {line.split()[0] for line in out.splitlines() if line.startswith("    ")}
    assert listed >= set(COMMANDS), out


def test_new_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--no-input" in out and "--out" in out


def test_new_to_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(
        capsys, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
        "--project", str(tmp_path), "--out", "-",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("<!-- planner ")
    assert "## API contract" in out
    assert not any(tmp_path.iterdir()), "--out - must write no file"


def test_new_writes_default_path_and_prints_it_last(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
        "--project", str(tmp_path),
    )  # fmt: skip
    target = tmp_path / ".claude" / "docs" / "items-crud.md"
    assert code == 0
    assert target.is_file()
    assert out.splitlines()[-1] == target.as_posix()


def test_new_refuses_to_overwrite_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / ".claude" / "docs" / "items-crud.md"
    target.parent.mkdir(parents=True)
    target.write_text("my notes\n", encoding="utf-8")
    argv = ["new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(tmp_path)]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "refusing to overwrite" in err and "hint: pass --force" in err
    assert target.read_text(encoding="utf-8") == "my notes\n"
    code, _, _ = run(capsys, *argv, "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("<!-- planner")


def test_json_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
        "--project", str(tmp_path), "--format", "json", "--out", "-",
    )  # fmt: skip
    assert code == 0
    plan = json.loads(out)
    assert plan["kind"] == "crud-resource" and plan["title"]
    assert {"path", "action", "purpose"} <= set(plan["files"][0])
    for endpoint in plan["endpoints"]:
        assert {"method", "path", "success_status", "errors"} <= set(endpoint)
        for error in endpoint["errors"]:
            assert {"status", "when"} <= set(error)
    assert {"category", "text"} <= set(plan["notes"][0])
    statuses = {
        (e["method"], e["path"]): e["success_status"] for e in plan["endpoints"]
    }
    assert statuses == {
        ("GET", "/items"): 200,
        ("POST", "/items"): 201,
        ("GET", "/items/{item_id}"): 200,
        ("PATCH", "/items/{item_id}"): 200,
        ("DELETE", "/items/{item_id}"): 204,
    }


def test_no_input_without_spec_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "new", "crud-resource", "--no-input", "--project", str(tmp_path)
    )
    assert code == 2
    assert "--no-input needs --spec FILE" in err
    assert not any(tmp_path.iterdir())


def test_spec_of_another_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "new", "endpoint", "--spec", str(ITEMS), "--no-input",
        "--project", str(tmp_path), "--out", "-",
    )  # fmt: skip
    assert code == 2
    assert "is a 'crud-resource' spec, not 'endpoint'" in err
    assert "hint: run `planner new crud-resource" in err


def test_bad_spec_names_key_and_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(
        'kind = "crud-resource"\n[resource]\nname = "item"\n'
        '[[resource.fields]]\nname = "done"\ntype = "boolean"\n',
        encoding="utf-8",
    )
    code, _, err = run(
        capsys, "new", "crud-resource", "--spec", str(spec), "--no-input", "--out", "-",
        "--project", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert "resource.fields[0].type: 'boolean' is not allowed" in err
    assert "did you mean 'bool'?" in err
    assert "Traceback" not in err


def test_debug_shows_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "--debug", "new", "crud-resource",
        "--spec", str(tmp_path / "none.toml"),
        "--no-input", "--project", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert "Traceback" in err and "spec file not found" in err


def test_out_outside_project_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "elsewhere.md"
    argv = ["new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(project), "--out", str(outside)]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 2 and "outside the project" in err
    assert not outside.exists()
    code, _, _ = run(capsys, *argv, "--allow-outside")
    assert code == 0 and outside.is_file()


def test_missing_project_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
        "--project", str(tmp_path / "nope"),
    )  # fmt: skip
    assert code == 2 and "does not exist" in err


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(capsys: pytest.CaptureFixture[str], shell: str) -> None:
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0
    no_input = "-l no-input" if shell == "fish" else "--no-input"
    assert "planner" in out and "crud-resource" in out and no_input in out
