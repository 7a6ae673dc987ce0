"""`planner mcp`: planner as an MCP server over stdio (the optional `mcp` extra)."""
