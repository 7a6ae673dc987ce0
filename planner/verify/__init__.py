"""`planner verify`: compare a plan with the project as it is now, statically."""

from .planview import PlanView, plan_view
from .records import Finding, VerifyReport
from .run import verify_plan
from .source import PlanSource, load_plan
from .text import format_report, report_data

__all__ = [
    "Finding",
    "PlanSource",
    "PlanView",
    "VerifyReport",
    "format_report",
    "load_plan",
    "plan_view",
    "report_data",
    "verify_plan",
]
