#!/usr/bin/env python3
"""Time of the overlaps rule: the Python twin (networkx) against the Cypher twin (Neo4j).

For generated datasets of growing size, all over one province's worth of
tambons (the first 170 codes, so programs meet in the same tambons), it
times within one run:

- reading and validating the CSV folder (``read_dataset``);
- building the embedded backend (``EmbeddedBackend(dataset)``);
- the Python twin (``parallel_pairs``);
- the Cypher twin (the ``overlaps`` query on the server; median of 3 after a warm-up run);

and checks that both twins return the same pairs. It deletes everything in
the database it is pointed at, so it wants --wipe::

    scripts/neo4j-dev start --home /tmp/bench-neo4j
    eval "$(scripts/neo4j-dev env --home /tmp/bench-neo4j)"
    python benchmarks/overlaps.py --wipe
    scripts/neo4j-dev stop --home /tmp/bench-neo4j
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the dataset generator lives with the tests

from strategies import write_large_dataset  # noqa: E402

from graphmodel.analysis.overlaps import pairs  # noqa: E402
from graphmodel.backends.embedded import EmbeddedBackend  # noqa: E402
from graphmodel.cli.options import neo4j_credentials  # noqa: E402
from graphmodel.dataset import read_dataset  # noqa: E402
from graphmodel.neo4j import Neo4jBackend, connect, load_dataset  # noqa: E402
from graphmodel.render import table  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="server URI (or $NEO4J_URI)")
    parser.add_argument("--sizes", default="250,500,1000", help="program counts, comma-separated (2000 takes ~10 min)")
    parser.add_argument("--wipe", action="store_true", help="allow deleting everything in the database")
    args = parser.parse_args(argv)
    if not args.wipe or not args.neo4j:
        parser.error("give --neo4j URI (or $NEO4J_URI) and --wipe: the database is emptied")
    user, password = neo4j_credentials()
    driver, db = connect(args.neo4j, user=user, password=password)
    rows = []
    try:
        for n in (int(x) for x in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                folder = write_large_dataset(Path(tmp), programs=n, locations_per_program=8,
                                             agencies=60, tambons=170)
                dataset, t_read = timed(lambda: read_dataset(folder))
            embedded, t_build = timed(lambda: EmbeddedBackend(dataset))
            py_pairs, t_py = timed(lambda: list(pairs(embedded)))
            with driver.session(database=db) as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            load_dataset(driver, dataset, dataset_name="bench", database=db, progress=False)
            neo = Neo4jBackend(driver, db)
            list(pairs(neo))  # warm-up: plan compiled and cached
            runs = [timed(lambda: list(pairs(neo))) for _ in range(3)]
            cy_pairs, t_cy = runs[0][0], statistics.median(t for _, t in runs)
            if cy_pairs != py_pairs:
                print(f"MISMATCH at {n} programs: {len(py_pairs)} vs {len(cy_pairs)} pairs", file=sys.stderr)
                return 1
            rels = sum(v for k, v in embedded.counts().items() if k.isupper())
            rows.append([n, rels, len(py_pairs), sum(not p.coordinated for p in py_pairs),
                         f"{t_read:.2f}", f"{t_build:.2f}", f"{t_py:.3f}", f"{t_cy:.3f}", f"{t_cy / t_py:.1f}x"])
            print(f"{n} programs done", file=sys.stderr)
    finally:
        driver.close()
    print(table(["programs", "relationships", "pairs", "uncoordinated", "read s", "build s",
                 "python s", "cypher s", "cypher/python"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
