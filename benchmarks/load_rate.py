#!/usr/bin/env python3
"""Load rate of ``graphmodel load`` (rows/s) on a real Neo4j server.

Measures, within one run so the ratios are comparable:

1. the seed (seed/nst-2006): first load into an empty database, reload, ``--replace``;
2. a generated dataset with about 100 000 relationships: batch sizes 1 000,
   5 000 and 10 000 as one transaction, the default (staged, since it is over
   the single-transaction limit), a reload and a ``--replace``;
3. a 2 000-row slice: the naive baseline, one row per transaction (one round
   trip and one commit each, the same MERGE statements), against batches.

Every first load goes into an emptied database; each configuration runs
--repeat times (median shown) after a warm-up load (the JVM compiles, Cypher
plans are cached), so the numbers are steady-state rates, not a cold start.
The naive baseline runs once (it is slow, and far from the others).

It deletes everything in the database it is pointed at, so it wants --wipe::

    scripts/neo4j-dev start --home /tmp/bench-neo4j
    eval "$(scripts/neo4j-dev env --home /tmp/bench-neo4j)"
    python benchmarks/load_rate.py --wipe
    scripts/neo4j-dev stop --home /tmp/bench-neo4j

The URI comes from --neo4j or $NEO4J_URI, the password from $NEO4J_PASSWORD
or the file named by $NEO4J_PASSWORD_FILE (what ``scripts/neo4j-dev env`` sets).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the dataset generator lives with the tests

from strategies import write_large_dataset  # noqa: E402

from graphmodel.dataset import read_dataset  # noqa: E402
from graphmodel.neo4j import connect, load_dataset  # noqa: E402
from graphmodel.neo4j.load.plan import LoadPlan  # noqa: E402
from graphmodel.neo4j.load.statements import node_statement, rel_statement  # noqa: E402
from graphmodel.neo4j.load.steps import _params  # noqa: E402

NO_LIMIT = 10**12


def wipe(driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def timed_load(driver, dataset, *, name: str, fresh: bool, **kwargs) -> dict:
    """One load; into an emptied database when ``fresh``."""
    if fresh:
        wipe(driver)
    result = load_dataset(driver, dataset, dataset_name=name, progress=False, **kwargs)
    return {"rows": result.rows, "seconds": result.seconds, "rows_per_s": result.rows / result.seconds,
            "mode": result.mode, "batches": result.batches}


def naive_load(driver, dataset, name: str) -> dict:
    """One row per transaction: the loader's own statements, each with a single row, each committed."""
    plan = LoadPlan.from_dataset(dataset, name)
    params = _params(plan, token="naive")
    started = time.perf_counter()
    with driver.session() as session:
        for g in plan.nodes:
            stmt = node_statement(g.label, staged=False, replace=False)
            for row in g.rows:
                session.execute_write(lambda tx, row=row: tx.run(stmt, params, rows=[row]).consume())
        for g in plan.relationships:
            stmt = rel_statement(g, staged=False, replace=False)
            for row in g.rows:
                session.execute_write(lambda tx, row=row: tx.run(stmt, params, rows=[row]).consume())
    seconds = time.perf_counter() - started
    return {"rows": plan.rows, "seconds": seconds, "rows_per_s": plan.rows / seconds,
            "mode": "one row per transaction", "batches": plan.rows}


def median_of(runs: list[dict]) -> dict:
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["rows_per_s"] = best["rows"] / best["seconds"]
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), metavar="URI")
    parser.add_argument("--wipe", action="store_true", help="required: the database is emptied between runs")
    parser.add_argument("--programs", type=int, default=2300,
                        help="programs of the generated dataset (2300: about 108 000 relationships)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.neo4j:
        parser.error("give --neo4j URI or set NEO4J_URI")
    if not args.wipe:
        parser.error("this benchmark deletes everything in the database: pass --wipe")
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None and os.environ.get("NEO4J_PASSWORD_FILE"):
        password = Path(os.environ["NEO4J_PASSWORD_FILE"]).read_text().strip()
    driver, _ = connect(args.neo4j, password=password)
    figures: dict[str, dict] = {}

    def record(key: str, value: dict) -> None:
        figures[key] = value
        print(f"{key:<44} {value['rows']:>8,} rows {value['seconds']:>8.2f} s "
              f"{value['rows_per_s']:>10,.0f} rows/s  ({value['mode']}, {value['batches']} batches)", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        seed = read_dataset(REPO / "seed" / "nst-2006")
        large = read_dataset(write_large_dataset(Path(tmp) / "large", programs=args.programs))
        piece = read_dataset(write_large_dataset(Path(tmp) / "slice", programs=56, locations_per_program=20,
                                                 agencies=100, tambons=100))

        timed_load(driver, seed, name="seed", fresh=True)  # warm-up
        record("seed: first load", median_of([timed_load(driver, seed, name="seed", fresh=True)
                                              for _ in range(args.repeat)]))
        record("seed: reload (nothing new)", median_of([timed_load(driver, seed, name="seed", fresh=False)
                                                        for _ in range(args.repeat)]))
        record("seed: --replace", median_of([timed_load(driver, seed, name="seed", fresh=False, replace=True)
                                             for _ in range(args.repeat)]))

        timed_load(driver, large, name="large", fresh=True, batch_size=5000)  # warm-up
        def repeat(**kwargs) -> dict:
            return median_of([timed_load(driver, **kwargs) for _ in range(args.repeat)])

        for size in (1000, 5000, 10000):
            record(f"100k: first load, batch {size:,}, one transaction",
                   repeat(dataset=large, name="large", fresh=True, batch_size=size,
                          single_transaction_max=NO_LIMIT))
        record("100k: first load, default (staged, batch 5,000)", repeat(dataset=large, name="large", fresh=True))
        record("100k: reload, default (staged)", repeat(dataset=large, name="large", fresh=False))
        record("100k: --replace, default (staged)",
               repeat(dataset=large, name="large", fresh=False, replace=True))

        timed_load(driver, piece, name="slice", fresh=True)  # warm-up
        record("slice: batch 1,000", repeat(dataset=piece, name="slice", fresh=True, batch_size=1000))
        record("slice: batch 10,000", repeat(dataset=piece, name="slice", fresh=True, batch_size=10000))
        wipe(driver)
        record("slice: one row per transaction (naive)", naive_load(driver, piece, "slice"))
    wipe(driver)
    driver.close()

    def ratio(a: str, b: str) -> float:
        return figures[a]["seconds"] / figures[b]["seconds"]

    ratios = {
        "100k: batch 1,000 / batch 10,000 (time)":
            ratio("100k: first load, batch 1,000, one transaction", "100k: first load, batch 10,000, one transaction"),
        "100k: staged / one transaction, batch 5,000 (time)":
            ratio("100k: first load, default (staged, batch 5,000)", "100k: first load, batch 5,000, one transaction"),
        "slice: naive / batch 1,000 (time)":
            ratio("slice: one row per transaction (naive)", "slice: batch 1,000"),
        "slice: naive / batch 10,000 (time)":
            ratio("slice: one row per transaction (naive)", "slice: batch 10,000"),
    }
    print()
    for key, value in ratios.items():
        print(f"{key:<52} {value:>6.1f}x")
    if args.json:
        args.json.write_text(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                                                    f"Python {platform.python_version()}",
                                         "figures": figures, "ratios": ratios}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
