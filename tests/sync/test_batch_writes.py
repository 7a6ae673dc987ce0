"""`planner render` writes every plan or none, and touches only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.config import load_config
from planner.errors import OutputExistsError, PlannerError, SpecError, WriteError
from planner.specfile import commit_write, make_folder, stage_write
from planner.sync.plans import render_all
from planner.sync.targets import spec_files, spec_paths
from tests.paths import ROOT

EXAMPLE = (ROOT / "examples" / "crud-items.toml").read_text(encoding="utf-8")
COUNT = 40


def _project(root: Path, count: int = COUNT) -> Path:
    """A project with `count` crud-resource specs, plans `thing<n>`, in name order."""
    specs = root / ".planner" / "specs"
    specs.mkdir(parents=True)
    for n in range(count):
        text = EXAMPLE.replace('name = "item"', f'name = "thing{n:03d}"')
        (specs / f"s{n:03d}.toml").write_text(text, encoding="utf-8")
    return root


def _tree(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under the plans folder: inode, mtime and bytes."""
    docs = root / ".claude" / "docs"
    if not docs.is_dir():
        return {}
    return {
        p.relative_to(docs).as_posix(): (
            p.stat().st_ino,
            p.stat().st_mtime_ns,
            p.read_bytes(),
        )
        for p in sorted(docs.rglob("*"))
        if p.is_file()
    }


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _plan_name(root: Path, n: int) -> Path:
    return root / ".claude" / "docs" / f"thing{n:03d}s-crud.md"


def _error(err: PlannerError, root: Path) -> tuple[type[PlannerError], str, str | None]:
    """The error as printed, the same whichever folder the project is in."""
    return type(err), str(err).replace(str(root), "ROOT"), err.hint


def test_a_batch_leaves_only_its_plans(tmp_path: Path) -> None:
    root = _project(tmp_path)
    results = render_all(root)
    assert [r.action for r in results] == ["written"] * COUNT
    names = _names(root / ".claude" / "docs")
    assert names == sorted(Path(r.plan).name for r in results)  # no temporary file


def test_identical_plans_are_not_touched(tmp_path: Path) -> None:
    root = _project(tmp_path)
    render_all(root)
    before = _tree(root)
    results = render_all(root)
    assert [r.action for r in results] == ["unchanged"] * COUNT
    assert _tree(root) == before  # same inodes and times: nothing was rewritten


def test_only_changed_plans_are_rewritten(tmp_path: Path) -> None:
    root = _project(tmp_path)
    render_all(root)
    before = _tree(root)
    _plan_name(root, 7).write_text("# edited\n", encoding="utf-8")
    edited = _tree(root)
    spec = root / ".planner" / "specs" / "s030.toml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace('style = "offset"', 'style = "page"'), "utf-8")
    results = render_all(root, force=True)
    written = [Path(r.plan).name for r in results if r.action == "written"]
    assert written == [_plan_name(root, 7).name, _plan_name(root, 30).name]
    after = _tree(root)
    assert after[_plan_name(root, 7).name][2] == before[_plan_name(root, 7).name][2]
    unchanged = set(after) - set(written)
    assert {k: after[k] for k in unchanged} == {k: edited[k] for k in unchanged}


@pytest.mark.parametrize("existing", [False, True])
def test_a_late_invalid_spec_writes_nothing(tmp_path: Path, existing: bool) -> None:
    """Plans built and staged before the error leave no trace, nor their folder."""
    errors, trees = [], []
    for copy in ("a", "b"):  # the same outcome in any folder
        root = _project(tmp_path / copy)
        if existing:
            render_all(root)
            for n in range(COUNT):
                _plan_name(root, n).write_text(
                    _plan_name(root, n).read_text(encoding="utf-8") + "stale\n",
                    encoding="utf-8",
                )
        before = _tree(root)
        bad = root / ".planner" / "specs" / f"s{COUNT - 2:03d}.toml"
        bad.write_text('kind = "crud-resource"\n', encoding="utf-8")
        with pytest.raises(SpecError) as caught:
            render_all(root)
        errors.append(_error(caught.value, root))
        assert _tree(root) == before
        assert (root / ".claude").exists() == existing
        trees.append({k: v[2] for k, v in _tree(root).items()})
    assert errors[0] == errors[1]
    assert trees[0] == trees[1]


def test_a_users_file_in_the_middle_is_refused_first(tmp_path: Path) -> None:
    root = _project(tmp_path)
    docs = root / ".claude" / "docs"
    docs.mkdir(parents=True)
    _plan_name(root, 20).write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(OutputExistsError) as caught:
        render_all(root)
    assert _plan_name(root, 20).as_posix() in str(caught.value)
    assert _names(docs) == [_plan_name(root, 20).name]


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_in_a_plans_place_stops_the_batch_first(
    tmp_path: Path, force: bool
) -> None:
    """Each plan's file is read while building: the error comes before any write."""
    outcomes = []
    for copy in ("a", "b"):  # the same outcome in any folder
        root = _project(tmp_path / copy)
        _plan_name(root, 20).mkdir(parents=True)
        with pytest.raises(PlannerError) as caught:
            render_all(root, force=force)
        assert caught.value.where == str(_plan_name(root, 20))
        outcomes.append(
            (*_error(caught.value, root), _names(_plan_name(root, 0).parent))
        )
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][-1] == [_plan_name(tmp_path, 20).name]


def test_an_error_while_writing_comes_in_its_turn(tmp_path: Path) -> None:
    """The files before it are written, none after it, and no temporary file stays."""
    pytest.importorskip("copier")
    pack = (ROOT / "packs" / "example").as_posix()
    outcomes = []
    for copy in ("a", "b"):  # the same outcome in any folder
        root = _project(tmp_path / copy, 4)
        (root / "pyproject.toml").write_text(
            f'[tool.planner]\npacks = ["{pack}"]\n', encoding="utf-8"
        )
        (root / "docs" / "adr" / "thing002s-crud.md").mkdir(parents=True)
        with pytest.raises(PlannerError) as caught:
            render_all(root)
        files = sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and ".planner" not in p.parts and p.name != "pyproject.toml"
        )
        outcomes.append((*_error(caught.value, root), files))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][-1] == [
        ".claude/docs/thing000s-crud.md",
        ".claude/docs/thing000s-crud.review.md",
        ".claude/docs/thing001s-crud.md",
        ".claude/docs/thing001s-crud.review.md",
        ".claude/docs/thing002s-crud.md",
        ".claude/docs/thing002s-crud.review.md",
        "docs/adr/thing000s-crud.md",
        "docs/adr/thing001s-crud.md",
    ]


def test_staged_writes_report_errors_as_write_atomic_does(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(WriteError) as caught:
        make_folder(blocker / "sub" / "plan.md", made=[])
    assert caught.value.hint == "check the folder exists and is writable"
    made: list[Path] = []
    target = tmp_path / "a" / "b" / "plan.md"
    make_folder(target, made=made)
    assert made == [tmp_path / "a", tmp_path / "a" / "b"]
    tmp = stage_write(target, "text")
    assert not target.exists()
    assert tmp.parent == target.parent
    commit_write(tmp, target)
    assert target.read_text(encoding="utf-8") == "text"
    assert _names(target.parent) == ["plan.md"]
    lost = stage_write(target, "again")
    lost.parent.rename(tmp_path / "moved")
    with pytest.raises(WriteError):
        commit_write(lost, target)


def test_spec_files_lists_what_glob_lists(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    for name in ("b.toml", "a.toml", ".hidden.toml", "notes.md", "c.TOML"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "dir.toml").mkdir()
    (folder / "link.toml").symlink_to(folder / "a.toml")
    (folder / "dangling.toml").symlink_to(folder / "gone.toml")
    expected = sorted(
        (p for p in folder.glob("*.toml") if p.is_file() and p.name[0] != "."),
        key=lambda p: p.name,
    )
    assert spec_files(folder) == expected
    assert spec_files(tmp_path / "none") == []


def test_a_spec_named_twice_is_built_once(tmp_path: Path) -> None:
    root = _project(tmp_path, 3)
    specs = root / ".planner" / "specs"
    (specs / "z-link.toml").symlink_to(specs / "s001.toml")
    config = load_config(root)
    assert [p.name for p in spec_paths(root, config, [])] == [
        "s000.toml",
        "s001.toml",
        "s002.toml",
    ]
    named = [specs / "s002.toml", Path("s002"), specs / "z-link.toml"]
    assert spec_paths(root, config, named) == [
        specs / "s002.toml",
        specs / "z-link.toml",
    ]
