"""Optional and heavy modules load only on the paths that need them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner.engine.builder import registered_rules
from planner.rules import MODULES
from planner.sync.plans import render_all
from tests.paths import ROOT

EXAMPLE = "examples/crud-items.toml"


def _modules_loaded_by(argv: list[str]) -> set[str]:
    """Run `planner ARGV` in a new process; return the modules it imported."""
    code = (
        "import sys, io, contextlib\n"
        "from planner.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main({argv!r})\n"
        "assert rc == 0, rc\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def _modules_loaded_by_code(code: str) -> set[str]:
    """Run `code` in a new process; return the modules it left imported."""
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_importing_planner_loads_no_library_module() -> None:
    # Every module of planner imports the package first: were it to import the
    # library API, each command would load pydantic, Jinja2 and the project
    # model whether it needs them or not.
    loaded = _modules_loaded_by_code("import planner")
    assert not {"pydantic", "jinja2", "planner.api", "planner.plan"} & loaded


def test_a_plan_without_packs_loads_no_pack_module() -> None:
    loaded = _modules_loaded_by(
        ["new", "crud-resource", "--no-input", "--out", "-", "--spec", EXAMPLE]
    )
    assert not {m for m in loaded if m.startswith("planner.packs")}


def test_a_plan_from_a_spec_file_loads_no_tomlkit() -> None:
    loaded = _modules_loaded_by(
        ["new", "crud-resource", "--no-input", "--out", "-", "--spec", EXAMPLE]
    )
    assert "tomlkit" not in loaded


@pytest.mark.parametrize("command", ["render", "check"])
def test_plans_that_are_not_refined_load_no_refinement(
    tmp_path: Path, command: str
) -> None:
    specs = tmp_path / ".planner" / "specs"
    specs.mkdir(parents=True)
    (specs / "items.toml").write_text(
        (ROOT / EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8"
    )
    if command == "check":
        render_all(tmp_path)  # so that the check passes
    loaded = _modules_loaded_by([command, "--project", str(tmp_path)])
    assert not {m for m in loaded if m.startswith("planner.refine.apply")}
    assert "difflib" not in loaded


def test_each_rule_is_found_by_its_prefix() -> None:
    for rule_id, item in registered_rules().items():
        prefix = rule_id.partition(".")[0]
        module = item.fn.__module__.removeprefix("planner.rules.")
        assert module in MODULES[prefix], rule_id


def test_a_crud_plan_loads_no_auth_or_endpoint_rules() -> None:
    loaded = _modules_loaded_by(
        ["new", "crud-resource", "--no-input", "--out", "-", "--spec", EXAMPLE]
    )
    rules = {m.split(".")[2] for m in loaded if m.startswith("planner.rules.")}
    assert not {m for m in rules if m.startswith(("auth", "endpoint"))}
