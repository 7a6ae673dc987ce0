"""Test data factories: the module with a ``create_<name>`` for most resources."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import read_project
from tests.trees import write_tree

_ROUTER = """\
from fastapi import APIRouter

router = APIRouter(prefix="/{plural}")


@router.get("/")
def list_{plural}(): ...


@router.post("/")
def create_{name}(): ...
"""


def _project(root: Path, factories: dict[str, str]) -> None:
    files = {
        f"app/routers/{name}s.py": _ROUTER.format(plural=name + "s", name=name)
        for name in ("album", "photo", "tag", "comment")
    }
    write_tree(root, {"pyproject.toml": "", **files, **factories})


def test_the_module_creating_most_resources_is_their_factory(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "tests/factories.py": "".join(
                f"def create_{n}(): ...\n" for n in ("album", "photo", "tag")
            ),
            "tests/helpers.py": "def create_album(): ...\ndef create_tag(): ...\n",
        },
    )
    model = read_project(tmp_path, cache=False)
    found = [(r.path, r.role, r.named, r.siblings) for r in model.registries]
    assert ("tests/factories.py", "factory", 3, 4) in found
    # Two in four: a helper module, not where a new resource's factory goes.
    assert "tests/helpers.py" not in {r.path for r in model.registries}
