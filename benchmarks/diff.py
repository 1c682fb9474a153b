#!/usr/bin/env python3
"""``graphmodel diff`` of two national snapshots, against one ``overlaps`` and the floor, in one run.

OLD is a generated Thailand (``graphmodel synth --all``), NEW the same a
year later (``graphmodel synth --evolve OLD``: programs ended and added,
tambons left, links added and lapsed; made here when missing). Each step
runs in its own process, one after the other (wall, CPU and peak RSS of that
process, ``os.wait4``, as ``benchmarks/national.py`` measures):

- **floor** — OLD's rows read with the ``csv`` module into a bare networkx graph;
- **overlaps csv** — ``graphmodel overlaps OLD --format csv`` (one snapshot, end to end);
- **diff jsonl** — ``graphmodel diff OLD NEW --format jsonl``: every pair listed;
- **diff table** — ``graphmodel diff OLD NEW`` (the default: the same pairs, then the districts).

Issue 18's targets: ``diff`` ≤ 2.5 × one national ``overlaps``, ≤ 1.5 GiB.

**The check**: the resolved, appeared and remaining pairs of ``diff jsonl``
must be the set differences of an independent reading of the rule on each
snapshot (``benchmarks/independent.py``: the csv module and dictionaries).

Usage::

    python benchmarks/diff.py --old /work/data/synth-all --new /work/data/synth-all-next
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from independent import read_rule  # noqa: E402
from national import graphmodel, measure, print_machine_and_problems  # noqa: E402 - the same measuring as national.py

GIB = 2**30


def check(old: Path, new: Path, jsonl: Path) -> tuple[list[str], dict[str, int]]:
    """The diff's lists against the independent reading of each snapshot."""
    u_old, u_new = read_rule(old).uncoordinated, read_rule(new).uncoordinated
    found: dict[str, set] = {"resolved": set(), "appeared": set(), "remaining": set()}
    with open(jsonl, encoding="utf-8") as fh:
        for line in fh:
            x = json.loads(line)
            found[x["status"]].add((x["tambon"], x["program_a"], x["program_b"]))
    want = {"resolved": u_old - u_new, "appeared": u_new - u_old, "remaining": u_old & u_new}
    problems = [f"{k}: {len(found[k] - want[k])} listed but not independent, {len(want[k] - found[k])} missing"
                for k in want if found[k] != want[k]]
    return problems, {k: len(v) for k, v in want.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True, help="OLD: a folder graphmodel synth wrote")
    parser.add_argument("--new", type=Path, required=True,
                        help="NEW: written with graphmodel synth --evolve OLD when missing")
    args = parser.parse_args(argv)
    if not (args.new / "programs.csv").is_file():
        print(f"evolving {args.old} into {args.new} ...", file=sys.stderr)
        subprocess.run(graphmodel("synth", "--evolve", str(args.old), "-o", str(args.new)), check=True,
                       stdout=subprocess.DEVNULL)
    load = [os.getloadavg()]
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="diff-bench-") as scratch:
        out = Path(scratch)
        steps = [
            ("floor", [sys.executable, str(HERE / "national.py"), "--child-floor", str(args.old)], out / "floor.txt"),
            ("overlaps csv", graphmodel("overlaps", str(args.old), "--format", "csv"), out / "overlaps.csv"),
            ("diff jsonl", graphmodel("diff", str(args.old), str(args.new), "--format", "jsonl"), out / "diff.jsonl"),
            ("diff table", graphmodel("diff", str(args.old), str(args.new)), out / "diff.txt"),
        ]
        for name, argv_, stdout in steps:
            figures[name] = measure(argv_, stdout)
            f = figures[name]
            print(f"  {name:<14} {f['wall']:8.1f} s wall {f['cpu']:8.1f} s CPU {f['rss'] / 2**20:7.0f} MiB",
                  file=sys.stderr)
        rows = int((out / "floor.txt").read_text())
        start = time.perf_counter()
        problems, counts = check(args.old, args.new, out / "diff.jsonl")
        independent = time.perf_counter() - start
    load.append(os.getloadavg())
    base, overlaps = figures["floor"], figures["overlaps csv"]
    print(f"OLD {args.old} ({rows:,} rows), NEW {args.new}\n")
    print("| step | wall s | CPU s | peak RSS MiB | × overlaps wall | × overlaps CPU | × floor wall | × floor RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, f in figures.items():
        print(f"| {name} | {f['wall']:.1f} | {f['cpu']:.1f} | {f['rss'] / 2**20:,.0f} | "
              f"{f['wall'] / overlaps['wall']:.2f} | {f['cpu'] / overlaps['cpu']:.2f} | "
              f"{f['wall'] / base['wall']:.2f} | {f['rss'] / base['rss']:.2f} |")
    print(f"\nresolved {counts['resolved']:,}, appeared {counts['appeared']:,}, remaining {counts['remaining']:,} "
          f"(independent reading, {independent:.1f} s): {'DIFFERENT' if problems else 'equal'}")
    worst = max(figures["diff jsonl"]["rss"], figures["diff table"]["rss"])
    print(f"targets: diff ≤ 2.5 × overlaps wall: {figures['diff table']['wall'] / overlaps['wall']:.2f} (table), "
          f"{figures['diff jsonl']['wall'] / overlaps['wall']:.2f} (jsonl); ≤ 1.5 GiB: {worst / GIB:.2f} GiB")
    print_machine_and_problems(load, problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
