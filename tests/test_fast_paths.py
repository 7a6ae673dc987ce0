"""The fast paths of docs/performance.md give the same bytes as the slow ones."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from planner import _batch, _knowledge, _render
from planner._engine import build_plan
from planner._knowledge import load_knowledge, parse_knowledge
from planner._rules import MODULES
from planner._store import load_spec, parse_spec, read_spec, spec_from_text
from planner._sync import check_all, render_all
from planner.blueprint import registered_rules
from planner.errors import SpecError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/crud-items.toml"


def test_plan_template_is_precompiled_and_current() -> None:
    """Plans render from planner/_plan_template.py, not a fresh compile."""
    template = _render._template()
    assert Path(template.filename or "").name == "_plan_template.py", (
        "stale; run `python tools/gen_docs.py`"
    )
    assert _render.precompiled_source() == (
        ROOT / "planner" / "_plan_template.py"
    ).read_text(encoding="utf-8")


def test_precompiled_and_compiled_template_render_alike() -> None:
    compiled = _render._environment().get_template(_render.TEMPLATE)
    for path in sorted((ROOT / "tests" / "golden").glob("*/spec.toml")):
        context = _render.template_context(build_plan(read_spec(path).spec))
        assert _render._template().render(context) == compiled.render(context), path


def _modules_loaded_by(argv: list[str]) -> set[str]:
    """Run `planner ARGV` in a new process; return the modules it imported."""
    code = (
        "import sys, io, contextlib\n"
        "from planner._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main({argv!r})\n"
        "assert rc == 0, rc\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_a_plan_without_packs_loads_no_pack_module() -> None:
    loaded = _modules_loaded_by(
        ["new", "crud-resource", "--no-input", "--out", "-", "--spec", EXAMPLE]
    )
    assert not {m for m in loaded if m.startswith("planner._pack")}


SPECS = sorted(
    [*(ROOT / "examples").glob("*.toml"), *(ROOT / "tests" / "golden").glob("*/*.toml")]
)
BROKEN = [
    'kind = "crud-resource"\n[resource\nname = "x"\n',
    'kind = "crud-resource"\nkind = "endpoint"\n',
    "kind = crud-resource\n",
    '[resource]\nname = "x"\n',
    'kind = "crud-resource"\n[resource]\nname = "Bad Name"\noperations = ["list"]\n',
    'kind = "crud-resourse"\n',
    "x" * 1_000_001,
]


def _outcome(parse: Callable[[str], object], text: str) -> object:
    try:
        return parse(text)
    except SpecError as err:
        return (type(err), str(err), err.where, err.hint)


@pytest.mark.parametrize("batch", [False, True])
@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.parent.name + "/" + p.name)
def test_load_spec_reads_what_read_spec_reads(path: Path, batch: bool) -> None:
    assert load_spec(path, batch=batch) == read_spec(path).spec


@pytest.mark.parametrize("batch", [False, True])
@pytest.mark.parametrize("text", BROKEN, ids=range(len(BROKEN)))
def test_spec_from_text_fails_as_parse_spec_does(text: str, batch: bool) -> None:
    slow = _outcome(lambda t: parse_spec(t, source="s.toml").spec, text)
    fast = _outcome(lambda t: spec_from_text(t, source="s.toml", batch=batch), text)
    assert isinstance(slow, tuple)
    assert fast == slow


def test_a_plan_from_a_spec_file_loads_no_tomlkit() -> None:
    loaded = _modules_loaded_by(
        ["new", "crud-resource", "--no-input", "--out", "-", "--spec", EXAMPLE]
    )
    assert "tomlkit" not in loaded


@pytest.mark.parametrize("command", ["render", "check"])
def test_plans_that_are_not_refined_load_no_refinement(
    tmp_path: Path, command: str
) -> None:
    specs = tmp_path / ".planner" / "specs"
    specs.mkdir(parents=True)
    (specs / "items.toml").write_text(
        (ROOT / EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8"
    )
    if command == "check":
        render_all(tmp_path)  # so that the check passes
    loaded = _modules_loaded_by([command, "--project", str(tmp_path)])
    assert not {m for m in loaded if m.startswith("planner._refine")}
    assert "difflib" not in loaded


def test_each_rule_is_found_by_its_prefix() -> None:
    for rule_id, item in registered_rules().items():
        prefix = rule_id.partition(".")[0]
        module = item.fn.__module__.rpartition(".")[2]
        assert module in MODULES[prefix], rule_id


def test_a_crud_plan_loads_no_auth_or_endpoint_rules() -> None:
    loaded = _modules_loaded_by(
        ["new", "crud-resource", "--no-input", "--out", "-", "--spec", EXAMPLE]
    )
    rules = {m.rpartition(".")[2] for m in loaded if m.startswith("planner._rules.")}
    assert not {m for m in rules if m.startswith(("auth", "endpoint"))}


def test_knowledge_loads_the_checked_notes_unchanged() -> None:
    """load_knowledge uses planner/_knowledge_data.py, equal to parsing the file."""
    raw = (ROOT / "blueprints" / "knowledge.toml").read_bytes()
    checked = _knowledge._checked(hashlib.sha256(raw).hexdigest())
    assert checked is not None, "stale; run `python tools/gen_docs.py`"
    assert checked == parse_knowledge(raw.decode("utf-8"))
    assert load_knowledge() == checked


def _many_specs(root: Path, count: int) -> Path:
    """A project with `count` crud-resource specs of varied names and options."""
    example = (ROOT / EXAMPLE).read_text(encoding="utf-8")
    specs = root / ".planner" / "specs"
    specs.mkdir(parents=True)
    styles = ("offset", "page", "cursor")
    for n in range(count):
        text = example.replace('name = "item"', f'name = "thing{n}"')
        text = text.replace('style = "offset"', f'style = "{styles[n % 3]}"')
        (specs / f"s{n:03d}.toml").write_text(text, encoding="utf-8")
    return root


def _plans(root: Path) -> dict[str, str]:
    docs = root / ".claude" / "docs"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(docs.iterdir())}


def test_workers_render_the_bytes_one_process_renders(tmp_path: Path) -> None:
    count = _batch.MIN_SPECS + 5
    one, many = (
        _many_specs(tmp_path / "one", count),
        _many_specs(tmp_path / "many", count),
    )
    serial = render_all(one, jobs=1)
    parallel = render_all(many, jobs=2)
    assert [(r.action, Path(r.plan).name) for r in parallel] == [
        (r.action, Path(r.plan).name) for r in serial
    ]
    assert _plans(many) == _plans(one)
    assert len(_plans(many)) == count
    assert check_all(many, jobs=2).is_ok


@pytest.mark.parametrize("broken", ["invalid", "duplicate"])
def test_workers_raise_the_error_one_process_raises(
    tmp_path: Path, broken: str
) -> None:
    root = _many_specs(tmp_path, _batch.MIN_SPECS + 5)
    specs = root / ".planner" / "specs"
    if broken == "invalid":
        (specs / "s030.toml").write_text('kind = "crud-resource"\n', encoding="utf-8")
    else:
        text = (specs / "s010.toml").read_text(encoding="utf-8")
        (specs / "s040.toml").write_text(text, encoding="utf-8")
    (specs / "s045.toml").write_text(
        "kind = [\n", encoding="utf-8"
    )  # later: not raised
    errors = []
    for jobs in (1, 2):
        with pytest.raises(SpecError) as caught:
            render_all(root, jobs=jobs)
        errors.append((str(caught.value), caught.value.where, caught.value.hint))
    assert errors[0] == errors[1]
    assert not (root / ".claude").exists()  # nothing written


def _big_result(path: Path) -> str:
    return path.name * 20_000  # larger than a pipe's buffer, as plans are


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.skipif(_batch.worker_count(2, jobs=2) < 2, reason="workers need Linux")
def test_leaving_the_workers_early_ends_them_cleanly() -> None:
    """Stopping after a few results must not hang or leave workers behind."""
    paths = [Path(f"spec{i:03d}.toml") for i in range(120)]
    for _ in range(10):
        with _batch.run_in_workers(paths, _big_result, workers=2) as results:
            first = [next(results) for _ in range(3)]
        assert first == [_big_result(p) for p in paths[:3]]
        assert _no_children_left()


def _dies_at_five(path: Path) -> str:
    if path.name == "spec005.toml":
        os._exit(3)  # the worker dies, as on a crash or the OOM killer
    if path.name == "spec002.toml":
        raise ValueError("a spec that cannot be built")
    return path.name


@pytest.mark.skipif(_batch.worker_count(2, jobs=2) < 2, reason="workers need Linux")
def test_what_a_worker_did_not_give_is_left_to_the_caller() -> None:
    # None means "build it yourself": for a job that raised, and for every
    # path of a worker that died; the other worker's results still come.
    paths = [Path(f"spec{i:03d}.toml") for i in range(12)]
    with _batch.run_in_workers(paths, _dies_at_five, workers=2) as results:
        got = list(results)
    odd_from_five = {f"spec{i:03d}.toml" for i in range(5, 12, 2)}
    assert got == [
        None if p.name in odd_from_five or p.name == "spec002.toml" else p.name
        for p in paths
    ]
    assert _no_children_left()


@pytest.mark.skipif(_batch.worker_count(2, jobs=2) < 2, reason="workers need Linux")
def test_no_workers_are_forked_beside_other_threads() -> None:
    # A forked child would get a copy of the other threads' locks, possibly
    # held; a batch then runs in the calling process unless jobs is given.
    cpus = len(os.sched_getaffinity(0))
    assert _batch.worker_count(1000, jobs=None) == cpus
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert _batch.worker_count(1000, jobs=None) == 1
        assert _batch.worker_count(1000, jobs=2) == 2
    finally:
        release.set()
        thread.join()


@pytest.mark.skipif(_batch.worker_count(2, jobs=2) < 2, reason="workers need Linux")
def test_workers_take_any_sequence_of_paths() -> None:
    import collections

    paths = collections.deque(Path(f"spec{i:03d}.toml") for i in range(7))
    with _batch.run_in_workers(paths, _dies_at_five, workers=3) as results:
        got = list(results)
    assert got[:2] == ["spec000.toml", "spec001.toml"]
    assert got[2] is None and got[5] is None  # raised; the worker died
    assert _no_children_left()
