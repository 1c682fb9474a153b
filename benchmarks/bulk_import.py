#!/usr/bin/env python3
"""How fast ``scripts/neo4j-dev import`` builds a database: about 1 million rows.

Writes a synthetic import folder in the layout docs/neo4j.md defines ("Bulk
first load": ``nodes-<Label>.csv``, ``relationships-<TYPE>.csv``, typed
headers, the ``Entity`` and ``Area`` id spaces), shaped like a national
dataset (77 provinces, 929 districts, 7 436 tambons, agencies, funds, groups,
programs each funded, implemented and located in two tambons, coordination
links), then imports it into a throwaway home and reports, from the command's
own output, the importer's time, the whole command's time (import, start,
constraints) and rows per second (rows = nodes + relationships)::

    python benchmarks/bulk_import.py                   # about 1 000 000 rows
    python benchmarks/bulk_import.py --rows 100000 --keep /tmp/bulk

Deterministic for a --seed. It needs no server running; it starts and stops
its own in a temporary home.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEO4J_DEV = REPO / "scripts" / "neo4j-dev"
THEMES = ["community_planning", "poverty_data", "occupation", "community_welfare", "community_finance",
          "health", "education", "water", "agriculture", "environment"]
KINDS = ["line_agency", "local_government", "provincial", "special_agency", "community_network"]
CHANNELS = ["normal", "ceo", "special"]


class Folder:
    """Writes the files of an import folder and counts the rows."""

    def __init__(self, root: Path):
        self.root, self.rows, self._files = root, 0, {}

    def writer(self, name: str, header: list[str]):
        if name not in self._files:
            fh = open(self.root / name, "w", encoding="utf-8", newline="")
            w = csv.writer(fh)
            w.writerow(header)
            self._files[name] = (fh, w)
        return self._files[name][1]

    def row(self, name: str, header: list[str], values: list) -> None:
        self.writer(name, header).writerow(values)
        self.rows += 1

    def close(self) -> None:
        for fh, _ in self._files.values():
            fh.close()


def generate(root: Path, rows: int, seed: int) -> int:
    """Write about `rows` rows into root; return the exact count."""
    rnd = random.Random(seed)
    f = Folder(root)
    area = ["id:ID(Area)", "code", "name", "name_en"]
    provinces = [str(10 + i) for i in range(77)]
    districts = [f"{p}{j:02d}" for p in provinces for j in range(1, 13)][:929]
    tambons = [f"{d}{k:02d}" for d in districts for k in range(1, 9)][:7436]
    for p in provinces:
        f.row("nodes-Province.csv", area, [p, p, f"จังหวัด {p}", f"Province {p}"])
    for d in districts:
        f.row("nodes-District.csv", area, [d, d, f"อำเภอ {d}", f"District {d}"])
        f.row("relationships-IN_PROVINCE.csv", [":START_ID(Area)", ":END_ID(Area)", "_key"], [d, d[:2], "IN_PROVINCE"])
    for t in tambons:
        f.row("nodes-Tambon.csv", area + ["abolished:boolean"], [t, t, f"ตำบล {t}", f"Tambon {t}", "false"])
        f.row("relationships-IN_DISTRICT.csv", [":START_ID(Area)", ":END_ID(Area)", "_key"], [t, t[:4], "IN_DISTRICT"])
    entity = ["id:ID(Entity)", "name", "name_en"]
    agencies = [f"ag{i}" for i in range(500)]
    for a in agencies:
        f.row("nodes-Agency.csv", entity + ["kind"], [a, f"หน่วยงาน {a}", f"Agency {a}", rnd.choice(KINDS)])
    funds = [f"fu{i}" for i in range(5000)]
    for fu in funds:
        f.row("nodes-Fund.csv", entity + ["channel", "amount_thb:double", "fiscal_year:int"],
              [fu, f"กองทุน {fu}", f"Fund {fu}", rnd.choice(CHANNELS), rnd.randint(1, 500) * 10000.0, 2006])
        f.row("relationships-MANAGES.csv", [":START_ID(Entity)", ":END_ID(Entity)", "_key"],
              [rnd.choice(agencies), fu, "MANAGES"])
    groups = [f"gr{i}" for i in range(2 * len(tambons))]
    for i, g in enumerate(groups):
        f.row("nodes-Group.csv", entity + ["kind"], [g, f"กลุ่ม {g}", f"Group {g}", "village fund"])
        f.row("relationships-BASED_IN.csv", [":START_ID(Entity)", ":END_ID(Area)", "_key"],
              [g, tambons[i // 2], "BASED_IN"])
    for i in range(10000):
        a, b, t = rnd.choice(agencies), rnd.choice(groups), rnd.choice(tambons)
        f.row("relationships-COORDINATES_WITH.csv",
              [":START_ID(Entity)", ":END_ID(Entity)", "mechanism", "tambon", "_key"],
              [a, b, "joint plan", t, f"COORDINATES_WITH|{t}"])
    programs = max(0, (rows - f.rows) // 5)
    for i in range(programs):
        p = f"pr{i}"
        start = rnd.randint(2004, 2010)
        f.row("nodes-Program.csv",
              entity + ["themes:string[]", "start_year:int", "end_year:int", "pilot:boolean"],
              [p, f"โครงการ {p}", f"Program {p}", ";".join(rnd.sample(THEMES, 2)), start,
               start + rnd.randint(0, 2), rnd.choice(["true", "false"])])
        f.row("relationships-FUNDS.csv",
              [":START_ID(Entity)", ":END_ID(Entity)", "amount_thb:double", "fiscal_year:int", "_key"],
              [rnd.choice(funds), p, 50000.0, start, f"FUNDS|{start}"])
        f.row("relationships-IMPLEMENTS.csv", [":START_ID(Entity)", ":END_ID(Entity)", "role", "_key"],
              [rnd.choice(agencies), p, "lead", "IMPLEMENTS"])
        for t in rnd.sample(tambons, 2):
            f.row("relationships-LOCATED_IN.csv", [":START_ID(Entity)", ":END_ID(Area)", "_key"],
                  [p, t, "LOCATED_IN"])
    f.close()
    return f.rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="about how many rows (default 1 000 000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the folder and home here and keep them")
    parser.add_argument("--heap", default="1g", help="the server's and the importer's JVM heap (default 1g)")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bulk-import-"))
    folder, home = work / "import", work / "home"
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    rows = generate(folder, args.rows, args.seed)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"wrote {rows:,} rows ({size / 2**20:.0f} MiB) in {time.monotonic() - t0:.1f} s to {folder}", flush=True)

    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, str(NEO4J_DEV), "import", str(folder), "--home", str(home),
                           "--heap", args.heap], capture_output=True, text=True)
    total = time.monotonic() - t0
    subprocess.run([sys.executable, str(NEO4J_DEV), "stop", "--home", str(home)], capture_output=True)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return 1
    imported = float(re.search(r"neo4j-dev: imported .* in ([\d.]+)s;", proc.stderr)[1])
    schema = float(re.search(r"applied in ([\d.]+)s", proc.stderr)[1])
    done = re.search(r"IMPORT DONE in (.*?)\. ", proc.stderr)[1]
    print(f"importer (JVM start + import): {imported:.1f} s, {rows / imported:,.0f} rows/s; "
          f"Neo4j's own figure: {done}")
    print(f"constraints and indexes online: {schema:.1f} s")
    print(f"whole command (import, start, constraints): {total:.1f} s, {rows / total:,.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
