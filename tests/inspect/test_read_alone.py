"""Definitions read alone: the same syntax as the whole file's, at a fraction of it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from planner.inspect.model import shared
from planner.inspect.model.credentials import read_dependency
from planner.inspect.model.index import ProjectIndex
from planner.inspect.model.shared import one_read, parse_block
from tests.trees import write_tree

SOURCE = b'''"""Keys."""
from fastapi import Depends, Header, HTTPException


def first():
    return 1


@decorate(
    Depends(first),
)

@other
async def read_key(
    x_key: str = Header(),
) -> str:
    if not x_key:
        raise HTTPException(status_code=401)
    return x_key


def make_router():
    @router.get("/a")
    def route(q: int = 1):
        return q

    return route


def documented():
    """Docs
at column 0."""
'''


def _dump(node: ast.AST) -> str:
    return ast.dump(node, include_attributes=True)


def _whole(name: str) -> ast.AST:
    tree = ast.parse(SOURCE)
    return next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
    )


def test_a_function_read_from_the_definition_before_it_keeps_its_decorators() -> None:
    block = parse_block(SOURCE, "d1", 5, 14)
    assert block is not None
    found = next(n for n in block.body if getattr(n, "name", "") == "read_key")
    assert _dump(found) == _dump(_whole("read_key"))


def test_a_nested_function_is_read_alone_with_its_signature_and_lines() -> None:
    block = parse_block(SOURCE, "d2", 24)
    assert block is not None
    found = next(n for n in ast.walk(block) if getattr(n, "name", "") == "route")
    assert isinstance(found, ast.FunctionDef)
    # Read from its own line, the function comes without its decorators.
    whole = _whole("route")
    assert isinstance(whole, ast.FunctionDef)
    assert _dump(found.args) == _dump(whole.args)
    assert found.body[0].lineno == whole.body[0].lineno
    assert found.lineno == 24


@pytest.mark.parametrize(
    "line",
    [
        10,  # inside a decorator's brackets
        30,  # cut inside a docstring that reaches column 0
    ],
)
def test_a_block_that_starts_or_ends_inside_a_token_does_not_parse(line: int) -> None:
    assert parse_block(SOURCE, f"d{line}", line) is None


def _project(root: Path) -> None:
    write_tree(
        root,
        {
            "app/__init__.py": "",
            "app/models.py": "from fastapi import Depends\n\n"
            + "\n".join(f"VALUE_{i} = {i}" for i in range(200))
            + "\n\nclass User:\n    pass\n",
            "app/deps.py": (
                "from fastapi import Depends, Header, HTTPException\n"
                "from app.models import User\n\n\n"
                "def helper():\n    return 1\n\n\n"
                "@cached\n"
                "def get_user(x_key: str = Header(), user: User = None):\n"
                "    if not x_key:\n"
                "        raise HTTPException(status_code=403)\n"
                "    return user\n"
            ),
        },
    )


def test_a_guard_is_followed_without_parsing_its_modules_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path)
    whole: list[int] = []
    real = shared.parse_data

    def counting(data: bytes | str) -> shared.Parsed:
        whole.append(len(data))
        return real(data)

    with one_read():
        index = ProjectIndex(tmp_path, cache=False)
        monkeypatch.setattr(shared, "parse_data", counting)
        reading = read_dependency(index, "app.deps", "get_user")
    assert reading.reads == ("header:x-key",)
    assert reading.refuses == (403,)
    # The guard is read from the definition before it; `User`, a class
    # and no alias, from the summary: neither module is parsed whole.
    sizes = {len(index.source(p)) for p in ("app/deps.py", "app/models.py")}
    assert whole and not sizes & set(whole)
