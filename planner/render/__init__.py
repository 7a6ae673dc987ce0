"""Renderings of a plan: Markdown through Jinja2, and JSON."""
