"""Render and check the plans of every spec in a project."""
