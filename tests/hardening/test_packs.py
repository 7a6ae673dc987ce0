"""Hostile packs: bounded manifests, no `.GIT/` by another case."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec
from planner.errors import PackError
from planner.packs.apply import PackedPlan, apply_packs
from tests.paths import EXAMPLES

META = '_planner: {kinds: [crud-resource], planner: ">=0.1,<1"}\n'
BOMB = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))


def pack(root: Path, config: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True)
    (root / "copier.yml").write_text(
        "_subdirectory: template\n" + META + config, encoding="utf-8"
    )
    for relative, text in (files or {"NOTE.md": "x\n"}).items():
        path = root / "template" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def apply(tmp_path: Path, source: Path) -> PackedPlan:
    spec = read_spec(EXAMPLES / "crud-items.toml").spec
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    plan = make_plan(spec, request=prepare(spec, project=project))
    return apply_packs(spec, plan, project=project, fmt="markdown", extra=[str(source)])


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("l0: &l0 [a, b]\n" + BOMB, "aliases"),
        (
            "l0: &l0 [a, b]\n" + BOMB.replace(", ".join(["*l0"] * 9), "*l0"),
            "expands to over",
        ),
        ("deep: " + "[" * 20_000 + "]" * 20_000 + "\n", "levels deep"),
    ],
)
def test_hostile_manifests_are_refused_quickly(
    tmp_path: Path, config: str, says: str
) -> None:
    source = pack(tmp_path / "pack", config)
    started = time.monotonic()
    with pytest.raises(PackError, match=says):
        apply(tmp_path, source)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("folder", [".GIT", ".Git", ".git"])
def test_packs_cannot_write_into_git_by_any_case(tmp_path: Path, folder: str) -> None:
    source = pack(
        tmp_path / "pack", "", {"NOTE.md": "x\n", f"{folder}/hooks/post-checkout": "y"}
    )
    try:
        written = [item.path for item in apply(tmp_path, source).files]
    except PackError as err:
        assert ".git" in str(err)
        written = []
    assert not any(".git" in path.lower() for path in written)
    assert [p.name for p in (tmp_path / "project").iterdir()] == []


# copier leaves a directory iterator open when a template fails mid-render.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_template_escaping_the_sandbox_is_bad_input(tmp_path: Path) -> None:
    """Crash campaign: a pack's sandbox error was a traceback; now exit 2."""
    from planner.errors import ExitCode, PackInputError

    source = pack(
        tmp_path / "escape",
        "",
        {"NOTE.md.jinja": "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"},
    )
    with pytest.raises(PackInputError) as caught:
        apply(tmp_path, source)
    assert caught.value.exit_code == ExitCode.INVALID_INPUT
    assert "sandbox" in str(caught.value)


def test_a_5000_character_pack_reference_is_bad_input(tmp_path: Path) -> None:
    """Crash campaign: a long pack ref raised OSError (name too long); now exit 2."""
    from planner.cli.main import main

    argv = ["new", "crud-resource", "--spec", str(EXAMPLES / "crud-items.toml")]
    argv += ["--no-input", "--out", "-", "--project", str(tmp_path)]
    assert main([*argv, "--pack", "a" * 5000]) == 2
