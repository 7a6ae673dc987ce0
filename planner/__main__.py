"""Run planner as `python -m planner`."""

import sys

from planner._cli import main

sys.exit(main())
