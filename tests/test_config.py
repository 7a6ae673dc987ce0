"""`[tool.planner]`: defaults, validation errors that name the key, saving."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.config import (
    LAYOUT_KEYS,
    LlmConfig,
    PlannerConfig,
    apply_layout_overrides,
    load_config,
    save_config_value,
)
from planner.errors import SpecError
from planner.inspect.layout import DEFAULT_LAYOUT
from planner.spec import PaginationSpec

PYPROJECT = """\
[project]
name = "shop"  # the service

# planner settings, kept by hand
[tool.planner]
specs_dir = "docs/specs"  # next to the code
plans_dir = "docs/plans"
packs = ["acme"]

[tool.planner.layout]
route_module = "src/shop/api/{plural}.py"
orm = "sqlmodel"

[tool.planner.defaults]
"auth.required" = true

[tool.planner.defaults.pagination]
style = "cursor"

[tool.planner.llm]
model = "local-model"
timeout = 5
"""


def write(project: Path, text: str) -> None:
    (project / "pyproject.toml").write_text(text, encoding="utf-8")


def test_no_pyproject_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == PlannerConfig()
    assert (config.specs_dir, config.plans_dir) == (".planner/specs", ".claude/docs")
    assert config.llm == LlmConfig()
    assert config.llm.api_key_env == "PLANNER_LLM_API_KEY"


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "x"\n[tool.ruff]\nline-length = 88\n')
    assert load_config(tmp_path) == PlannerConfig()


def test_reads_every_setting(tmp_path: Path) -> None:
    write(tmp_path, PYPROJECT)
    config = load_config(tmp_path)
    assert config.specs_dir == "docs/specs"
    assert config.plans_dir == "docs/plans"
    assert config.packs == ("acme",)
    assert config.layout == {
        "route_module": "src/shop/api/{plural}.py",
        "orm": "sqlmodel",
    }
    # Quoted dotted keys and nested tables mean the same thing.
    assert config.defaults == {"auth.required": True, "pagination.style": "cursor"}
    assert config.llm.model == "local-model"
    assert config.llm.timeout == 5.0


def test_config_is_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        PlannerConfig().specs_dir = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("table", "key", "hint"),
    [
        ('spec_dir = "s"', "tool.planner.spec_dir: unknown setting", "specs_dir"),
        ('plans_dir = "/abs"', "tool.planner.plans_dir:", None),
        ('specs_dir = "../up"', "tool.planner.specs_dir:", None),
        ("packs = 3", "tool.planner.packs:", None),
        (
            'layout = { route_modul = "a/b.py" }',
            "tool.planner.layout.route_modul: not a layout setting; "
            "did you mean 'route_module'?",
            None,
        ),
        ('layout = { orm = "django" }', "tool.planner.layout.orm:", None),
        (
            'layout = { test_module = "/t.py" }',
            "tool.planner.layout.test_module:",
            None,
        ),
        ('defaults = { "Auth" = 1 }', "tool.planner.defaults:", None),
        ("llm = { timeout = 0 }", "tool.planner.llm.timeout:", None),
        ('llm = { api_key = "s" }', "tool.planner.llm.api_key: unknown", "api_key_env"),
    ],
)
def test_bad_values_name_the_key(
    tmp_path: Path, table: str, key: str, hint: str | None
) -> None:
    write(tmp_path, f"[tool.planner]\n{table}\n")
    with pytest.raises(SpecError) as exc:
        load_config(tmp_path)
    assert str(exc.value).startswith("pyproject.toml: ") or key in str(exc.value)
    assert key in str(exc.value)
    if hint:
        assert exc.value.hint is not None and hint in exc.value.hint


def test_error_names_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[tool.planner]\nspec_dir = "s"\n')
    with pytest.raises(SpecError) as exc:
        load_config(tmp_path)
    assert exc.value.where == str(tmp_path / "pyproject.toml")
    assert "pyproject.toml: tool.planner.spec_dir" in str(exc.value)


def test_malformed_toml(tmp_path: Path) -> None:
    write(tmp_path, "[tool.planner\n")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_config(tmp_path)


def test_layout_overrides_apply_and_mark_the_layout() -> None:
    config = PlannerConfig(
        layout={"route_module": "api/{plural}.py", "orm": "sqlmodel"}
    )
    layout = apply_layout_overrides(DEFAULT_LAYOUT, config)
    assert layout.route_module == "api/{plural}.py"
    assert layout.orm == "sqlmodel"
    assert layout.source == "configured"
    assert layout.existing == DEFAULT_LAYOUT.existing
    assert apply_layout_overrides(DEFAULT_LAYOUT, PlannerConfig()) is DEFAULT_LAYOUT


def test_layout_keys_are_string_settings() -> None:
    assert "route_module" in LAYOUT_KEYS and "orm" in LAYOUT_KEYS
    assert not {"source", "existing", "findings", "versions"} & set(LAYOUT_KEYS)


def test_save_keeps_comments_and_formatting(tmp_path: Path) -> None:
    write(tmp_path, PYPROJECT)
    save_config_value(tmp_path, "plans_dir", "plans")
    save_config_value(tmp_path, "llm.model", "other")
    save_config_value(tmp_path, "defaults.resource.owned_by_user", False)
    save_config_value(tmp_path, "layout.package", "shop")
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert "# planner settings, kept by hand\n[tool.planner]\n" in text
    assert 'specs_dir = "docs/specs"  # next to the code' in text
    assert 'name = "shop"  # the service' in text
    assert 'plans_dir = "plans"' in text
    config = load_config(tmp_path)
    assert config.plans_dir == "plans"
    assert config.llm.model == "other"
    assert config.defaults["resource.owned_by_user"] is False
    assert config.layout["package"] == "shop"


def test_save_creates_the_table(tmp_path: Path) -> None:
    save_config_value(tmp_path, "specs_dir", "specs")
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == (
        '[tool.planner]\nspecs_dir = "specs"\n'
    )
    write(tmp_path, '[project]\nname = "x"\n')
    save_config_value(tmp_path, "packs", ["a"])
    assert load_config(tmp_path).packs == ("a",)


def test_save_refuses_invalid_values_and_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, PYPROJECT)
    with pytest.raises(SpecError, match=r"tool\.planner\.plans_dir"):
        save_config_value(tmp_path, "plans_dir", "/etc")
    with pytest.raises(SpecError, match="unknown setting"):
        save_config_value(tmp_path, "plan_dir", "x")
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == PYPROJECT
    with pytest.raises(ValueError, match="not a config key"):
        save_config_value(tmp_path, "llm.", 1)


def test_questionnaire_offers_defaults_and_saves_to_specs_dir(tmp_path: Path) -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from planner.interactive.questionnaire import run_questionnaire

    write(
        tmp_path,
        '[tool.planner]\nspecs_dir = "plans/specs"\n\n'
        '[tool.planner.defaults]\ndefault_size = 20\nstyle = "cursor"\n',
    )
    with create_pipe_input() as pipe:
        # The plan name (derived), the target, then Enter on every question and
        # on "Write the plan", the first choice of the review.
        pipe.send_text("\r" + "GET /items\r" + "\r" * 6)
        spec = run_questionnaire(
            "pagination",
            project=tmp_path,
            force=False,
            input=pipe,
            output=DummyOutput(),
            stream=io.StringIO(),
        )
    assert isinstance(spec, PaginationSpec)
    assert (spec.default_size, spec.style) == (20, "cursor")
    saved = tmp_path / "plans" / "specs" / f"{spec.plan_name}.toml"
    assert saved.read_text(encoding="utf-8").startswith(
        "#:schema .schema/pagination.json\n"
    )


def test_inspect_shows_the_configured_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli.main import main

    write(tmp_path, '[tool.planner.layout]\nroute_module = "api/{plural}.py"\n')
    assert main(["inspect", "--project", str(tmp_path), "--format", "json"]) == 0
    layout = json.loads(capsys.readouterr().out)["layout"]
    assert (layout["route_module"], layout["source"]) == (
        "api/{plural}.py",
        "configured",
    )


def test_a_project_without_config_gets_the_defaults_without_building_models(
    tmp_path: Path,
) -> None:
    config = load_config(tmp_path)
    assert config == PlannerConfig()
    assert config.llm == PlannerConfig().llm
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from planner.config import PlannerConfig, load_config\n"
        "load_config(Path(sys.argv[1]))\n"
        "print(PlannerConfig.__pydantic_complete__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "False"  # built only when a table is validated
