"""`planner mcp` driven by the MCP SDK's own client over stdio."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

from tests.paths import ROOT, TESTS

SPEC = (TESTS / "fixtures" / "verify" / "notes.toml").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the notes service, before its plan."""
    target = tmp_path / "notes"
    shutil.copytree(TESTS / "fixtures" / "verify" / "notes_before", target)
    return target


def server(project: Path) -> StdioServerParameters:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "planner", "mcp", "--project", str(project)],
        env=env,
        cwd=str(project),
    )


def text_of(result: Any) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def run_session(project: Path) -> dict[str, Any]:
    """List tools, plan the spec, read the plan back, send a bad spec."""
    seen: dict[str, Any] = {}

    async def session() -> None:
        async with Client(server(project)) as client:
            seen["tools"] = sorted(t.name for t in (await client.list_tools()).tools)
            seen["planned"] = await client.call_tool("plan_spec", {"spec": SPEC})
            seen["again"] = await client.call_tool("plan_spec", {"spec": SPEC})
            plan = await client.read_resource("planner://plans/notes-crud")
            seen["plan"] = "".join(getattr(c, "text", "") for c in plan.contents)
            bad = SPEC.replace('type = "str"', 'type = "string"')
            seen["bad"] = await client.call_tool("plan_spec", {"spec": bad})
            seen["schema"] = await client.call_tool("spec_schema", {"kind": "endpoint"})
            seen["verify"] = await client.call_tool(
                "verify_plan", {"plan": "notes-crud"}
            )

    anyio.run(session)
    return seen


def test_the_server_plans_a_spec_serves_the_plan_and_reports_errors(
    project: Path,
) -> None:
    seen = run_session(project)
    assert seen["tools"] == [
        "check_plans",
        "inspect_project",
        "plan_spec",
        "spec_schema",
        "verify_plan",
    ]
    assert not seen["planned"].is_error
    assert text_of(seen["planned"]).startswith("wrote .claude/docs/notes-crud.md")
    written = (project / ".claude/docs/notes-crud.md").read_text(encoding="utf-8")
    assert seen["plan"] == written
    assert written.startswith("<!-- planner ")
    assert (project / ".planner/specs/notes-crud.toml").read_text(
        encoding="utf-8"
    ) == SPEC
    # A second plan of the same spec would overwrite: refused, as on the CLI.
    assert seen["again"].is_error
    assert "refusing to overwrite" in text_of(seen["again"])
    # planner's own message, not a crashed server or a generic failure.
    assert seen["bad"].is_error
    assert "resource.fields[0].type" in text_of(seen["bad"])
    assert '"title"' in text_of(seen["schema"])
    # The plan is not built yet: verify reports what is missing, as text.
    assert "not matching" in text_of(seen["verify"])
