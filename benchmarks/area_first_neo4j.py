#!/usr/bin/env python3
"""Area-first on Neo4j: a province's question on the national database against the province's own folder.

Issue 19 §2. In one run, one after the other, each command in its own
process (wall time, client CPU, peak RSS from ``wait4``; the server's CPU
from ``/proc/PID/stat`` of the dev server, whose home is ``--home``):

- ``graphmodel view --neo4j --tambon T`` three times after a warm-up run
  (target: at most 1 s wall);
- ``graphmodel CMD --neo4j --province P`` against ``graphmodel CMD AREA
  --province P`` for ``view``, ``report`` and ``overlaps --format csv``, AREA
  being the province's own folder (``benchmarks/area_folder.py`` writes it,
  an independent reading): the ratio (target: at most 2 ×, client memory
  at most 256 MiB);
- one tambon's ``overlaps`` query, server time (median of 20 after a
  warm-up, target 15 ms), and the ``PROFILE`` of the area queries (rows, db
  hits, transaction memory).

The national database is loaded beforehand (``scripts/neo4j-dev import`` of
``graphmodel export --format neo4j-import``, docs/neo4j.md); the server keeps
its defaults (1 GiB heap). Usage::

    python benchmarks/area_first_neo4j.py --home .neo4j-dev/national --area /work/data/nan-only \\
        --province 55 --tambon 820101 --json /tmp/area_first_neo4j.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from neo4j_national import graphmodel, load_average, measured  # noqa: E402


def server_cpu(home: Path) -> float:
    """CPU seconds the dev server of ``home`` has used so far."""
    fields = (Path("/proc") / (home / "pid").read_text().strip() / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(args: list[str], home: Path, env: dict[str, str], where: Path) -> dict[str, Any]:
    """One command in ``where``: wall, client CPU, peak RSS, the server's CPU meanwhile."""
    before = server_cpu(home)
    cwd = os.getcwd()
    os.chdir(where)
    try:
        run = measured(graphmodel(*args), env=env)
    finally:
        os.chdir(cwd)
    if run["exit"] != 0:
        raise RuntimeError(f"{args}: {run['stderr'][-1000:]}")
    return {"wall_s": round(run["seconds"], 2), "client_cpu_s": round(run["cpu_s"], 2),
            "peak_rss_mib": round(run["peak_rss_mib"]), "server_cpu_s": round(server_cpu(home) - before, 2),
            "load": round(load_average(), 1)}


def profiles(env: dict[str, str], province: str, tambon: str) -> list[dict[str, Any]]:
    """Server time of one tambon's overlaps, and PROFILE figures of the area queries."""
    import neo4j

    from graphmodel.queries import load_library

    def hits(plan: dict) -> int:
        return plan.get("dbHits", 0) + sum(hits(c) for c in plan.get("children", []))

    library, out = load_library(), []
    cases = [("overlaps", {"tambon": tambon}), ("overlaps", {"province": province}),
             ("area_graph", {"tambon": tambon}), ("area_graph", {"province": province}),
             ("tambons_with_programs", {"province": province, "minimum": 2}),
             ("area_profile", {"by": "tambon", "province": province}),
             ("place_agencies", {"by": "tambon", "province": province}),
             ("agency_matrix", {"province": province}), ("pilots", {"province": province})]
    with neo4j.GraphDatabase.driver(env["NEO4J_URI"], auth=("neo4j", env["NEO4J_PASSWORD"]),
                                    notifications_min_severity="OFF") as driver:
        for name, params in cases:
            query = library[name]
            ms = []
            for _ in range(21):  # the first plans the query and warms the cache
                summary = driver.execute_query(query.text, query.bind(params), routing_="r").summary
                ms.append(summary.result_available_after + summary.result_consumed_after)
            profile = driver.execute_query("PROFILE " + query.text, query.bind(params)).summary.profile
            out.append({"query": name, "params": params, "rows": profile.get("rows"), "db_hits": hits(profile),
                        "memory_bytes": profile.get("args", {}).get("GlobalMemory"),
                        "server_ms_median": statistics.median(ms[1:]), "server_ms_fastest": min(ms[1:])})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="the dev server's home (national database)")
    parser.add_argument("--area", type=Path, required=True, help="the province's own folder")
    parser.add_argument("--province", default="55")
    parser.add_argument("--tambon", default="820101")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    home = args.home.resolve()
    env = {**os.environ, "NEO4J_URI": (home / "uri").read_text().strip(), "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": (home / "password").read_text().strip()}
    area = str(args.area.resolve())
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        view_t = ["view", "--tambon", args.tambon, "-o", "t.html"]
        timed(view_t, home, env, where)  # the warm-up
        runs = [timed(view_t, home, env, where) for _ in range(3)]
        figures["view --neo4j --tambon"] = {"runs": runs,
                                           "median_wall_s": statistics.median(r["wall_s"] for r in runs)}
        p = ["--province", args.province]
        for name, command in [("view", ["view", *p, "-o", "v.html"]), ("report", ["report", *p, "-o", "r.html"]),
                              ("overlaps", ["overlaps", *p, "--format", "csv"])]:
            neo = timed(command, home, env, where)
            own = timed([command[0], area, *command[1:]], home, env, where)
            figures[f"{name} --province"] = {"neo4j": neo, "own_folder": own,
                                             "wall_ratio": round(neo["wall_s"] / own["wall_s"], 2),
                                             "cpu_ratio": round((neo["client_cpu_s"] + neo["server_cpu_s"])
                                                                / own["client_cpu_s"], 2)}
    figures["queries"] = profiles(env, args.province, args.tambon)
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
