"""The MCP server: planner's tools and the project's plans, over stdio."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError

from planner import __version__
from planner.errors import PlannerError

from . import tools

__all__ = ["build_server", "serve"]

INSTRUCTIONS = (
    "planner writes deterministic implementation plans for this FastAPI project. "
    "Inspect the project, read the JSON Schema of a spec kind, write a spec and "
    "plan it, then implement the plan and verify it. Never edit a plan by hand: "
    "change its spec and plan it again."
)


def _explained(err: PlannerError) -> str:
    return f"error: {err}" + (f"\nhint: {err.hint}" if err.hint else "")


def _tool(call: Callable[[], str]) -> str:
    """Run a tool; planner's errors come back as tool errors with its message."""
    try:
        return call()
    except PlannerError as err:
        raise ToolError(_explained(err)) from err


def build_server(project: Path) -> MCPServer:
    """The server for one project folder."""
    server = MCPServer("planner", version=__version__, instructions=INSTRUCTIONS)

    @server.tool()
    def inspect_project() -> str:
        """Show what planner reads in the project: layout, routers, resources."""
        return _tool(lambda: tools.inspect_project(project))

    @server.tool()
    def spec_schema(kind: str) -> str:
        """The JSON Schema of a spec kind: crud-resource, endpoint, auth, pagination."""
        return _tool(lambda: tools.spec_schema(kind))

    @server.tool()
    def plan_spec(spec: str, force: bool = False) -> str:
        """Plan a spec (TOML text): keep it in specs_dir, write and return its plan."""
        return _tool(lambda: tools.plan_spec(project, spec, force=force))

    @server.tool()
    def check_plans() -> str:
        """Check that every plan matches its spec (as `planner check`)."""
        return _tool(lambda: tools.check_plans(project))

    @server.tool()
    def verify_plan(plan: str) -> str:
        """Check the project has what a plan asks for (plan name or file)."""
        return _tool(lambda: tools.verify_plan(project, plan))

    @server.resource(
        "planner://plans/{name}", mime_type="text/markdown", description="a plan"
    )
    def plan(name: str) -> str:
        """A plan in the plans folder, by name."""
        try:
            return tools.read_plan(project, name)
        except PlannerError as err:
            raise ResourceError(_explained(err)) from err

    return server


def serve(project: Path) -> None:
    """Serve the project over stdio until the client closes the connection."""
    build_server(project).run("stdio")
