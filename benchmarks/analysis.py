"""Time issue 10's analyses per province: what `overlaps --explain`, `recommend`, `pilots` and
`index` compute, from a folder (embedded) and, with --neo4j, from a Neo4j server.

    python benchmarks/analysis.py /work/data/synth-all --provinces 30,80,81,10
    eval "$(scripts/neo4j-dev env --home /tmp/bench-neo4j)"   # a server holding the same dataset
    python benchmarks/analysis.py /work/data/synth-all --provinces 30,80 --neo4j --json /tmp/analysis.json

The folder is read once (its time is printed apart); each figure is then one
run of the library calls the command makes, without printing: names and
text cost little next to them. On Neo4j the Cypher twins answer and no
folder is read (give the folder anyway: it names the dataset).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graphmodel.analysis.areas import Area, area_pairs  # noqa: E402
from graphmodel.analysis.facts import Facts  # noqa: E402
from graphmodel.analysis.index import betweenness, brokers, coordination_index  # noqa: E402
from graphmodel.analysis.recommend import recommend  # noqa: E402
from graphmodel.analysis.registry import rows  # noqa: E402
from graphmodel.analysis.severity import explain  # noqa: E402


def timed(func):
    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start


def province(backend, code: str) -> dict:
    area = Area.of(province=code)
    found, t_pairs = timed(lambda: list(area_pairs(backend, area)))
    explained, t_explain = timed(lambda: explain(backend, found))
    rec, t_recommend = timed(lambda: recommend(backend, area, k=10))
    (pilots, gaps), t_pilots = timed(lambda: (list(rows(backend, "pilots", area.params())),
                                              list(rows(backend, "pilot_gaps", area.params()))))

    def index():
        return (coordination_index(backend, area, by="district", pairs=found),
                brokers(backend, area, pairs=found), betweenness(backend, area))

    (areas, found_brokers, centrality), t_index = timed(index)
    return {"province": code, "pairs": len(found), "uncoordinated": len(explained),
            "pairs_s": round(t_pairs, 2), "explain_s": round(t_explain, 2),
            "recommend_s": round(t_recommend, 2), "recommend_candidates": rec.candidates,
            "recommend_resolved": rec.resolved, "pilots_s": round(t_pilots, 2), "pilots": len(pilots),
            "gaps": len(gaps), "index_s": round(t_index, 2), "districts": len(areas),
            "brokers": len(found_brokers), "network_nodes": centrality.nodes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--provinces", default="80", help="comma-separated 2-digit codes")
    parser.add_argument("--neo4j", action="store_true", help="answer from $NEO4J_URI instead of the folder")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    codes = [c.strip() for c in args.provinces.split(",") if c.strip()]
    out: dict = {"folder": str(args.folder), "backend": "neo4j" if args.neo4j else "embedded", "provinces": []}
    if args.neo4j:
        from graphmodel.neo4j.backend import Neo4jBackend

        with Neo4jBackend.connect(os.environ["NEO4J_URI"], user=os.environ.get("NEO4J_USER", "neo4j"),
                                  password=os.environ.get("NEO4J_PASSWORD")) as backend:
            for code in codes:
                out["provinces"].append(province(backend, code))
                print(json.dumps(out["provinces"][-1]), flush=True)
    else:
        from graphmodel.backends.embedded import EmbeddedBackend
        from graphmodel.dataset import read_dataset

        dataset, out["read_s"] = timed(lambda: read_dataset(args.folder))
        backend = EmbeddedBackend(dataset)
        _, out["facts_s"] = timed(lambda: Facts.of(backend))
        print(json.dumps({"read_s": round(out["read_s"], 1), "facts_s": round(out["facts_s"], 1)}), flush=True)
        for code in codes:
            out["provinces"].append(province(backend, code))
            print(json.dumps(out["provinces"][-1]), flush=True)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"peak_rss_mib": out["peak_rss_mib"]}))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
