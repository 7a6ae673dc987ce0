"""User text stays data; the tool runs no code, opens no socket, loses no file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner import build_plan, parse_spec, render_markdown
from planner.cli.main import main
from planner.render.escape import cell, code, inline
from tests.paths import ROOT

ITEMS = str(ROOT / "examples" / "crud-items.toml")
HOSTILE = "{{ 7*7 }} {% if true %}x{% endif %} | <script>alert(1)</script> `tick` a\nb"


def hostile_spec() -> str:
    text = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return (
        'kind = "crud-resource"\n[resource]\nname = "note"\n'
        f'description = "{text}"\n'
        f'[[resource.fields]]\nname = "body"\ntype = "text"\ndescription = "{text}"\n'
    )


def test_user_text_is_literal_and_markdown_stays_well_formed() -> None:
    plan_md = render_markdown(build_plan(parse_spec(hostile_spec()).spec))
    summary = next(line for line in plan_md.splitlines() if line.startswith("Add the"))
    assert "49" not in summary, "template syntax in user text must never run"
    assert "{{ 7\\*7 }} {% if true %}x{% endif %}" in summary
    assert "<script>" not in plan_md
    assert "\\<script\\>" in plan_md
    assert "\\|" in summary and "\\`tick\\`" in summary


@pytest.mark.parametrize(
    "text", [HOSTILE, "|||", "`", "``x``", "a\r\nb", "\\|", "<b>bold</b>", ""]
)
def test_markdown_helpers_keep_structure(text: str) -> None:
    assert (
        "\n" not in inline(text) and "\n" not in code(text) and "\n" not in cell(text)
    )
    span = code(text)
    fence = re.match(r"`+", span)
    assert fence is not None and span.endswith(fence.group())
    inner = span[len(fence.group()) : -len(fence.group())]
    assert fence.group() not in inner, "the code span must not close early"
    assert re.search(r"(?<!\\)\|", cell(text)) is None


def test_no_eval_exec_fork_or_shell_in_the_package() -> None:
    for path in sorted((ROOT / "planner").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        uses = re.findall(r"(?<![\w.])(eval|exec)\(", source)
        assert uses == [], path
        assert "shell=True" not in source, path
        assert "os.system(" not in source, path
        assert "os.fork(" not in source and "os._exit(" not in source, path


def test_the_package_stays_in_small_named_pieces() -> None:
    """No module over 600 lines (data aside), no more than 12 at the top level.

    A reader finds the pipeline in the subpackages, not in one long file.
    """
    package = ROOT / "planner"
    long = {
        str(path.relative_to(package)): n
        for path in sorted(package.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}
    assert len(list(package.glob("*.py"))) <= 12


AUDIT = """
import sys
def hook(event, args):
    if event in {"socket.connect", "socket.bind", "socket.getaddrinfo"}:
        raise SystemExit(f"network used: {event} {args!r}")
sys.addaudithook(hook)
from planner.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


NEW = ["new", "crud-resource", "--spec", "examples/crud-items.toml", "--no-input"]


@pytest.mark.parametrize("argv", [NEW, [*NEW, "--format", "json"]])
def test_plans_open_no_socket(argv: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", AUDIT, *argv, "--project", str(tmp_path), "--out", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "network used" not in result.stderr


def new(project: Path, *extra: str) -> list[str]:
    """Return the argv of `planner new` for the items example."""
    return ["new", "crud-resource", "--spec", ITEMS, "--no-input",
            "--project", str(project), *extra]  # fmt: skip


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_target_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / ".claude" / "docs"
    docs.mkdir(parents=True)
    docs.chmod(0o500)
    try:
        status = main(new(tmp_path))
    finally:
        docs.chmod(0o700)
    assert status == 3
    assert "cannot write" in capsys.readouterr().err
    assert list(docs.iterdir()) == []


def test_unwritable_target_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".claude").write_text("a file, not a folder", encoding="utf-8")
    assert main(new(tmp_path)) == 3
    err = capsys.readouterr().err
    assert "error: " in err and "cannot write" in err and "Traceback" not in err


def test_symlink_out_of_the_project_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (project / "docs").symlink_to(outside, target_is_directory=True)
    assert main(new(project, "--out", str(project / "docs" / "plan.md"))) == 2
    assert "outside the project" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_failed_render_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "crud-resource"\n[resource]\nname = "x"\n', encoding="utf-8")
    argv = ["new", "crud-resource", "--spec", str(bad), "--no-input"]
    assert main([*argv, "--project", str(tmp_path)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]
