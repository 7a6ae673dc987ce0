"""`planner check` goes stale for real drift only (issue: plans a reviewer signs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.api import project_layout
from planner.cli.main import main
from planner.inspect.targets import read_model
from tests.paths import EXAMPLES, GOLDEN, PROJECTS, TESTS

SHOP = TESTS / "fixtures" / "model" / "shop"


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> int:
    capsys.readouterr()
    code = main(["check", "--project", str(project)])
    capsys.readouterr()
    return code


@pytest.fixture
def planned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The shop fixture with a CRUD plan written and checked."""
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project)
    spec = str(EXAMPLES / "crud-items.toml")
    argv = ["new", "crud-resource", "--spec", spec, "--no-input"]
    assert main([*argv, "--project", str(project)]) == 0
    assert check(project, capsys) == 0
    return project


def test_an_unrelated_test_file_is_no_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (planned / "tests" / "test_unrelated.py").write_text("def test_x(): ...\n")
    assert check(planned, capsys) == 0


def test_another_plans_session_context_is_no_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = planned / ".claude" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / "session_context_other.md").write_text("notes\n", encoding="utf-8")
    assert check(planned, capsys) == 0


def test_a_changed_spec_is_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = planned / ".planner" / "specs" / "items-crud.toml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("max_length = 200", "max_length = 80"), "utf-8")
    assert check(planned, capsys) == 1


def test_a_renamed_session_dependency_is_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in sorted((planned / "shop").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "get_session" in text:
            path.write_text(text.replace("get_session", "get_db"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--project", str(planned)]) == 1
    assert "project facts" in capsys.readouterr().out


# -- the session context, quoted in the plan and seldom committed -------------

CONTEXT = (
    "Items for the shop's wish list.\n"
    "\n"
    "  Keep titles short.\n"
    "> a quote inside the context\n"
    "SECRET_KEY = supersecretvalue123\n"
)


def plan_with_context(
    project: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> Path:
    """Plan crud-items on the shop with a session context; return its file."""
    shutil.copytree(SHOP, project, dirs_exist_ok=True)  # the context is there
    spec = str(EXAMPLES / "crud-items.toml")
    argv = ["new", "crud-resource", "--spec", spec, "--no-input", *extra]
    assert main([*argv, "--project", str(project)]) == 0
    assert check(project, capsys) == 0
    return project / ".claude" / "docs" / "items-crud.md"


def test_a_session_context_left_uncommitted_is_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "shop"
    context = project / ".claude" / "tasks" / "session_context_items-crud.md"
    context.parent.mkdir(parents=True)
    context.write_text(CONTEXT, encoding="utf-8")
    plan = plan_with_context(project, capsys)
    before = plan.read_text(encoding="utf-8")
    assert "> SECRET_KEY = [REDACTED]" in before
    assert "with 1 secret-looking value(s) replaced" in before
    context.unlink()  # as in CI: the context was never committed
    assert check(project, capsys) == 0
    assert main(["render", "--project", str(project)]) == 0
    assert plan.read_text(encoding="utf-8") == before


def test_a_named_session_context_left_uncommitted_is_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "shop"
    context = project / "notes" / "task.md"
    context.parent.mkdir(parents=True)
    context.write_text(CONTEXT, encoding="utf-8")
    plan = plan_with_context(project, capsys, "--context", str(context))
    assert "| context notes/task.md -->" in plan.read_text(encoding="utf-8")
    context.unlink()
    assert check(project, capsys) == 0


def test_a_changed_session_context_is_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "shop"
    context = project / ".claude" / "tasks" / "session_context_items-crud.md"
    context.parent.mkdir(parents=True)
    context.write_text(CONTEXT, encoding="utf-8")
    plan_with_context(project, capsys)
    context.write_text(CONTEXT.replace("short", "long"), encoding="utf-8")
    assert check(project, capsys) == 1


def test_a_context_given_after_planning_is_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = planned / ".claude" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / "session_context_items-crud.md").write_text("notes\n", "utf-8")
    assert check(planned, capsys) == 1


# -- implementing the plan ----------------------------------------------------


def renamed(text: str, old: str, new: str) -> str:
    """`text` with a resource's names (plural, class, singular) replaced."""
    for a, b in ((f"{old}s", f"{new}s"), (old.title(), new.title()), (old, new)):
        text = text.replace(a, b)
    return text


def copy_renamed(project: Path, source: str, target: str, old: str, new: str) -> None:
    text = (project / source).read_text(encoding="utf-8")
    path = project / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(renamed(text, old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def implement_items(project: Path) -> None:
    """Write what the items plan asks for, as a developer would, on the shop."""
    for name in ("__init__.py", "models.py", "router.py", "service.py"):
        copy_renamed(project, f"shop/tags/{name}", f"shop/items/{name}", "tag", "item")
    copy_renamed(
        project,
        "tests/test_tags_service.py",
        "tests/test_items_service.py",
        "tag",
        "item",
    )
    # Alembic picks its own revision id and `-m` its own words: not the name
    # the plan gives, `3f4b8e54bc70_add_items.py`.
    (project / "alembic" / "versions" / "5e6f7a8b9c0d_add_items_table.py").write_text(
        'revision = "5e6f7a8b9c0d"\ndown_revision = "0a1b2c3d4e5f"\n\n\n'
        'def upgrade():\n    op.create_table("items")\n',
        encoding="utf-8",
    )
    append(
        project / "shop" / "db.py", "\n\nclass ItemCreate(SQLModel):\n    title: str\n"
    )
    registry = project / "shop" / "api" / "router.py"
    text = registry.read_text(encoding="utf-8").replace(
        "from shop.notes",
        "from shop.items.router import router as items_router\nfrom shop.notes",
    )
    registry.write_text(text + "api_router.include_router(items_router)\n", "utf-8")


def test_implementing_the_plan_is_no_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = planned / ".claude" / "docs" / "items-crud.md"
    before = plan.read_text(encoding="utf-8")
    assert "| create | `shop/items/router.py` |" in before
    implement_items(planned)
    assert check(planned, capsys) == 0
    assert main(["render", "--project", str(planned)]) == 0
    assert plan.read_text(encoding="utf-8") == before


def test_implementing_half_the_plan_is_no_drift(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_renamed(planned, "shop/tags/router.py", "shop/items/router.py", "tag", "item")
    assert check(planned, capsys) == 0


@pytest.mark.parametrize("change", ["spec", "session dependency", "registration point"])
def test_real_drift_after_implementing_is_drift(
    planned: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    implement_items(planned)
    assert check(planned, capsys) == 0
    if change == "spec":
        spec = planned / ".planner" / "specs" / "items-crud.toml"
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("max_length = 200", "max_length = 80"), "utf-8")
    elif change == "session dependency":
        deps = planned / "shop" / "core" / "deps.py"
        deps.write_text(deps.read_text("utf-8").replace("get_session", "db"), "utf-8")
    else:  # every router now registered on the app itself
        main_module = planned / "shop" / "main.py"
        registry = planned / "shop" / "api" / "router.py"
        imports, _, calls = registry.read_text("utf-8").partition("api_router = ")
        calls = calls.partition("\n")[2].replace("api_router.", "app.")
        text = main_module.read_text("utf-8").replace("app = FastAPI()\n", "")
        main_module.write_text(f"{imports}{text}app = FastAPI()\n{calls}", "utf-8")
        registry.unlink()
    assert check(planned, capsys) == 1


def test_implementing_a_plan_on_a_full_stack_project_is_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "fullstack"
    shutil.copytree(PROJECTS / "fullstack", project)
    spec = str(GOLDEN / "project-fullstack" / "spec.toml")
    argv = ["new", "crud-resource", "--spec", spec, "--no-input", "--project"]
    assert main([*argv, str(project)]) == 0
    backend = project / "backend"
    routes = "backend/app/api/routes"
    copy_renamed(
        project, f"{routes}/items.py", f"{routes}/invoices.py", "item", "invoice"
    )
    tests = "backend/tests/api/routes"
    copy_renamed(
        project,
        f"{tests}/test_items.py",
        f"{tests}/test_invoices.py",
        "item",
        "invoice",
    )
    models = backend / "app" / "models.py"
    text = models.read_text(encoding="utf-8")
    append(
        models,
        "\n\n" + renamed(text[text.index("class ItemBase") :], "item", "invoice"),
    )
    append(
        backend / "app" / "crud.py", "\n\ndef create_invoice(*, session):\n    ...\n"
    )
    (
        backend / "app" / "alembic" / "versions" / "b7d1e0c2a9f4_add_invoices.py"
    ).write_text('revision = "b7d1e0c2a9f4"\ndown_revision = "9c0a54914c78"\n', "utf-8")
    registry = backend / "app" / "api" / "main.py"
    text = registry.read_text(encoding="utf-8").replace(
        "import items,", "import invoices, items,"
    )
    registry.write_text(text + "api_router.include_router(invoices.router)\n", "utf-8")
    assert check(project, capsys) == 0


def test_the_view_without_the_plans_files_leaves_the_caches_alone(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    implement_items(planned)
    router = "shop/items/router.py"
    hidden = frozenset({router})
    assert router in project_layout(planned).existing  # cached now
    assert check(planned, capsys) == 0  # reads the view without the plan's files
    assert router not in project_layout(planned, ignore=hidden).existing
    model = read_model(planned, ignore=hidden)
    assert model is not None and router not in model.paths
    assert router in project_layout(planned).existing
    full = read_model(planned)
    assert full is not None and router in full.paths
    assert any(res.plural == "items" for res in full.resources)
