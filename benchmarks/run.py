"""Benchmark planner against copier and the import floor; print figures and ratios.

    .venv/bin/python benchmarks/run.py            # full: medians of 15 runs
    .venv/bin/python benchmarks/run.py --quick    # CI: checks it works, no budgets

Every command runs as a child process of the interpreter running this script
(so use the project's venv), interleaved round by round, with bytecode cached
under a temporary PYTHONPYCACHEPREFIX after warm-up runs: "cold" means a new
process, not an empty disk cache. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import gen_tree

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
SPEC = ROOT / "examples" / "crud-items.toml"
FLOOR_CODE = "import jinja2, pydantic, tomlkit"
HEAVY = ("questionary", "prompt_toolkit", "copier", "httpx", "requests", "urllib3")

# Figure labels; tests/test_benchmarks.py checks that each one is printed.
COLD_PLANNER = "cold plan, planner new"
COLD_COPIER = "cold plan, copier copy"
COLD_FLOOR = "import floor"
RATIO_COPIER = "planner / copier"
# Seconds to create one plan's file above which the disk, not planner, sets the
# batch figure: a quiet disk here takes 0.03 to 0.11 ms, one that has just
# deleted thousands of files 0.15 to 1.0 ms.
SLOW_CREATE = 0.25e-3
RATIO_FLOOR = "planner / floor"
BATCH = "batch plans per second"
BATCH_ONE = "batch, one process"
BATCH_LIB = "batch, library: validate + build + render"
BATCH_WRITES = "batch, writing the plans alone"
INSPECT_LIB = "inspect, library call"
INSPECT_CLI = "inspect, whole process"
IMPORT_TOP = "import cost, top modules"
IMPORT_HEAVY = "heavy imports on the non-interactive path"
LABELS = (
    COLD_PLANNER, COLD_COPIER, COLD_FLOOR, RATIO_COPIER, RATIO_FLOOR, BATCH, BATCH_ONE,
    BATCH_LIB, BATCH_WRITES, INSPECT_LIB, INSPECT_CLI, IMPORT_TOP, IMPORT_HEAVY,
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """How much to measure."""

    runs: int
    warmup: int
    specs: int
    passes: int
    tree_files: int
    tree_beside: int
    budgets: bool


FULL = Settings(
    runs=15, warmup=2, specs=1000, passes=5, tree_files=5000, tree_beside=5000,
    budgets=True,
)  # fmt: skip
QUICK = Settings(
    runs=1, warmup=1, specs=40, passes=1, tree_files=200, tree_beside=100,
    budgets=False,
)  # fmt: skip


@dataclass(frozen=True)
class Sample:
    """One process run: wall-clock and CPU (user + system) seconds."""

    wall: float
    cpu: float


class BenchmarkError(Exception):
    """A measured command failed or a check did not hold."""


def _tool(name: str) -> list[str]:
    """Return the venv's console script `name`, beside the running interpreter."""
    script = Path(sys.executable).parent / name
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", name]


def _env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env["NO_COLOR"] = "1"
    return env


def _run_timed(cmd: Sequence[str], *, cwd: Path, env: dict[str, str]) -> Sample:
    """Run `cmd` to completion; return its wall-clock and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # includes the reaped child
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise BenchmarkError(f"{' '.join(cmd)} exited {proc.returncode}: {tail}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Sample(wall=wall, cpu=cpu)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _verdict(ok: bool, settings: Settings) -> str:
    if not settings.budgets:
        return "(not judged in --quick)"
    return "met" if ok else "NOT MET"


# 1. Cold plan ---------------------------------------------------------------


def _cold_commands(scratch: Path) -> dict[str, tuple[Path, list[list[str]]]]:
    """Return, per label, the folder to run in and the commands of one round."""
    project = scratch / "small-project"
    gen_tree.generate(project, files=100, beside=0)
    template = scratch / "copier-template"
    shutil.copytree(BENCH / "copier_template", template)
    answers = BENCH / "copier_answers.yml"
    planner = [*_tool("planner"), "new", "crud-resource"]
    planner += ["--spec", str(SPEC), "--no-input", "--out", "-"]
    copier = [*_tool("copier"), "copy", "--defaults", "--data-file", str(answers)]
    copier += [str(template)]
    floor = [sys.executable, "-c", FLOOR_CODE]
    return {
        COLD_PLANNER: (project, [planner]),
        COLD_COPIER: (scratch, [copier]),
        COLD_FLOOR: (scratch, [floor]),
    }


def _round(
    commands: dict[str, tuple[Path, list[list[str]]]],
    order: list[str],
    *,
    env: dict[str, str],
    dest: Path,
) -> dict[str, Sample]:
    samples: dict[str, Sample] = {}
    for label in order:
        cwd, cmds = commands[label]
        cmd = cmds[0]
        if label == COLD_COPIER:
            shutil.rmtree(dest, ignore_errors=True)
            cmd = [*cmd, str(dest)]
        samples[label] = _run_timed(cmd, cwd=cwd, env=env)
    return samples


def bench_cold(scratch: Path, settings: Settings, env: dict[str, str]) -> None:
    """Measure the three whole-process runs, interleaved, and print medians."""
    commands = _cold_commands(scratch)
    labels = list(commands)
    results: dict[str, list[Sample]] = defaultdict(list)
    for index in range(settings.warmup + settings.runs):
        shift = index % len(labels)  # rotate so no command always goes first
        order = labels[shift:] + labels[:shift]
        samples = _round(commands, order, env=env, dest=scratch / "copier-out")
        if index >= settings.warmup:
            for label, sample in samples.items():
                results[label].append(sample)
    print(f"== 1. cold plan, whole process (median of {settings.runs} runs)")
    wall = {label: _median([s.wall for s in results[label]]) for label in labels}
    cpu = {label: _median([s.cpu for s in results[label]]) for label in labels}
    for label in labels:
        low = min(s.wall for s in results[label])
        print(f"{label:<42}{_ms(wall[label])}  cpu{_ms(cpu[label])}  min{_ms(low)}")
    for name, other, budget in (
        (RATIO_COPIER, COLD_COPIER, 1 / 3),
        (RATIO_FLOOR, COLD_FLOOR, 2.0),
    ):
        ratio = wall[COLD_PLANNER] / wall[other]
        by_cpu = cpu[COLD_PLANNER] / cpu[other]
        ok = _verdict(ratio <= budget, settings)
        # Three decimals: the copier budget is 0.333..., and a median at 0.334
        # must not print as "0.33 ... NOT MET".
        print(
            f"{name:<42}{ratio:8.3f}    (cpu {by_cpu:.3f})"
            f"  budget <= {budget:.3f}: {ok}"
        )


# 2. Batch -------------------------------------------------------------------

_WORDS = (
    "invoice", "order", "ticket", "project", "comment", "article", "device",
    "shipment", "booking", "customer", "product", "review", "payment", "report",
    "task", "note", "event", "asset", "contract", "message",
)  # fmt: skip
_TYPES = (
    "str", "text", "int", "float", "bool", "decimal", "date", "datetime", "uuid",
    "email", "url", "json", "enum",
)  # fmt: skip
_OPERATIONS = ("list", "read", "create", "update", "delete")


def _field_toml(rng: random.Random, name: str) -> str:
    kind = rng.choice(_TYPES)
    lines = ["[[resource.fields]]", f'name = "{name}"', f'type = "{kind}"']
    lines.append(f"required = {str(rng.random() < 0.6).lower()}")
    if kind == "str" and rng.random() < 0.7:
        lines.append(f"max_length = {rng.choice((50, 120, 200, 500))}")
    if kind == "enum":
        lines.append('choices = ["draft", "active", "archived"]')
    if rng.random() < 0.2:
        lines.append("indexed = true")
    return "\n".join(lines)


def spec_text(index: int) -> str:
    """Return the TOML of the `index`-th generated crud-resource spec."""
    rng = random.Random(index)
    name = f"{rng.choice(_WORDS)}_{index}"
    ops = [op for op in _OPERATIONS if rng.random() < 0.8] or ["read"]
    owned = rng.random() < 0.5
    auth = owned or rng.random() < 0.6
    style = rng.choice(("offset", "page", "cursor", "none"))
    fields = [_field_toml(rng, f"attr_{n}") for n in range(rng.randint(1, 8))]
    return "\n".join([
        'kind = "crud-resource"',
        "[resource]",
        f'name = "{name}"',
        f"operations = {json.dumps(ops)}",
        f"owned_by_user = {str(owned).lower()}",
        f'update_method = "{rng.choice(("patch", "put"))}"',
        *fields,
        "[auth]",
        f"required = {str(auth).lower()}",
        "[pagination]",
        f'style = "{style}"',
        "",
    ])  # fmt: skip


def worker_batch(count: int, passes: int) -> dict[str, object]:
    """Validate, build and render `count` specs `passes` times in this process.

    Returns seconds per pass for each stage; TOML is parsed once, beforehand.
    The garbage collector is off, as in the `planner` command
    (planner/_process.py): with it on, the plans kept between stages cost
    2-3 full collections per pass, more than building them.
    """
    import gc

    import planner

    gc.disable()

    data = [tomllib.loads(spec_text(i)) for i in range(count)]
    stages: dict[str, list[float]] = {"validate": [], "build": [], "render": []}
    distinct: set[str] = set()
    for _ in range(passes):
        start = time.perf_counter()
        specs = [planner.validate_spec(item) for item in data]
        built = time.perf_counter()
        plans = [planner.build_plan(spec) for spec in specs]
        rendered = time.perf_counter()
        distinct.update(planner.render_markdown(plan) for plan in plans)
        done = time.perf_counter()
        stages["validate"].append(built - start)
        stages["build"].append(rendered - built)
        stages["render"].append(done - rendered)
    return {"stages": stages, "distinct": len(distinct)}


def _worker(env: dict[str, str], cwd: Path, *args: str) -> dict[str, object]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise BenchmarkError(f"worker {args[0]} failed:\n{proc.stderr.strip()}")
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def _floats(value: object) -> list[float]:
    if not isinstance(value, list):
        raise BenchmarkError(f"worker sent {value!r}, not a list of seconds")
    return [float(item) for item in value]


def _stage_seconds(data: dict[str, object]) -> dict[str, list[float]]:
    stages = data["stages"]
    if not isinstance(stages, dict):
        raise BenchmarkError(f"worker sent {stages!r}, not stages")
    return {str(name): _floats(values) for name, values in stages.items()}


def _render_project(scratch: Path, count: int) -> Path:
    """Return a small project holding `count` specs in `.planner/specs/`."""
    project = scratch / "render-project"
    gen_tree.generate(project, files=100, beside=0)
    specs = project / ".planner" / "specs"
    specs.mkdir(parents=True)
    for index in range(count):
        (specs / f"spec{index:04d}.toml").write_text(spec_text(index), "utf-8")
    return project


def bench_batch(scratch: Path, settings: Settings, env: dict[str, str]) -> None:
    """Print plans per second: `planner render` whole, and the library alone."""
    count = settings.specs
    print(f"== 2. batch: {count} varied crud-resource specs in one command")
    project = _render_project(scratch, count)
    cli = [*_tool("planner"), "render", "--project", str(project)]
    commands = {"default": cli}
    runs: dict[str, list[Sample]] = defaultdict(list)
    writes: list[float] = []
    trash = scratch / "trash"
    for _ in range(settings.passes):
        for name, cmd in commands.items():
            _set_aside(project / ".claude", trash)  # so that every plan is written
            runs[name].append(_run_timed(cmd, cwd=scratch, env=env))
        # The floor under the command: the same plans' bytes, written the same
        # way into the same emptied folder, by a process that does nothing else.
        data = _worker(env, scratch, "writes", str(project), str(trash))
        writes.append(_floats(data["seconds"])[0])
    shutil.rmtree(trash)
    rate = count / _median([s.wall for s in runs["default"]])
    cpu = _median([s.cpu for s in runs["default"]])
    ok = _verdict(rate >= 1000, settings)
    print(
        f"{BATCH:<42}{rate:8.0f} /s  `planner render`, whole command"
        f" (cpu{_ms(cpu)}, workers: one per CPU)"
    )
    print(f"{'':<42}budget >= 1000 /s: {ok}")
    floor = _median(writes)
    print(
        f"{BATCH_WRITES:<42}{_ms(floor)}  (temporary file, write, rename;"
        f" {floor * 1000 / count:.2f} ms per plan)"
    )
    if floor / count > SLOW_CREATE:
        print(
            f"{'':<42}note: creating files is slow on this disk right now, as"
            " after many recent deletions (docs/performance.md, The file"
            " system); the batch figures say more a few minutes later"
        )
    data = _worker(env, scratch, "batch", str(count), str(settings.passes))
    stages = {name: _median(v) for name, v in _stage_seconds(data).items()}
    library = count / sum(stages.values())
    print(
        f"{BATCH_LIB:<42}{library:8.0f} /s  ({data['distinct']} distinct plans, GC off)"
    )
    for name, seconds in stages.items():
        print(f"   {name:<39}{_ms(seconds / count)} per plan")


def _set_aside(folder: Path, trash: Path) -> None:
    """Move `folder` into `trash`, which is deleted after the timed runs.

    Deleting it here would slow the next run: on this machine's ext4 (no
    journal) the kernel skips recently deleted inodes when it creates a file,
    and 1,000 deletions made creating each of the next 1,000 plans cost 0.6
    ms instead of 0.06 ms (seen with `perf`: `recently_deleted`). A project's
    plans are not deleted before every `planner render`; its benchmark should
    not measure the after-effects of doing so.
    """
    if folder.exists():
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{len(list(trash.iterdir())):04d}")


def worker_writes(project: str, trash: str) -> dict[str, object]:
    """Write the plans of `.claude/docs` again as planner does; time only that.

    Reads them, sets `.claude` aside as the benchmark does before each run,
    then writes each through a temporary file in the same folder and a rename.
    """
    docs = Path(project) / ".claude" / "docs"
    plans = {path.name: path.read_bytes() for path in sorted(docs.glob("*.md"))}
    _set_aside(docs.parent, Path(trash))
    start = time.perf_counter()
    docs.mkdir(parents=True)
    for name, data in plans.items():
        fd, tmp = tempfile.mkstemp(dir=docs, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(docs / name)
    return {"seconds": [time.perf_counter() - start], "plans": len(plans)}


# 3. Inspection --------------------------------------------------------------


def worker_inspect(project: str, passes: int) -> dict[str, object]:
    """Time `inspect_project` over the tree `passes` times in this process."""
    from planner.inspect.project import inspect_project

    seconds: list[float] = []
    files = 0
    for _ in range(passes):
        start = time.perf_counter()
        facts = inspect_project(Path(project))
        seconds.append(time.perf_counter() - start)
        files = len(facts.existing)
    return {"seconds": seconds, "files": files}


def bench_inspect(scratch: Path, settings: Settings, env: dict[str, str]) -> None:
    """Print the time to inspect the generated tree, in-process and whole."""
    tree = scratch / "tree"
    start = time.perf_counter()
    gen_tree.generate(tree, files=settings.tree_files, beside=settings.tree_beside)
    made = time.perf_counter() - start
    print(
        f"== 3. inspection: {settings.tree_files} .py files, "
        f"{2 * settings.tree_beside} more in .venv and node_modules "
        f"(generated in {made:.1f} s)"
    )
    data = _worker(env, scratch, "inspect", str(tree), str(settings.passes))
    seconds = _floats(data["seconds"])
    print(
        f"{INSPECT_LIB:<42}{_ms(_median(seconds))}  first{_ms(seconds[0])}"
        f"  ({data['files']} files kept)"
    )
    cli = [*_tool("planner"), "inspect", "--project", str(tree)]
    runs = [_run_timed(cli, cwd=scratch, env=env) for _ in range(settings.passes)]
    whole = _median([s.wall for s in runs])
    ok = _verdict(whole <= 1.0, settings)
    print(f"{INSPECT_CLI:<42}{_ms(whole)}  budget <= 1000 ms: {ok}")


# 4. Import cost -------------------------------------------------------------


def _importtime(env: dict[str, str], cwd: Path) -> dict[str, int]:
    """Return module -> self microseconds from one `-X importtime` run."""
    cmd = [sys.executable, "-X", "importtime", "-m", "planner", "new"]
    cmd += ["crud-resource", "--spec", str(SPEC), "--no-input", "--out", "-"]
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise BenchmarkError(f"importtime run failed:\n{proc.stderr.strip()}")
    modules: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _total, name = line.removeprefix("import time:").split("|")
        modules[name.strip()] = int(own)
    return modules


def bench_imports(scratch: Path, settings: Settings, env: dict[str, str]) -> bool:
    """Print the costliest imports of `planner new`; return False if any is heavy."""
    project = scratch / "small-project"
    runs = [_importtime(env, project) for _ in range(max(3, settings.passes))]
    names = set().union(*runs)
    own = {name: _median([run.get(name, 0) for run in runs]) for name in names}
    by_package: dict[str, float] = defaultdict(float)
    for name, micros in own.items():
        by_package[name.split(".")[0]] += micros
    total = sum(own.values())
    print(f"== 4. import cost of `planner new ... --no-input` ({len(names)} modules)")
    print(f"{'total import time':<42}{_ms(total / 1e6)}")
    print(f"{IMPORT_TOP}:")
    for name, micros in sorted(own.items(), key=lambda kv: -kv[1])[:12]:
        print(f"   {name:<39}{_ms(micros / 1e6)}")
    print("   by top-level package:")
    for name, micros in sorted(by_package.items(), key=lambda kv: -kv[1])[:8]:
        print(f"   {name:<39}{_ms(micros / 1e6)}")
    heavy = sorted(name for name in names if name.split(".")[0] in HEAVY)
    print(f"{IMPORT_HEAVY}: {', '.join(heavy) if heavy else 'none'}")
    return not heavy


# Driver ---------------------------------------------------------------------


def describe_machine() -> str:
    """Return the CPU model, core count and Python version on one line."""
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    python = platform.python_version()
    return f"{os.cpu_count()} CPUs, {model}, Python {python}"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def run(settings: Settings) -> int:
    """Run every benchmark; return the exit code."""
    mode = "full" if settings.budgets else "quick (no budgets judged)"
    print(f"planner benchmarks, {mode}: {describe_machine()}")
    print(f"before: {_load()}; figures are medians of wall-clock time")
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        scratch = Path(tmp)
        env = _env(scratch)
        try:
            bench_cold(scratch, settings, env)
            bench_batch(scratch, settings, env)
            bench_inspect(scratch, settings, env)
            light = bench_imports(scratch, settings, env)
        except BenchmarkError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    print(f"after: {_load()}")
    if not light:
        print("error: a heavy module is imported on the non-interactive path")
        return 1
    return 0


def _run_worker(args: list[str]) -> int:
    kind, *rest = args
    if kind == "batch":
        result = worker_batch(int(rest[0]), int(rest[1]))
    elif kind == "writes":
        result = worker_writes(rest[0], rest[1])
    elif kind == "inspect":
        result = worker_inspect(rest[0], int(rest[1]))
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    print(json.dumps(result))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the benchmarks."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--worker"]:
        return _run_worker(args[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="few, small runs: check it works"
    )
    parser.add_argument("--runs", type=int, help="process runs per command")
    options = parser.parse_args(args)
    settings = QUICK if options.quick else FULL
    if options.runs:
        settings = Settings(**{**settings.__dict__, "runs": options.runs})
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
