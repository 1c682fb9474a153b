#!/usr/bin/env python3
"""graphmodel at 1 %, 10 % and 100 % of Thailand, against the floor, in one run per size.

For each size it takes the generated dataset (``graphmodel synth``, made
here if the folder is missing: docs/synth.md, ``BENCHMARK_PROVINCES``) and
runs, each in its own process, one after the other:

- **floor** — every CSV row read with the standard ``csv`` module and a bare
  networkx ``MultiDiGraph`` built from the same rows (a node per id, an edge
  per reference and per link row), no attributes, no checks;
- **validate** — ``graphmodel validate DIR``;
- **overlaps csv** — ``graphmodel overlaps DIR --format csv > FILE`` end to
  end: read, validate, build the indexes, run the rule, describe, write;
- **overlaps summary** — ``graphmodel overlaps DIR --summary tambon --format csv``
  (the parallel pairs per tambon, for the check below).

For each it records wall time, CPU time (user + system of that process,
steadier than wall time on a shared machine) and peak RSS (``os.wait4``),
and the ratio of each to the floor's. Over the sizes it gives the growth
exponent of each figure: the slope of log(figure) against log(rows).

**The check**: the uncoordinated pairs in the CSV (tambon, program a,
program b) must be exactly those of an independent reading of the rule
(``benchmarks/independent.py``: the csv module and dictionaries, no
graphmodel code), and the parallel pairs per tambon of the summary must equal
its counts. A mismatch is printed and the exit code is 1.

Usage::

    python benchmarks/national.py                                # 1 % and 10 %
    python benchmarks/national.py --sizes 1,10,100 --data /work/data --json /tmp/national.json

More steps (the Neo4j side: load, bulk import, ``overlaps --neo4j``) join the
same run and table through :func:`add_step`; see :class:`Step`.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from independent import read_rule  # noqa: E402
from reader import floor  # noqa: E402 - the same floor as benchmarks/reader.py

#: Size (percent of the 7,436 tambons) -> folder name under --data.
FOLDERS = {"1": "synth-1pct", "10": "synth-10pct", "100": "synth-all"}
#: ``graphmodel synth`` arguments for each size.
SYNTH_ARGS = {"1": "1%", "10": "10%", "100": None}  # None: --all

#: The command in this checkout's graphmodel, wherever the child runs (a bare ``-c`` would import
#: a ``graphmodel`` folder in the working directory first).
_GRAPHMODEL = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r}); "
               "sys.argv[0] = 'graphmodel'; from graphmodel.cli import main; main()")


# --- steps --------------------------------------------------------------------

@dataclass
class Run:
    """Where one size is measured: its dataset folder and a scratch folder for outputs."""

    size: str
    folder: Path
    scratch: Path
    rows: int = 0
    #: Anything a step wants to leave for a later one (e.g. a server URI).
    state: dict = field(default_factory=dict)


@dataclass
class Step:
    """One measured command.

    ``argv(run)`` is the command (run in its own process, stdout to
    ``stdout(run)`` or discarded); ``setup(run)`` runs before it, untimed
    (e.g. empty a database); ``check(run)`` after it returns a list of
    problems (empty when right). ``env(run)`` adds environment variables.
    """

    name: str
    argv: Callable[[Run], list[str]]
    stdout: Callable[[Run], Path | None] = lambda run: None
    setup: Callable[[Run], None] | None = None
    check: Callable[[Run], list[str]] | None = None
    env: Callable[[Run], dict[str, str]] | None = None


def graphmodel(*args: str) -> list[str]:
    """The command line of ``graphmodel ARGS`` in this Python."""
    return [sys.executable, "-c", _GRAPHMODEL, *args]


def _overlaps_csv(run: Run) -> Path:
    return run.scratch / "overlaps.csv"


def _summary_csv(run: Run) -> Path:
    return run.scratch / "summary.csv"


def _check_answers(run: Run) -> list[str]:
    """The CSV's uncoordinated pairs and the summary's parallel pairs against benchmarks/independent.py."""
    start = time.perf_counter()
    answer = read_rule(run.folder)
    run.state["independent seconds"] = time.perf_counter() - start
    with open(_overlaps_csv(run), encoding="utf-8", newline="") as fh:
        listed = [(r["tambon"], r["program_a"], r["program_b"]) for r in csv.DictReader(fh)]
    with open(_summary_csv(run), encoding="utf-8", newline="") as fh:
        parallel = {r["tambon"]: int(r["parallel_pairs"]) for r in csv.DictReader(fh)}
    problems = []
    repeated = [k for k, n in Counter(listed).items() if n > 1]
    if repeated:
        problems.append(f"{len(repeated)} pairs listed twice, e.g. {repeated[:3]}")
    found = set(listed)
    if found != answer.uncoordinated:
        problems.append(f"uncoordinated pairs differ: {len(found - answer.uncoordinated)} listed but not "
                        f"independent, e.g. {sorted(found - answer.uncoordinated)[:3]}; "
                        f"{len(answer.uncoordinated - found)} missing, e.g. {sorted(answer.uncoordinated - found)[:3]}")
    if parallel != answer.parallel:
        wrong = sorted(t for t in parallel.keys() | answer.parallel.keys()
                       if parallel.get(t) != answer.parallel.get(t))
        problems.append(f"parallel pairs differ in {len(wrong)} tambons, e.g. "
                        f"{[(t, parallel.get(t), answer.parallel.get(t)) for t in wrong[:3]]}")
    run.state["pairs"] = {"parallel": sum(answer.parallel.values()), "uncoordinated": len(answer.uncoordinated),
                          "listed": len(listed)}
    return problems


def _floor_argv(run: Run) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child-floor", str(run.folder)]


def _floor_rows(run: Run) -> list[str]:
    run.rows = int((run.scratch / "floor.txt").read_text())
    return []


STEPS: list[Step] = [
    Step("floor", _floor_argv, stdout=lambda run: run.scratch / "floor.txt", check=_floor_rows),
    Step("validate", lambda run: graphmodel("validate", str(run.folder))),
    Step("overlaps csv", lambda run: graphmodel("overlaps", str(run.folder), "--format", "csv"),
         stdout=_overlaps_csv),
    Step("overlaps summary", lambda run: graphmodel("overlaps", str(run.folder), "--summary", "tambon",
                                                    "--format", "csv"),
         stdout=_summary_csv, check=_check_answers),
]


def add_step(step: Step, *, after: str | None = None) -> None:
    """Add a step to every run (at the end, or right after the step named ``after``).

    This is the hook for the Neo4j side, e.g.::

        add_step(Step("load", lambda run: graphmodel("load", str(run.folder)),
                      setup=empty_the_database, env=lambda run: {"NEO4J_URI": ...}))
    """
    at = len(STEPS) if after is None else next(i for i, s in enumerate(STEPS) if s.name == after) + 1
    STEPS.insert(at, step)


# --- measuring ----------------------------------------------------------------

def measure(argv: list[str], stdout: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """Run ``argv`` in a child process: wall and CPU seconds, peak RSS of that child alone."""
    with tempfile.TemporaryFile() as err, open(stdout or os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv[-4:])} failed ({proc.returncode}):\n"
                             f"{err.read().decode('utf-8', 'replace')[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024}


def ensure_dataset(data: Path, size: str) -> Path:
    """The size's generated folder under ``data``, made with ``graphmodel synth`` if missing."""
    folder = data / FOLDERS[size]
    if (folder / "programs.csv").is_file():
        return folder
    from graphmodel.synth import BENCHMARK_PROVINCES

    key = SYNTH_ARGS[size]
    where = ["--all"] if key is None else ["--provinces", ",".join(BENCHMARK_PROVINCES[key])]
    print(f"generating {folder} ...", file=sys.stderr)
    subprocess.run(graphmodel("synth", *where, "-o", str(folder)), check=True, stdout=subprocess.DEVNULL)
    return folder


def run_size(data: Path, size: str) -> tuple[Run, dict[str, dict], list[str]]:
    """Every step on one size; return the run, the figures by step and the problems found."""
    with tempfile.TemporaryDirectory(prefix=f"national-{size}-") as scratch:
        run = Run(size, ensure_dataset(data, size), Path(scratch))
        figures: dict[str, dict] = {}
        problems: list[str] = []
        for step in STEPS:
            if step.setup:
                step.setup(run)
            figures[step.name] = measure(step.argv(run), step.stdout(run), step.env(run) if step.env else None)
            print(f"  {size:>3} %  {step.name:<18} {figures[step.name]['wall']:8.1f} s wall "
                  f"{figures[step.name]['cpu']:8.1f} s CPU {figures[step.name]['rss'] / 2**20:7.0f} MiB",
                  file=sys.stderr)
            if step.check:
                problems += [f"{size} %: {step.name}: {p}" for p in step.check(run)]
    return run, figures, problems


def print_machine_and_problems(load: list[tuple[float, float, float]], problems: list[str]) -> None:
    """The last lines of a benchmark: the load average at its start and end, then each problem."""
    print(f"load average (1, 5, 15 min) at start {load[0][0]:.1f} {load[0][1]:.1f} {load[0][2]:.1f}, "
          f"at end {load[1][0]:.1f} {load[1][1]:.1f} {load[1][2]:.1f}; {os.cpu_count()} cores")
    for p in problems:
        print(f"PROBLEM: {p}")


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    """The log-log slope between (rows, figure) at two sizes.

    >>> round(exponent((100, 1.0), (10_000, 100.0)), 2)
    1.0
    """
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def report(runs: list[tuple[Run, dict[str, dict]]]) -> str:
    """The results as Markdown: figures and ratios per size, then growth exponents."""
    lines = ["| size | rows | step | wall s | CPU s | peak RSS MiB | × floor wall | × floor CPU | × floor RSS |",
             "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run, figures in runs:
        base = figures["floor"]
        for name, f in figures.items():
            lines.append(f"| {run.size} % | {run.rows:,} | {name} | {f['wall']:.1f} | {f['cpu']:.1f} | "
                         f"{f['rss'] / 2**20:,.0f} | {f['wall'] / base['wall']:.2f} | "
                         f"{f['cpu'] / base['cpu']:.2f} | {f['rss'] / base['rss']:.2f} |")
    if len(runs) > 1:
        (first, small), (last, large) = runs[0], runs[-1]
        lines += ["", f"Growth exponents, {first.size} % → {last.size} % (log-log slope against rows):", "",
                  "| step | wall | CPU | peak RSS |", "| --- | ---: | ---: | ---: |"]
        for name in large:
            if name in small:
                e = [exponent((first.rows, small[name][k]), (last.rows, large[name][k]))
                     for k in ("wall", "cpu", "rss")]
                lines.append(f"| {name} | {e[0]:.2f} | {e[1]:.2f} | {e[2]:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10",
                        help="percent of Thailand's tambons, comma-separated, from 1, 10, 100 (default 1,10)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "graphmodel-national",
                        help="where the generated datasets are (or are made): synth-1pct, synth-10pct, synth-all")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--child-floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_floor:
        print(floor(args.child_floor))
        return 0
    sizes = [s.strip().rstrip("%") for s in args.sizes.split(",")]
    unknown = [s for s in sizes if s not in FOLDERS]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: give some of {', '.join(FOLDERS)}")
    load = [os.getloadavg()]
    runs, problems = [], []
    for size in sizes:
        run, figures, found = run_size(args.data, size)
        runs.append((run, figures))
        problems += found
    load.append(os.getloadavg())
    print(report(runs))
    print()
    for run, _ in runs:
        pairs = run.state.get("pairs", {})
        print(f"{run.size} %: {pairs.get('parallel', '?'):,} parallel pairs, {pairs.get('uncoordinated', '?'):,} "
              f"uncoordinated (independent count, {run.state.get('independent seconds', 0):.1f} s): "
              f"{'equal' if not any(p.startswith(run.size + ' %') for p in problems) else 'DIFFERENT'}")
    print_machine_and_problems(load, problems)
    if args.json:
        args.json.write_text(json.dumps(
            {"load": load, "problems": problems,
             "runs": [{"size": r.size, "rows": r.rows, "folder": str(r.folder), "figures": f,
                       "pairs": r.state.get("pairs")} for r, f in runs]}, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
