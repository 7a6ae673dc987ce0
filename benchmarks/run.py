"""Time what planner users wait for and judge it against the budgets.

    .venv/bin/python benchmarks/run.py               # full run: medians, budgets
    .venv/bin/python benchmarks/run.py --quick       # CI: a couple of runs, no budgets
    .venv/bin/python benchmarks/run.py --tree DIR    # name the real tree to time

Every command is a new child process of this script's interpreter (so run it
with the project's venv), and bytecode is cached under a temporary
PYTHONPYCACHEPREFIX after warm-up runs: "cold" means a new process, as in a
pre-commit hook, not an empty disk cache. Nothing is written outside a
temporary folder. docs/performance.md explains the budgets.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import gen_tree

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "crud-items.toml"
BIN = Path(sys.executable).parent
# `-m` rather than the console script, with the checkout first on PYTHONPATH:
# a git worktree sharing one venv then times its own package.
PLANNER = [sys.executable, "-m", "planner"]
NEW = ["new", "crud-resource", "--spec", str(SPEC), "--no-input", "--out", "-"]
HEAVY = ("questionary", "prompt_toolkit", "httpx", "copier", "mcp")
CORPUS = Path(tempfile.gettempdir()) / "planner-corpus-trees"

# Figure labels; tests/test_benchmarks.py checks that each one is printed.
COLD_PLANNER = "cold plan, planner new"
COLD_COPIER = "cold plan, copier copy"
RATIO = "planner / copier"
CHECK = "planner check, 100 specs"
TREE_COLD = "real tree, cold planner new"
TREE_REPEAT = "real tree, repeat planner new"
TREE_EDIT = "real tree, after an edit"
TREE_SKIPPED = "real tree: skipped"
HEAVY_IMPORTS = "heavy imports"


@dataclass(frozen=True)
class Settings:
    """How many runs, and whether budgets are judged."""

    warmup: int
    runs: int
    judge: bool


FULL = Settings(warmup=2, runs=15, judge=True)
QUICK = Settings(warmup=1, runs=2, judge=False)


@dataclass(frozen=True)
class Sample:
    """One process run: wall-clock and CPU (user + system) seconds."""

    wall: float
    cpu: float


class BenchmarkError(Exception):
    """A command failed."""


def _env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1", PYTHONPYCACHEPREFIX=str(scratch / "pyc"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return env


def timed(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run `cmd` to completion; return its wall-clock and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise BenchmarkError(f"{' '.join(cmd)} exited {proc.returncode}: {tail}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Sample(wall, cpu)


class Report:
    """Prints figures with their budgets and remembers any budget missed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.missed: list[str] = []

    def rounds(self, one: Callable[[int], list[Sample]]) -> list[list[Sample]]:
        """Run warm-up then timed rounds of `one`; return each command's samples."""
        warmup, runs = self.settings.warmup, self.settings.runs
        kept = [one(index) for index in range(warmup + runs)][warmup:]
        return [list(samples) for samples in zip(*kept, strict=True)]

    def seconds(
        self, label: str, samples: list[Sample], budget: float | None = None
    ) -> float:
        """Print the median wall and CPU time of `samples`; return the wall."""
        wall = statistics.median(s.wall for s in samples)
        cpu = statistics.median(s.cpu for s in samples)
        figure = f"{wall * 1000:7.0f} ms  (cpu {cpu * 1000:.0f} ms, n={len(samples)})"
        if budget is None:
            print(f"{label:<32}{figure}")
        else:
            self.judge(label, figure, wall <= budget, f"<= {budget * 1000:.0f} ms")
        return wall

    def judge(self, label: str, figure: str, ok: bool, budget: str) -> None:
        """Print one figure line with its budget and verdict."""
        if not self.settings.judge:
            verdict = "not judged (--quick)"
        elif ok:
            verdict = "met"
        else:
            verdict = "missed"
            self.missed.append(label)
        print(f"{label:<32}{figure}  budget {budget}: {verdict}")


def bench_cold(scratch: Path, env: dict[str, str], report: Report) -> None:
    """Time planner against copier making one plan, interleaved round by round."""
    project = scratch / "project"
    gen_tree.generate(project, files=100)
    # Outside any git repository, which is copier's fastest path.
    template = scratch / "copier-template"
    shutil.copytree(ROOT / "benchmarks" / "copier_template", template)
    dest = scratch / "copier-out"
    answers = ROOT / "benchmarks" / "copier_answers.yml"
    copier = [str(BIN / "copier"), "copy", "--defaults", "--quiet"]
    copier += ["--data-file", str(answers), str(template), str(dest)]
    commands = [([*PLANNER, *NEW], project), (copier, scratch)]

    def one(index: int) -> list[Sample]:
        shutil.rmtree(dest, ignore_errors=True)
        # Alternate which goes first, so that neither always follows the other.
        order = (0, 1) if index % 2 else (1, 0)
        samples = {at: timed(*commands[at], env) for at in order}
        return [samples[0], samples[1]]

    planner, copier_runs = report.rounds(one)
    print("== 1. one plan, cold, in a 100-file FastAPI project")
    wall = report.seconds(COLD_PLANNER, planner)
    ratio = wall / report.seconds(COLD_COPIER, copier_runs)
    report.judge(RATIO, f"{ratio:7.2f}", ratio <= 0.5, "<= 0.50")


def bench_check(scratch: Path, env: dict[str, str], report: Report) -> None:
    """Time `planner check` of a project holding 100 specs and their plans."""
    project = scratch / "project-100-specs"
    gen_tree.generate(project, files=100, specs=100)
    timed([*PLANNER, "render", "--project", str(project)], scratch, env)
    cmd = [*PLANNER, "check", "--project", str(project)]
    (runs,) = report.rounds(lambda _: [timed(cmd, scratch, env)])
    print("== 2. planner check, 100 specs and their plans")
    report.seconds(CHECK, runs, 1.5)


def find_tree(named: Path | None) -> Path | None:
    """Return the project tree to time: the one named, else the corpus's largest.

    A corpus entry holds the project in `tree/` beside a `done` marker.
    """
    if named is not None:
        return named / "tree" if (named / "tree").is_dir() else named
    if not CORPUS.is_dir():
        return None
    trees = [entry / "tree" for entry in CORPUS.iterdir() if (entry / "tree").is_dir()]
    return max(trees, key=lambda tree: sum(1 for _ in tree.rglob("*.py")), default=None)


def bench_tree(
    scratch: Path, env: dict[str, str], report: Report, tree: Path | None
) -> None:
    """Time `planner new` on a real tree: a fresh copy, a repeat run, an edit.

    The edit adds one module, as a user adding a file between two plans: the
    tree's listing changes, so only what is kept per file is read back.
    """
    if tree is None or not tree.is_dir():
        print(f"== 3. {TREE_SKIPPED}, none under {CORPUS} (or pass --tree DIR)")
        return
    files = sum(1 for _ in tree.rglob("*.py"))
    copy = scratch / "tree"
    cmd = [*PLANNER, *NEW, "--project", str(copy)]

    def one(_: int) -> list[Sample]:
        # Hard links: planner writes `.planner/cache/` into the copy, never into
        # the original, and a fresh copy without that folder is a cold start.
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["cp", "-al", str(tree), str(copy)], check=True)
        shutil.rmtree(copy / ".planner" / "cache", ignore_errors=True)
        cold, repeat = timed(cmd, scratch, env), timed(cmd, scratch, env)
        # A new file, never one edited in place: the copy's files are links.
        (copy / "planner_bench_edit.py").write_text("EDITED = 1\n", encoding="utf-8")
        return [cold, repeat, timed(cmd, scratch, env)]

    cold, repeat, edited = report.rounds(one)
    print(f"== 3. real tree: {tree} ({files} .py files)")
    report.seconds(TREE_COLD, cold, 1.0)
    report.seconds(TREE_REPEAT, repeat, 0.3)
    report.seconds(TREE_EDIT, edited)


def bench_imports(scratch: Path, env: dict[str, str], report: Report) -> None:
    """Report which heavy optional modules the non-interactive path imports."""
    cmd = [sys.executable, "-X", "importtime", "-m", "planner", *NEW]
    proc = subprocess.run(
        cmd, cwd=scratch / "project", env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise BenchmarkError(f"importtime run failed: {proc.stderr[-500:]}")
    names = {
        line.rpartition("|")[2].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    heavy = sorted(names.intersection(HEAVY))
    print("== 4. imports of `planner new ... --no-input`")
    print(f"{HEAVY_IMPORTS}: {', '.join(heavy) or 'none'}")
    if heavy:  # a correctness check, so it fails even --quick
        report.missed.append(HEAVY_IMPORTS)


def describe_machine() -> str:
    """Return the core count, CPU model and Python version on one line."""
    cpuinfo = Path("/proc/cpuinfo")
    text = cpuinfo.read_text(encoding="utf-8") if cpuinfo.is_file() else ""
    names = [line for line in text.splitlines() if line.startswith("model name")]
    model = names[0].partition(":")[2].strip() if names else platform.processor()
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def run(settings: Settings, tree: Path | None) -> int:
    """Run every benchmark; return 1 if a budget is missed or a command fails."""
    mode = "full" if settings.judge else "quick, no budgets judged"
    print(f"planner benchmarks ({mode}): {describe_machine()}")
    print(f"load average {os.getloadavg()[0]:.2f}; figures are medians")
    report = Report(settings)
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        scratch = Path(tmp)
        env = _env(scratch)
        try:
            bench_cold(scratch, env, report)
            bench_check(scratch, env, report)
            bench_tree(scratch, env, report, find_tree(tree))
            bench_imports(scratch, env, report)
        except BenchmarkError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    if report.missed:
        print(f"missed: {', '.join(report.missed)}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="check it works")
    parser.add_argument("--tree", type=Path, help="real project tree to time")
    options = parser.parse_args(argv)
    return run(QUICK if options.quick else FULL, options.tree)


if __name__ == "__main__":
    sys.exit(main())
