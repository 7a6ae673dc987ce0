"""Run planner as `python -m planner`."""

from planner._cli import run

run()
