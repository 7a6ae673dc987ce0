"""Where the tests find the repository's files, wherever a test module lives."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
EXAMPLES = ROOT / "examples"
GOLDEN = TESTS / "golden"
PROJECTS = TESTS / "fixtures" / "projects"
