"""`planner render` and `planner check`: plans kept in step with specs, as in CI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec
from planner.cli.main import main
from planner.config import load_config
from planner.engine.run import load_blueprint
from planner.refine.apply import build_prompt
from planner.refine.cache import CACHE_FORMAT, cache_path
from planner.render.provenance import Header, describe_changes, parse_header
from planner.sync.plans import fix_command
from tests.paths import EXAMPLES, ROOT

ITEMS = ROOT / "examples" / "crud-items.toml"
SPEC = """\
#:schema .schema/crud-resource.json
kind = "crud-resource"

[resource]
name = "{name}"
operations = ["list", "read", "create"]

[[resource.fields]]
name = "title"
type = "str"
required = true
max_length = {length}
"""
NAMES = ("item", "note", "tag")
PLANS = tuple(f"{name}s-crud.md" for name in NAMES)
SPECS_DIR = Path(".planner/specs")
PLANS_DIR = Path(".claude/docs")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_spec(project: Path, file: str, name: str, length: int = 200) -> Path:
    path = project / SPECS_DIR / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SPEC.format(name=name, length=length), encoding="utf-8")
    return path


def make_project(root: Path, *, order: tuple[int, ...] = (0, 1, 2)) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for index in order:
        write_spec(root, f"{NAMES[index]}.toml", NAMES[index])
    return root


def plans(project: Path) -> dict[str, bytes]:
    folder = project / PLANS_DIR
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = make_project(tmp_path / "shop")
    code, _, _ = run(capsys, "render", "--project", str(root))
    assert code == 0
    return root


def test_render_writes_one_plan_per_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    code, out, err = run(capsys, "render", "--project", str(root))
    assert (code, err) == (0, "")
    assert tuple(plans(root)) == PLANS
    for plan in PLANS:
        assert f"written {(root / PLANS_DIR / plan).as_posix()}" in out
    assert out.splitlines()[-1] == "3 plans: 3 written"
    first = plans(root)["items-crud.md"].decode()
    assert parse_header(first) is not None
    assert str(tmp_path) not in first


def test_check_passes_after_render(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "--project", str(project))
    assert (code, out, err) == (0, "3 plans match their specs\n", "")


def test_render_again_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: (project / PLANS_DIR / p).stat().st_mtime_ns for p in PLANS}
    code, out, _ = run(capsys, "render", "--project", str(project))
    assert (code, out) == (0, "3 plans: 0 written\n")
    after = {p: (project / PLANS_DIR / p).stat().st_mtime_ns for p in PLANS}
    assert before == after


def test_edited_spec_fails_check_naming_the_plan_with_a_diff(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(project, "note.toml", "note", length=80)
    code, out, err = run(capsys, "check", "--project", str(project))
    assert (code, err) == (1, "")
    plan = (project / PLANS_DIR / "notes-crud.md").as_posix()
    spec = (project / SPECS_DIR / "note.toml").as_posix()
    assert f"stale: {plan} (spec {spec})" in out
    assert "  spec hash (the spec changed): " in out
    assert "project facts hash" not in out and "blueprint version" not in out
    assert f"--- {plan} (on disk)\n+++ {plan} (from its spec)\n" in out
    assert "-| `title` | `str` | yes | max_length=200 |" in out
    assert "+| `title` | `str` | yes | max_length=80 |" in out
    assert "items-crud" not in out and "tags-crud" not in out
    assert out.splitlines()[-1] == (
        f"1 of 3 plans are out of date; to fix, run: planner render --project {project}"
    )
    assert run(capsys, "render", "--project", str(project))[1].startswith(
        f"written {plan}\n"
    )
    assert run(capsys, "check", "--project", str(project))[0] == 0


def test_changed_blueprint_version_is_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    version = load_blueprint("crud-resource").version
    path = project / PLANS_DIR / "tags-crud.md"
    text = path.read_text(encoding="utf-8")
    old = f"| blueprint crud-resource {version} |"
    assert old in text
    path.write_text(
        text.replace(old, "| blueprint crud-resource 0.9.0 |", 1), encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", "--project", str(project))
    assert code == 1
    assert f"  blueprint version: 0.9.0 -> {version}\n" in out
    assert "spec hash" not in out


def test_missing_plan(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / PLANS_DIR / "items-crud.md").unlink()
    code, out, _ = run(capsys, "check", "--project", str(project))
    assert code == 1
    plan = (project / PLANS_DIR / "items-crud.md").as_posix()
    assert f"missing: {plan} (spec " in out


def test_orphan_plan_is_reported_and_pruned(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / SPECS_DIR / "tag.toml").unlink()
    code, out, _ = run(capsys, "check", "--project", str(project))
    assert code == 1
    assert f"orphan: {(project / PLANS_DIR / 'tags-crud.md').as_posix()}\n" in out
    assert "  no spec in .planner/specs makes this plan" in out
    assert out.rstrip().endswith("--prune")
    code, out, _ = run(capsys, "render", "--project", str(project), "--prune")
    assert code == 0
    assert "removed " in out
    assert tuple(plans(project)) == PLANS[:2]
    assert run(capsys, "check", "--project", str(project))[0] == 0


def test_user_files_in_plans_dir_are_not_orphans(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / PLANS_DIR / "notes.md").write_text("# my notes\n", encoding="utf-8")
    assert run(capsys, "check", "--project", str(project))[0] == 0


def test_render_refuses_to_replace_a_users_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    mine = root / PLANS_DIR / "notes-crud.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# my own plan\n", encoding="utf-8")
    code, out, err = run(capsys, "render", "--project", str(root))
    assert code == 2
    assert "not written by planner" in err and "notes-crud.md" in err
    assert "hint: move the file away, or pass --force" in err
    assert not (root / PLANS_DIR / "items-crud.md").exists(), "all or nothing"
    assert mine.read_text(encoding="utf-8") == "# my own plan\n"
    code, out, _ = run(capsys, "check", "--project", str(root))
    assert code == 1
    assert "no planner provenance header" in out
    assert run(capsys, "render", "--project", str(root), "--force")[0] == 0
    assert parse_header(mine.read_text(encoding="utf-8")) is not None


LLM = '[tool.planner.llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m1"\n'
REFINEMENT = "## Refinements\n\n### Open questions\n\n- Reuse `get_current_user`.\n"


def cache_refinement(project: Path, spec_file: Path) -> None:
    """Store a model's answer for the plan's prompt, as `planner refine` would."""
    spec = read_spec(spec_file).spec
    plan = make_plan(spec, request=prepare(spec, project=project))
    prompt = build_prompt(
        plan, spec=spec, settings=load_config(project).llm, project=project
    )
    entry = {
        "format": CACHE_FORMAT,
        "prompt_sha256": prompt.sha256,
        "answer": REFINEMENT,
        "model": "m1",
        "host": "127.0.0.1:9",
        "finish_reason": "stop",
    }
    path = cache_path(project, prompt.sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry), encoding="utf-8")


@pytest.fixture
def refined(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The project with items-crud.md refined from a cached answer (no network)."""
    (project / "pyproject.toml").write_text(LLM, encoding="utf-8")
    assert run(capsys, "render", "--project", str(project))[0] == 0
    spec = project / SPECS_DIR / "item.toml"
    cache_refinement(project, spec)
    plan = project / PLANS_DIR / "items-crud.md"
    argv = ["refine", str(plan), "--project", str(project), "--spec", str(spec)]
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    header = parse_header(plan.read_text(encoding="utf-8"))
    assert header is not None and header.is_refined
    return plan


def test_refined_plans_reapply_their_cached_answer(
    project: Path, refined: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = refined.read_bytes()
    assert run(capsys, "check", "--project", str(project))[:2] == (
        0,
        "3 plans match their specs\n",
    )
    code, out, _ = run(capsys, "render", "--project", str(project))
    assert (code, out) == (0, "3 plans: 0 written\n")
    assert refined.read_bytes() == text


def test_refined_plans_with_changed_inputs(
    project: Path, refined: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(project, "item.toml", "item", length=12)
    code, out, _ = run(capsys, "check", "--project", str(project))
    assert code == 1
    assert "  the plan on disk was refined by m1 at 127.0.0.1:9 and no cached" in out
    assert "  spec hash (the spec changed): " in out
    code, _, err = run(capsys, "render", "--project", str(project))
    assert code == 2 and "refined by an LLM" in err
    assert "then run `planner refine` on it again" in err
    assert run(capsys, "render", "--project", str(project), "--force")[0] == 0
    header = parse_header(refined.read_text(encoding="utf-8"))
    assert header is not None and not header.is_refined


def test_named_specs_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_spec(project, "note.toml", "note", length=80)
    (project / SPECS_DIR / "tag.toml").unlink()
    argv = ["--project", str(project)]
    code, out, _ = run(capsys, "check", "item", *argv)
    assert (code, out) == (0, "1 plan matches its spec\n")
    spec = project / SPECS_DIR / "note.toml"
    code, out, _ = run(capsys, "check", str(spec), *argv)
    assert code == 1
    assert "orphan" not in out
    assert out.rstrip().endswith(
        f"planner render {spec.as_posix()} --project {project}"
    )
    code, _, err = run(capsys, "check", "nope", *argv)
    assert code == 2
    assert "nope: no such spec file or spec name" in err
    assert "hint: specs in .planner/specs: item, note" in err
    code, _, err = run(capsys, "render", "item", "--prune", *argv)
    assert code == 2 and "--prune needs every spec" in err


def test_two_specs_with_one_plan_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path, "a.toml", "item")
    write_spec(tmp_path, "b.toml", "item", length=9)
    code, _, err = run(capsys, "check", "--project", str(tmp_path))
    assert code == 2
    assert "gives plan 'items-crud', as" in err and "a.toml does" in err


def test_no_specs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--project", str(tmp_path))
    assert (code, out) == (0, "no specs and no plans found\n")
    code, _, err = run(capsys, "check", "--project", str(tmp_path / "nope"))
    assert code == 2 and "does not exist" in err


def test_folders_and_layout_come_from_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.planner]\nspecs_dir = "plan/specs"\n'
        'plans_dir = "plan/out"\n',
        encoding="utf-8",
    )
    spec = tmp_path / "plan" / "specs" / "item.toml"
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC.format(name="item", length=5), encoding="utf-8")
    assert run(capsys, "render", "--project", str(tmp_path))[0] == 0
    plan = tmp_path / "plan" / "out" / "items-crud.md"
    assert plan.is_file()
    # The plan names the file it is kept in.
    assert "Guidance only, no code: `plan/out/items-crud.md`." in plan.read_text(
        encoding="utf-8"
    )
    assert ".claude/docs" not in plan.read_text(encoding="utf-8")
    with (tmp_path / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool.planner.layout]\nroute_module = "src/api/{plural}.py"\n')
    code, out, _ = run(capsys, "check", "--project", str(tmp_path))
    assert code == 1
    assert "  project facts hash (what the plan says of the project changed): " in out
    assert "+" in out and "src/api/items.py" in out


def test_bad_config_is_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.planner]\nplan_dir = "x"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "check", "--project", str(tmp_path))
    assert code == 2
    assert "pyproject.toml: tool.planner.plan_dir: unknown setting" in err
    assert "did you mean 'plans_dir'?" in err


# `planner new` keeps the spec it planned from, so `check` can verify the plan.


def test_new_copies_the_spec_and_check_agrees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(tmp_path)]  # fmt: skip
    code, out, _ = run(capsys, *argv)
    copy = tmp_path / SPECS_DIR / "items-crud.toml"
    plan = tmp_path / PLANS_DIR / "items-crud.md"
    assert code == 0
    assert out.splitlines() == [f"spec: {copy.as_posix()}", plan.as_posix()]
    kept = copy.read_text(encoding="utf-8")
    assert kept == "#:schema .schema/crud-resource.json\n" + ITEMS.read_text("utf-8")
    assert run(capsys, "check", "--project", str(tmp_path))[:2] == (
        0,
        "1 plan matches its spec\n",
    )
    # The same spec again: the copy is already there, only the plan is refused.
    code, _, err = run(capsys, *argv)
    assert code == 2 and "items-crud.md" in err
    code, out, _ = run(capsys, *argv, "--force")
    assert (code, out) == (0, f"{plan.as_posix()}\n")


def test_a_json_plan_from_new_is_explained_by_new_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The commands say that render and check keep Markdown plans."""
    argv = ["new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(tmp_path), "--format", "json"]  # fmt: skip
    code, out, err = run(capsys, *argv)
    markdown = (tmp_path / PLANS_DIR / "items-crud.md").as_posix()
    assert code == 0
    assert out.splitlines()[-1] == (tmp_path / PLANS_DIR / "items-crud.json").as_posix()
    assert f"keep this spec's plan as Markdown ({markdown})" in err
    code, out, _ = run(capsys, "check", "--project", str(tmp_path))
    assert code == 1
    spec = (tmp_path / SPECS_DIR / "items-crud.toml").as_posix()
    assert out.splitlines()[:2] == [
        f"missing: {markdown} (spec {spec})",
        "  items-crud.json is the plan as JSON; render and check keep the"
        " Markdown plan",
    ]
    assert run(capsys, "render", "--project", str(tmp_path))[0] == 0
    assert run(capsys, "check", "--project", str(tmp_path))[0] == 0


def test_new_refuses_to_replace_a_different_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / SPECS_DIR / "items-crud.toml"
    copy.parent.mkdir(parents=True)
    copy.write_text(SPEC.format(name="item", length=5), encoding="utf-8")
    argv = ["new", "crud-resource", "--spec", str(ITEMS), "--no-input",
            "--project", str(tmp_path)]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "a different spec of this name exists" in err
    assert not (tmp_path / PLANS_DIR).exists(), "refused before writing anything"
    assert run(capsys, *argv, "--force")[0] == 0
    kept = copy.read_text(encoding="utf-8")
    assert kept == "#:schema .schema/crud-resource.json\n" + ITEMS.read_text("utf-8")


def test_new_from_specs_dir_does_not_copy(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / SPECS_DIR / "item.toml"
    code, out, _ = run(
        capsys, "new", "crud-resource", "--spec", str(spec), "--no-input",
        "--project", str(project), "--force",
    )  # fmt: skip
    assert code == 0 and "spec:" not in out
    assert sorted(p.name for p in (project / SPECS_DIR).iterdir()) == [
        "item.toml",
        "note.toml",
        "tag.toml",
    ]


def test_new_to_stdout_keeps_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(
        capsys, "new", "crud-resource", "--spec", str(ITEMS), "--no-input",
        "--project", str(tmp_path), "--out", "-",
    )  # fmt: skip
    assert code == 0
    assert not any(tmp_path.iterdir())


# Provenance headers, parsed.


def test_parse_header() -> None:
    line = (
        "<!-- planner 1.2.3 | blueprint crud-resource 1.0.0 | knowledge 2026-11 | "
        "spec sha256:0123456789abcdef | project sha256:fedcba9876543210 -->\n# Plan"
    )
    assert parse_header(line) == Header(
        planner="1.2.3",
        blueprint="crud-resource",
        blueprint_version="1.0.0",
        knowledge="2026-11",
        spec="0123456789abcdef",
        project="fedcba9876543210",
    )
    assert parse_header("# Plan\n") is None
    assert parse_header("") is None


def test_describe_changes_names_every_part() -> None:
    old = Header("1", "crud-resource", "1.0.0", "2026-01", "aa", "bb")
    new = Header("2", "crud-resource", "1.1.0", "2026-11", "cc", "dd")
    assert describe_changes(old, new) == (
        "planner version: 1 -> 2",
        "blueprint version: 1.0.0 -> 1.1.0",
        "knowledge date: 2026-01 -> 2026-11",
        "spec hash (the spec changed): aa -> cc",
    )
    # Alone, a changed project hash is named: the project, not the spec, moved.
    moved = Header("1", "crud-resource", "1.0.0", "2026-01", "aa", "ee")
    assert describe_changes(old, moved) == (
        "project facts hash (what the plan says of the project changed): bb -> ee",
    )
    assert describe_changes(old, old)[0].startswith("provenance is the same")
    assert describe_changes(None, new) == (
        "the file on disk has no planner provenance header",
    )


def test_fix_command_quotes() -> None:
    assert fix_command(Path(), prune=False) == "planner render"
    assert (
        fix_command(Path("my app"), [Path("a b.toml")], prune=True)
        == "planner render 'a b.toml' --project 'my app' --prune"
    )


# Same inputs, same bytes: hash seed, locale, working directory, file order.


def cli(
    *argv: str, cwd: Path, seed: str, locale: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": locale, "LANG": locale}
    return subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def make_unordered_project(root: Path) -> Path:
    """The same three specs, created in another order under other file names."""
    root.mkdir(parents=True)
    for index, file in ((2, "z-tags.toml"), (0, "y-items.toml"), (1, "a-notes.toml")):
        write_spec(root, file, NAMES[index])
    return root


def test_same_bytes_across_seed_locale_folder_and_file_order(tmp_path: Path) -> None:
    first = make_project(tmp_path / "one")
    second = make_unordered_project(tmp_path / "deep" / "er" / "two")
    a = cli("render", cwd=first, seed="0", locale="C")
    b = cli("render", "--project", str(second), cwd=tmp_path, seed="4242",
            locale="C.UTF-8")  # fmt: skip
    assert (a.returncode, b.returncode) == (0, 0), a.stderr + b.stderr
    assert plans(first) == plans(second)
    assert tuple(plans(first)) == PLANS
    for text in plans(first).values():
        assert str(tmp_path).encode() not in text


def test_check_reports_the_same_across_seed_locale_and_file_order(
    tmp_path: Path,
) -> None:
    reports = []
    for root, seed, locale in (
        (make_project(tmp_path / "one", order=(2, 1, 0)), "1", "C"),
        (make_project(tmp_path / "two", order=(0, 2, 1)), "99", "C.UTF-8"),
    ):
        assert cli("render", cwd=root, seed=seed, locale=locale).returncode == 0
        for name in NAMES:
            write_spec(root, f"{name}.toml", name, length=7)
        result = cli("check", cwd=root, seed=seed, locale=locale)
        assert result.returncode == 1
        reports.append(result.stdout)
    assert reports[0] == reports[1]
    assert reports[0].index("items-crud") < reports[0].index("notes-crud")
    assert reports[0].index("notes-crud") < reports[0].index("tags-crud")


def test_pack_files_are_rendered_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("copier")
    pack = (ROOT / "packs" / "example").as_posix()
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.planner]\npacks = ["{pack}"]\n', encoding="utf-8"
    )
    write_spec(tmp_path, "item.toml", "item")
    code, out, _ = run(capsys, "render", "--project", str(tmp_path))
    adr = tmp_path / "docs" / "adr" / "items-crud.md"
    assert code == 0
    assert f"written {adr.as_posix()} (pack example)" in out
    assert out.splitlines()[-1] == "1 plan: 1 written"
    code, out, _ = run(capsys, "check", "--project", str(tmp_path))
    assert (code, out) == (0, "1 plan matches its spec, with 2 pack files\n")
    adr.write_text(adr.read_text(encoding="utf-8") + "my edit\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--project", str(tmp_path))
    assert code == 1
    assert f"stale: {adr.as_posix()} (pack example, spec " in out
    assert "  pack 'example' renders it differently" in out
    assert "-my edit" in out
    assert "1 of 1 plans and 2 pack files are out of date" in out


def test_pre_commit_hook() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = hooks
    assert hook["id"] == "planner-check"
    assert (hook["entry"], hook["language"]) == ("planner check", "python")
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in (
        ".planner/specs/items-crud.toml",
        ".claude/docs/x.md",
        "pyproject.toml",
    ):
        assert files.search(path), path
    for path in ("app/main.py", "docs/x.md", "sub/pyproject.toml"):
        assert not files.search(path), path


def test_check_stays_light(project: Path) -> None:
    """No terminal, network or copier libraries: fast enough for pre-commit."""
    code = (
        "import sys\n"
        "from planner.cli.main import main\n"
        f"assert main(['check', '--project', {str(project)!r}]) == 0\n"
        "heavy = ('questionary', 'prompt_toolkit', 'httpx', 'copier')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_an_unrelated_new_file_keeps_plans_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = main
    spec = EXAMPLES / "crud-items.toml"
    argv = ["--project", str(tmp_path)]
    assert cli(["new", "crud-resource", "--spec", str(spec), "--no-input", *argv]) == 0
    assert cli(["check", *argv]) == 0
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "unrelated.py").write_text("X = 1\n", encoding="utf-8")
    assert cli(["check", *argv]) == 0, "a file the plan never names changes nothing"
    (tmp_path / "app" / "main.py").write_text("app = None\n", encoding="utf-8")
    assert cli(["check", *argv]) == 0, "a file the plan creates is planned as absent"


def test_parse_header_with_a_context_and_a_refinement() -> None:
    line = (
        "<!-- planner 0.1.0 | blueprint crud-resource 1.0.0 | knowledge 2026-11"
        " | spec sha256:ab12 | project sha256:cd34 | context notes/a b.md"
        " | refined by m at h | prompt sha256:ef56 -->"
    )
    header = parse_header(line)
    assert header is not None
    assert header.context == "notes/a b.md"
    assert header.is_refined and header.extra.startswith("refined by m at h")
    plain = parse_header(line.replace(" | context notes/a b.md", ""))
    assert plain is not None and plain.context == ""
    assert "session context file: - -> notes/a b.md" in describe_changes(plain, header)
