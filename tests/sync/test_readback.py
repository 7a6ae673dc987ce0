"""Reading a plan back: the format `render` and `check` rely on, round-tripped."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from planner.engine.run import build_plan
from planner.plan import FileChange
from planner.render.markdown import render_markdown
from planner.render.readback import created_paths, quoted_context
from planner.specfile import read_spec
from planner.sync.hidden import implemented
from tests.paths import EXAMPLES

CONTEXT = (
    "First line.",
    "",
    "  indented, with | a pipe and `code`",
    "> a quote",
    "## not a heading",
    "token = ghp_abcdefghijklmnopqrstuvwxyz0123456789",
)


def rendered(**changes: object) -> tuple[str, str]:
    """A CRUD plan for the default layout, as Markdown, and its quoted context."""
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    plan = build_plan(spec, session_context=CONTEXT)
    plan = dataclasses.replace(plan, **changes)  # type: ignore[arg-type]
    return render_markdown(plan), "\n".join(plan.context)


def test_the_quoted_context_reads_back_line_for_line() -> None:
    text, quoted = rendered()
    assert "[REDACTED]" in quoted, "the plan quotes the context redacted"
    assert "\n".join(quoted_context(text)) == quoted


def test_a_plan_quoting_no_context_reads_back_none() -> None:
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    assert quoted_context(render_markdown(build_plan(spec))) == ()
    assert quoted_context("no plan at all") == ()


def test_the_created_files_read_back_from_the_files_table() -> None:
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    plan = build_plan(spec)
    text = render_markdown(plan)
    assert created_paths(text) == {f.path for f in plan.files if f.action == "create"}
    assert "app/models/item.py" in created_paths(text)


def test_odd_paths_read_back_as_written() -> None:
    odd = (
        FileChange(path="app/a|b.py", action="create", purpose="a pipe"),
        FileChange(path="app/`tick`.py", action="create", purpose="backticks"),
        FileChange(path="app/changed.py", action="modify", purpose="changed"),
        FileChange(path="../outside.py", action="create", purpose="outside"),
        FileChange(path="/etc/passwd", action="create", purpose="absolute"),
    )
    text, _ = rendered(files=odd)
    assert created_paths(text) == {"app/a|b.py", "app/`tick`.py"}


def test_files_a_plan_creates_are_hidden_once_they_exist(tmp_path: Path) -> None:
    versions = tmp_path / "alembic" / "versions"
    versions.mkdir(parents=True)
    for name in (
        "0a1b2c3d4e5f_add_tags.py",  # an older migration
        "5e6f7a8b9c0d_create_items_table.py",  # the plan's, under Alembic's id
        "9f8e7d6c5b4a_add_orders.py",  # another resource's
    ):
        (versions / name).write_text("revision = 'x'\n", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "items.py").write_text("", encoding="utf-8")
    created = {
        "app/items.py",
        "app/schemas.py",  # not written yet
        "alembic/versions/3f4b8e54bc70_add_items.py",
    }
    assert implemented(tmp_path, created) == {
        "app/items.py",
        "alembic/versions/5e6f7a8b9c0d_create_items_table.py",
    }


def test_a_placeholder_migration_name_matches_the_written_one(tmp_path: Path) -> None:
    versions = tmp_path / "alembic" / "versions"
    versions.mkdir(parents=True)
    (versions / "ab12cd34ef56_create_items_table.py").touch()
    (versions / "2024_05_01_1200_cd34ef56ab12_create_items_table.py").touch()
    (versions / "items_table.py").touch()  # no revision before it: no migration
    (versions / "ef56ab12cd34_create_orders_table.py").touch()
    planned = "alembic/versions/<revision>_create_items_table.py"
    assert implemented(tmp_path, {planned}) == {
        "alembic/versions/ab12cd34ef56_create_items_table.py",
        "alembic/versions/2024_05_01_1200_cd34ef56ab12_create_items_table.py",
    }
