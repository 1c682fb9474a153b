#!/usr/bin/env python3
"""What keeping every dataset's values costs (docs/neo4j.md, "Several datasets"): one run.

On a dataset folder, against a throwaway server (it empties the database,
hence ``--wipe``), five steps in a row, each timed on the wall and by the
server's CPU time (user + system of the JVM, steadier than the wall on a
shared machine):

1. first load as dataset ``a`` into an empty database;
2. the same load again (nothing changes);
3. the same rows as a second dataset ``b``: every node and relationship is
   shared, so each value of ``a`` is saved before ``b``'s is shown;
4. ``b`` again with ``--replace``;
5. ``unload --dataset b``: ``a``'s values shown again.

To compare two versions of the loader, run it with each on the same server,
taking turns (``PYTHONPATH=/path/to/other/checkout`` for the other)::

    scripts/neo4j-dev start --home /tmp/bench-neo4j
    eval "$(scripts/neo4j-dev env --home /tmp/bench-neo4j)"
    python benchmarks/shared_datasets.py /tmp/synth7 --wipe --pid "$(cat /tmp/bench-neo4j/pid)"
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import psutil

import graphmodel
from graphmodel.dataset import read_dataset
from graphmodel.neo4j import connect
from graphmodel.neo4j.load import load_dataset, unload_dataset


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--wipe", action="store_true", help="required: the database is emptied first")
    parser.add_argument("--pid", type=int, required=True, help="the server's JVM, for its CPU time")
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"))
    args = parser.parse_args()
    if not args.wipe:
        parser.error("this empties the database it is pointed at: pass --wipe")
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None and os.environ.get("NEO4J_PASSWORD_FILE"):
        with open(os.environ["NEO4J_PASSWORD_FILE"], encoding="utf-8") as fh:
            password = fh.readline().strip()
    driver, _ = connect(args.neo4j, user=os.environ.get("NEO4J_USER", "neo4j"), password=password)
    jvm = psutil.Process(args.pid)
    dataset = read_dataset(args.folder)
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    steps = [("first load", lambda: load_dataset(driver, dataset, dataset_name="a", progress=False)),
             ("reload", lambda: load_dataset(driver, dataset, dataset_name="a", progress=False)),
             ("second dataset", lambda: load_dataset(driver, dataset, dataset_name="b", progress=False)),
             ("replace", lambda: load_dataset(driver, dataset, dataset_name="b", replace=True, progress=False)),
             ("unload", lambda: unload_dataset(driver, "b"))]
    print(f"graphmodel from {os.path.dirname(graphmodel.__file__)}, {args.folder}")
    for name, step in steps:
        cpu, wall = sum(jvm.cpu_times()[:2]), time.perf_counter()
        step()
        print(f"{name:15} {time.perf_counter() - wall:6.1f} s wall {sum(jvm.cpu_times()[:2]) - cpu:6.1f} s "
              "server CPU", flush=True)
    driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
