"""The public surface: __all__ sorted and complete; `import planner` stays light."""

from __future__ import annotations

import subprocess
import sys
import types

import planner
from tests.paths import ROOT


def test_all_is_sorted_and_complete() -> None:
    assert planner.__all__ == sorted(planner.__all__)
    public = {
        name
        for name, value in vars(planner).items()
        if not name.startswith("_")
        and name != "annotations"
        and not isinstance(value, types.ModuleType)  # submodules, set on import
    }
    assert public <= set(planner.__all__)
    for name in planner.__all__:
        assert hasattr(planner, name), name


def test_non_interactive_path_imports_nothing_heavy() -> None:
    code = (
        "import sys, planner.cli.main as cli, io, contextlib\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = cli.main(['new', 'crud-resource', '--no-input', '--out', '-',"
        " '--spec', 'examples/crud-items.toml'])\n"
        "assert rc == 0, rc\n"
        # Optional and interactive dependencies load only where they are used.
        "heavy = {'questionary', 'prompt_toolkit', 'httpx', 'copier', 'rich', 'mcp'}\n"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in heavy or m in heavy))\n"
    )

    root = ROOT
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "[]"
