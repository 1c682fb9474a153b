#!/usr/bin/env python3
"""Write a folder holding only an area's rows of a dataset folder, by an independent reading.

The area subgraph of docs/dataset.md ("What a scoped command reads and
checks"), worked out here with the ``csv`` module and sets only — no
graphmodel code — so that the folder it writes is a baseline for
``benchmarks/area_first.py`` (the same command on the national folder with
``--province 55`` and on this folder) and an oracle for the tests (a scoped
read of a folder equals a full read of this folder's rows).

For an area code C (2, 4 or 6 digits):

- locations whose tambon starts with C; their programs P;
- coordination rows with no tambon or a tambon starting with C, their ends E;
- funding and implementation rows of the programs in P and E;
- coordination rows limited to another tambon with an end in the stake of a
  program of P (the program, the agencies managing a fund that funds it, its
  implementers);
- groups based in the area;
- every agency, fund, program and group those rows name, and the agencies
  above them (``parent``).

Usage::

    python benchmarks/area_folder.py /work/data/synth-all 55 /work/data/nan-only-area
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

FILES = ("agencies", "funds", "programs", "groups", "funding", "implementation", "locations", "coordination")


def _rows(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    path = folder / f"{name}.csv"
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def area_rows(folder: Path, code: str) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """Each file's header and the rows of the area ``code`` (module docstring), in file order."""
    data = {name: _rows(folder, name) for name in FILES}
    rows = {name: data[name][1] for name in FILES}
    inside = lambda t: t.startswith(code)  # noqa: E731
    locations = [r for r in rows["locations"] if inside(r["tambon"])]
    programs = {r["program"] for r in locations}
    counting = [r for r in rows["coordination"] if not r.get("tambon") or inside(r["tambon"])]
    ends = {r[k] for r in counting for k in ("a", "b")}
    funding = [r for r in rows["funding"] if r["program"] in programs | ends]
    implementation = [r for r in rows["implementation"] if r["program"] in programs | ends]
    manager = {r["id"]: r["agency"] for r in rows["funds"]}
    stake = (programs | {manager[r["fund"]] for r in funding if r["program"] in programs and r["fund"] in manager}
             | {r["implementer"] for r in implementation if r["program"] in programs})
    elsewhere = [r for r in rows["coordination"] if r.get("tambon") and not inside(r["tambon"])
                 and (r["a"] in stake or r["b"] in stake)]
    chosen = {id(r) for r in counting + elsewhere}
    coordination = [r for r in rows["coordination"] if id(r) in chosen]
    groups = [r for r in rows["groups"] if inside(r["tambon"])]
    named = (programs | {r[k] for r in coordination for k in ("a", "b")} | {r["fund"] for r in funding}
             | {r["program"] for r in funding} | {r["implementer"] for r in implementation}
             | {r["program"] for r in implementation} | {r["id"] for r in groups})
    named |= {manager[f] for f in named if f in manager}
    parent = {r["id"]: r.get("parent", "") for r in rows["agencies"]}
    for agency in list(named):
        while parent.get(agency):
            agency = parent[agency]
            named.add(agency)
    picked = {
        "agencies": [r for r in rows["agencies"] if r["id"] in named],
        "funds": [r for r in rows["funds"] if r["id"] in named],
        "programs": [r for r in rows["programs"] if r["id"] in named],
        "groups": [r for r in rows["groups"] if r["id"] in named or inside(r["tambon"])],
        "funding": funding, "implementation": implementation, "locations": locations,
        "coordination": coordination,
    }
    return {name: (data[name][0], picked[name]) for name in FILES if data[name][0]}


def write_area(folder: Path, code: str, out: Path) -> dict[str, int]:
    """Write the area's rows of ``folder`` into ``out`` (same headers); rows per file."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, (header, rows) in area_rows(folder, code).items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, header)
            writer.writeheader()
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("code", help="a 2-, 4- or 6-digit DOPA code")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    counts = write_area(args.folder, args.code, args.out)
    print(", ".join(f"{name} {n:,}" for name, n in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
