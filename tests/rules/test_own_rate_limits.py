"""A project that limits rates its own way gets the new limit there."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree


@pytest.mark.parametrize("own", [True, False])
def test_the_limit_goes_where_the_project_sets_its_others(
    tmp_path: Path, own: bool
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "app/__init__.py": "",
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            **(
                {"app/rate_limit.py": "RULES = {r'^/login': {'minute': 5}}\n"}
                if own
                else {}
            ),
        },
    )
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "POST"\npath = "/feedbacks"\n'
        'summary = "Send feedback"\neffect = "create"\nrate_limit = "5/hour"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    paths = {f.path: f for f in plan.files}
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert ("app/rate_limit.py" in paths) is own
    assert ("slowapi" in guidance) is not own
