"""Optional LLM refinement of a plan, through an OpenAI-compatible server."""
