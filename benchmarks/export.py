"""Time and memory of `graphmodel export`, stage by stage, in one process.

    python benchmarks/export.py /work/data/synth-all                 # every format
    python benchmarks/export.py DIR --formats graphml neo4j-import --json out.json

Stages: reading and validating the folder (what every command pays), the
overlaps rule counting pairs (the graph formats pay it once), then each
writer. For each stage: wall time and this process's CPU time (on a shared
machine the CPU time is the steadier figure), the resident memory when it starts, and
its peak above that (Linux: the peak is reset before each stage by writing
5 to /proc/self/clear_refs, then read from VmHWM in /proc/self/status).
Output files go to a temporary folder next to nothing else and are removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from graphmodel import EmbeddedBackend, read_dataset
from graphmodel.analysis.overlaps import pairs
from graphmodel.model import NodeLabel
from graphmodel.export import FORMATS, pair_counts, write_gexf, write_graphml, write_import_folder, write_node_link

MIB = 1024 * 1024


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _stage(name: str, func, results: list[dict]):
    Path("/proc/self/clear_refs").write_text("5")
    start_rss = _status("VmRSS")
    t0, cpu0 = time.perf_counter(), time.process_time()
    value = func()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak = _status("VmHWM")
    results.append({"stage": name, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                    "rss_start_mib": round(start_rss / MIB),
                    "peak_above_start_mib": round((peak - start_rss) / MIB), "peak_mib": round(peak / MIB)})
    print(f"{name:<28} {seconds:7.1f} s (cpu {cpu:6.1f} s)   start {start_rss / MIB:6.0f} MiB   "
          f"peak +{(peak - start_rss) / MIB:5.0f} MiB (= {peak / MIB:.0f} MiB)", file=sys.stderr, flush=True)
    return value


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    results: list[dict] = []
    backend = _stage("read and validate", lambda: EmbeddedBackend(read_dataset(args.folder)), results)
    counts = backend.counts()
    rows = sum(counts.values())
    nodes = sum(counts.get(label.value, 0) for label in NodeLabel)
    print(f"{rows} rows ({nodes} nodes, {rows - nodes} relationships)", file=sys.stderr)
    writers = {"graphml": (write_graphml, "g.graphml"), "gexf": (write_gexf, "g.gexf"),
               "json": (write_node_link, "g.json")}
    pair_count = {}
    if set(args.formats) & set(writers):
        pair_count = _stage("overlaps rule (pair counts)", lambda: pair_counts(pairs(backend)), results)
    out = Path(tempfile.mkdtemp(prefix="graphmodel-export-bench-"))
    try:
        for fmt in args.formats:
            if fmt == "neo4j-import":
                path = out / "bulk"
                _stage("write neo4j-import", lambda: write_import_folder(backend, path), results)
            else:
                write, name = writers[fmt]
                path = out / name
                _stage(f"write {fmt}", lambda: write(backend, path, pair_count), results)
            results[-1]["mib_written"] = round(_size(path) / MIB)
            results[-1]["rows_per_second"] = round(rows / results[-1]["seconds"])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"folder": str(args.folder), "rows": rows, "stages": results}, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
