"""Without --refine nothing touches the network: checked with a socket audit hook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.llm_server import LlmServer, completion
from tests.paths import ROOT

ITEMS = ROOT / "examples" / "crud-items.toml"
SECTION = "## Refinements and open-question answers\n\n- Fine as planned.\n"
# Runs `planner` in a fresh interpreter whose audit hook records every socket
# event; the report goes to a file so the plan can use stdout.
PROBE = """\
import json, sys
events = []
def hook(event, args):
    if event.startswith("socket."):
        events.append([event, repr(args[1:])])
sys.addaudithook(hook)
from tests.paths import ROOT
from planner.cli.main import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as report:
    json.dump({"code": code, "events": events, "httpx": "httpx" in sys.modules}, report)
"""


def probe(tmp_path: Path, *argv: str) -> dict[str, object]:
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return data


def configured_project(tmp_path: Path, base_url: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f'[tool.planner.llm]\nbase_url = "{base_url}"\nmodel = "test-model"\n',
        encoding="utf-8",
    )
    return project


def test_new_without_refine_opens_no_socket(tmp_path: Path) -> None:
    with LlmServer([completion(SECTION)]) as server:
        project = configured_project(tmp_path, server.base_url)
        result = probe(
            tmp_path, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(project),
        )  # fmt: skip
        assert server.seen == []
    assert result == {"code": 0, "events": [], "httpx": False}
    assert (project / ".claude" / "docs" / "items-crud.md").is_file()


def test_show_prompt_opens_no_socket(tmp_path: Path) -> None:
    with LlmServer([completion(SECTION)]) as server:
        project = configured_project(tmp_path, server.base_url)
        result = probe(
            tmp_path, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(project), "--refine", "--show-prompt",
        )  # fmt: skip
        assert server.seen == []
    assert result == {"code": 0, "events": [], "httpx": False}


def test_the_probe_sees_sockets_when_refining(tmp_path: Path) -> None:
    """The control: the same probe does see the connection --refine makes."""
    with LlmServer([completion(SECTION)]) as server:
        project = configured_project(tmp_path, server.base_url)
        result = probe(
            tmp_path, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(project), "--refine",
        )  # fmt: skip
        assert len(server.seen) == 1
    assert result["code"] == 0 and result["httpx"] is True
    events = result["events"]
    assert isinstance(events, list)
    port = server.base_url.split(":")[2].split("/")[0]
    assert any(
        e[0] == "socket.connect" and f"('127.0.0.1', {port})" in e[1] for e in events
    )
