"""A command line that helps: did you mean, the right --help, offline spec help."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from planner.cli.main import main
from tests.paths import ROOT


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["chek"], "hint: did you mean `check`? see `planner --help`"),
        (["new", "--spce"], "hint: did you mean `--spec`? see `planner new --help`"),
        (
            ["new", "crud-resource", "--spec", "x.toml", "--fromat", "json"],
            "hint: did you mean `--format`? see `planner new --help`",
        ),
        (
            ["packs", "show", "x", "--projct", "."],
            "hint: did you mean `--project`? see `planner packs show --help`",
        ),
        (["schema", "crud"], "see `planner schema --help`"),
        (["new"], "hint: see `planner new --help`"),
        (["render", "a.toml", "--prnue"], "did you mean `--prune`?"),
    ],
)
def test_usage_errors_point_at_the_help_of_their_command(
    capsys: pytest.CaptureFixture[str], argv: list[str], hint: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert hint in err


def test_a_far_off_command_gets_no_guess(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frobnicate")
    assert code == 2
    assert "did you mean" not in err and "see `planner --help`" in err


def test_help_spec_kind_explains_its_keys_and_the_field_tables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "help", "spec", "crud-resource")
    assert code == 0
    assert "`resource.owned_by_user`" in out and "`max_digits`" in out
    assert 'kind = "endpoint"' not in out


def test_schema_explain_is_the_same_text(capsys: pytest.CaptureFixture[str]) -> None:
    _, explained, _ = run(capsys, "schema", "auth", "--explain")
    _, helped, _ = run(capsys, "help", "spec", "auth")
    assert explained == helped and "`access_token_minutes`" in explained


def test_help_spec_key_shows_the_rows_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "help", "spec", "decimal_places")
    assert code == 0
    assert out.count("\n") == 2 and "`decimal` only" in out


def test_help_spec_unknown_key(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "help", "spec", "colour")
    assert code == 2 and "`planner help spec` lists every key" in err


def test_help_of_a_command_and_a_typo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["help", "check"])
    assert exc.value.code == 0
    assert "usage: planner check" in capsys.readouterr().out
    code, _, err = run(capsys, "help", "spce")
    assert code == 2 and "did you mean `spec`?" in err


def test_no_input_hint_names_offline_help(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "new", "auth", "--no-input", "--project", str(tmp_path))
    assert code == 2
    assert "planner help spec auth" in err and "docs/" not in err


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="needs bash")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["planner", ""], {"new", "check", "help", "schema"}),
        (["planner", "new", ""], {"crud-resource", "endpoint", "auth", "pagination"}),
        (["planner", "new", "auth", "--sp"], {"--spec"}),
        (["planner", "new", "--format", ""], {"markdown", "json"}),
        (["planner", "check", ""], {".planner/specs/a.toml", "b.toml", "sub/"}),
        (["planner", "new", "auth", "--spec", ""], {"b.toml"}),
        (["planner", "new", "auth", "--project", ""], {"sub"}),
        (["planner", "packs", ""], {"list", "show"}),
        (["planner", "packs", "show", "--p"], {"--project"}),
        (["planner", "help", ""], {"spec", "new"}),
    ],
)
def test_bash_completion_offers_each_place_its_own_words(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    words: list[str],
    expected: set[str],
) -> None:
    _, script, _ = run(capsys, "completion", "bash")
    (tmp_path / ".planner" / "specs").mkdir(parents=True)
    (tmp_path / ".planner" / "specs" / "a.toml").touch()
    (tmp_path / "b.toml").touch()
    (tmp_path / "notes.txt").touch()
    (tmp_path / "sub").mkdir()
    (tmp_path / "complete.bash").write_text(script, encoding="utf-8")
    quoted = " ".join(f"'{w}'" for w in words)
    probe = (
        "source complete.bash; "
        f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; "
        '_planner_complete; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        [str(BASH), "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    offered = set(done.stdout.split())
    assert expected <= offered, offered
    assert "notes.txt" not in offered
    if not any(word.endswith(".toml") for word in expected):
        assert "b.toml" not in offered  # no file names among commands or kinds


def test_packs_show_of_a_path_has_no_stray_origin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("copier")
    example = (ROOT / "packs" / "example").as_posix()
    code, out, err = run(capsys, "packs", "show", example, "--project", str(ROOT))
    assert code == 0, err
    assert out.splitlines()[0] == f"example  {example}"
    assert "(flag)" not in out
