"""planner: deterministic, offline implementation plans for FastAPI projects."""

__version__ = "0.1.0"
