#!/usr/bin/env python3
"""Reading and validating a dataset folder, against the floor, in one run.

Each measurement runs in a fresh Python process (so peak RSS is its own),
one after the other:

- **floor**: every CSV row read with the standard ``csv`` module and a bare
  networkx ``MultiDiGraph`` built from the same rows (a node per entity id,
  an edge per reference and per link row), no attributes, no checks;
- **read_dataset**: ``graphmodel.dataset.read_dataset(DIR)``;
- **validate**: ``graphmodel validate DIR`` as a user runs it (read, check, counts).

It prints wall time, CPU time (user + system: steadier than wall time on a
shared machine) and peak RSS of each, and the ratios to the floor::

    python benchmarks/reader.py seed/nst-2006
    python benchmarks/reader.py /tmp/national --repeat 3 --json /tmp/reader.json

With ``--repeat N`` each figure is the median of N runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: For each file: the id column (None for link files) and the columns that name another node.
_EDGES = {
    "agencies": ("id", ("parent",)),
    "funds": ("id", ("agency",)),
    "programs": ("id", ()),
    "groups": ("id", ("tambon",)),
    "funding": (None, ("fund", "program")),
    "implementation": (None, ("implementer", "program")),
    "locations": (None, ("program", "tambon")),
    "coordination": (None, ("a", "b")),
}


def floor(folder: Path) -> int:
    """Read every row with ``csv`` and build a bare MultiDiGraph; return the number of rows."""
    import csv

    import networkx as nx

    graph = nx.MultiDiGraph()
    rows = 0
    for name, (id_column, refs) in _EDGES.items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            ref_at = [header.index(c) for c in refs if c in header]
            id_at = header.index(id_column) if id_column else None
            for row in reader:
                rows += 1
                if id_at is not None:
                    graph.add_node(row[id_at])
                    for i in ref_at:
                        if row[i]:
                            graph.add_edge(row[id_at], row[i])
                else:
                    graph.add_edge(row[ref_at[0]], row[ref_at[1]])
    return rows


def _child(kind: str, folder: Path) -> None:
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    if kind == "floor":
        detail = f"{floor(folder)} rows"
    elif kind == "read_dataset":
        from graphmodel.dataset import read_dataset

        ds = read_dataset(folder)
        detail = f"{len(ds.programs)} programs, {len(ds.locations)} locations"
    else:
        from click.testing import CliRunner

        from graphmodel.cli import main

        result = CliRunner().invoke(main, ["validate", str(folder)])
        if result.exit_code != 0:
            raise SystemExit(f"validate failed: {result.output[:2000]}")
        detail = result.output.splitlines()[0]
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_start
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_bytes": usage.ru_maxrss * 1024,  # KiB on Linux
                      "detail": detail}))


def _measure(kind: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(folder)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a dataset folder")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (median)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.folder)
        return 0
    figures = {}
    for kind in ("floor", "read_dataset", "validate"):
        runs = [_measure(kind, args.folder) for _ in range(args.repeat)]
        figures[kind] = {"seconds": statistics.median(r["seconds"] for r in runs),
                         "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
                         "peak_bytes": statistics.median(r["peak_bytes"] for r in runs),
                         "detail": runs[0]["detail"]}
    base = figures["floor"]
    print(f"{args.folder}  ({base['detail']}; median of {args.repeat})")
    print(f"{'':14} {'wall':>9} {'CPU':>9} {'peak RSS':>10} {'x floor wall':>13} {'x floor CPU':>12} "
          f"{'x floor RSS':>12}")
    for kind, f in figures.items():
        print(f"{kind:14} {f['seconds']:8.2f}s {f['cpu_seconds']:8.2f}s {f['peak_bytes'] / 2**20:7.0f} MiB "
              f"{f['seconds'] / base['seconds']:12.2f}x {f['cpu_seconds'] / base['cpu_seconds']:11.2f}x "
              f"{f['peak_bytes'] / base['peak_bytes']:11.2f}x")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
