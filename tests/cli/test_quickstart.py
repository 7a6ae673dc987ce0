"""README's quick start: plan a resource into examples/shop, naming its files."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.cli.summary import summarize_plan
from planner.plan import Endpoint, FileChange, Plan, Provenance
from tests.paths import ROOT

SHOP = ROOT / "examples" / "shop"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _readme_first_command() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.DOTALL)
    assert block is not None
    line = next(x for x in block.group(1).splitlines() if "planner new" in x)
    return line.split(".venv/bin/planner ", 1)[1].split()


def test_the_readme_plans_into_the_example_project() -> None:
    args = _readme_first_command()
    assert args[args.index("--project") + 1] == "examples/shop"
    assert (ROOT / args[args.index("--spec") + 1]).is_file()


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SHOP, tmp_path / "examples" / "shop")
    monkeypatch.chdir(tmp_path)
    return Path("examples/shop")


@pytest.mark.tui
@pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a pty")
def test_on_a_terminal_the_quick_start_names_the_real_files_of_the_shop(
    shop: Path, spawn_timeout: float
) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "planner", *_readme_first_command()],
        cwd=str(Path.cwd()),
        env=env,
        dimensions=(24, 200),
        encoding="utf-8",
        timeout=spawn_timeout,
    )
    child.expect(pexpect.EOF)
    child.close()
    lines = ANSI.sub("", child.before or "").replace("\r", "").splitlines()
    assert child.exitstatus == 0, lines
    assert lines[-1] == "examples/shop/.claude/docs/reviews-crud.md"
    rows = [line.split() for line in lines if line.startswith("  ")]
    changed = [row[1] for row in rows if row[0] == "change"]
    created = [row[1] for row in rows if row[0] == "create"]
    # Every file the plan changes is one the example project really has.
    assert "examples/shop/app/api/router.py" in changed
    assert "examples/shop/app/models/__init__.py" in changed
    assert all(Path(path).is_file() for path in changed), changed
    assert "examples/shop/app/api/routes/reviews.py" in created
    assert not any(Path(path).exists() for path in created), created
    assert any("GET /api/v1/reviews/" in line for line in lines)
    # Short enough to read in a terminal, unlike the plan itself.
    assert len(lines) < 20


def test_the_plan_names_the_shops_files_and_nothing_of_planner(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*_readme_first_command(), "--out", "-"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""  # `--out -` and no terminal: the plan alone, on stdout
    assert "`app/api/routes/reviews.py` (create)" in out
    assert "`app/api/router.py` (modify)" in out
    assert "tests/fixtures" not in out
    assert "planner/" not in out


def _plan(files: int, endpoints: int) -> Plan:
    return Plan(
        kind="crud-resource",
        name="reviews-crud",
        title="CRUD resource: reviews",
        summary="",
        files=tuple(
            FileChange(path=f"app/f{n}.py", action="create", purpose="p")
            for n in range(files)
        ),
        endpoints=tuple(
            Endpoint(
                method="GET",
                path=f"/r{n}",
                function="f",
                summary="",
                success_status=200,
                idempotent=True,
            )
            for n in range(endpoints)
        ),
        open_questions=("which?",),
        provenance=Provenance(
            planner_version="0",
            blueprint="crud-resource",
            blueprint_version="1",
            knowledge_as_of="2024-01-01",
            spec_sha256="",
            facts_sha256="",
        ),
    )


def test_the_summary_names_files_from_the_working_folder_and_stays_short() -> None:
    text = summarize_plan(_plan(2, 9), project=Path("examples/shop"))
    assert text.splitlines() == [
        "CRUD resource: reviews",
        "  create  examples/shop/app/f0.py  p",
        "  create  examples/shop/app/f1.py  p",
        "  endpoints: GET /r0, GET /r1, GET /r2, GET /r3, GET /r4, GET /r5 and 3 more",
        "  open questions: 1 (at the end of the plan)",
    ]
