"""The byte filter that decides which modules the facts parse."""

from pathlib import Path

from planner.inspect.corpus import states_facts
from planner.inspect.project import inspect_project


def test_a_sqlmodel_table_is_worth_a_parse() -> None:
    assert states_facts(b"class Item(SQLModel, table = True):\n    id: int\n")
    assert states_facts(b"class Item(SQLModel,table=True): ...\n")


def test_table_must_be_a_whole_word() -> None:
    # ``is_table=True`` is a flag of some other call, not a SQLModel table.
    assert not states_facts(b"render(is_table=True)\n")
    assert states_facts(b"render(is_table=True)\nclass T(SQLModel, table=True): ...\n")


def _project(root: Path, requirements: str | None) -> Path:
    app = root / "app"
    app.mkdir()
    (app / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n", encoding="utf-8"
    )
    (app / "schemas.py").write_text(
        "from pydantic import BaseModel\n\n"
        "class Item(BaseModel):\n    class Config:\n        orm_mode = True\n",
        encoding="utf-8",
    )
    if requirements is not None:
        (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    return root


def test_pydantic_idioms_decide_the_major_only_when_nothing_declares_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    undeclared = inspect_project(_project(tmp_path / "a", None))
    declared = inspect_project(_project(tmp_path / "b", "pydantic==2.7.1\n"))
    assert undeclared.pydantic_major == 1
    assert declared.pydantic_major == 2


def test_the_pagination_library_is_seen_in_the_code(tmp_path: Path) -> None:
    root = _project(tmp_path, None)
    (root / "app" / "items.py").write_text(
        "from fastapi_pagination import Page\n", encoding="utf-8"
    )
    assert inspect_project(root).pagination.library == "fastapi-pagination"
