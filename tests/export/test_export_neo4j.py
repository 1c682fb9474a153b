"""``graphmodel export --neo4j``: the same files as from the folder (real Neo4j server).

The folder is loaded with ``graphmodel load``; then every format is
exported once from the folder and once from the server, and the two are
compared as what they mean, independent of row order (the server gives
nodes in id order, the folder in file order): the graph formats as
networkx graphs (nodes with their attributes, edges as a multiset), the
import folder file by file (same header, same rows).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from paths import SEED
from readback import read_back

pytestmark = pytest.mark.neo4j


def _export(folder: Path, source: list[str], fmt: str, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    out = folder / name
    result = CliRunner().invoke(main, ["export", *source, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _meaning(path: Path, fmt: str):
    if fmt == "neo4j-import":
        out = {}
        for f in sorted(path.iterdir()):
            with f.open(encoding="utf-8", newline="") as fh:
                header, *rows = list(csv.reader(fh))
            out[f.name] = (header, sorted(rows))
        return out
    g = read_back(path, fmt)
    nodes = {n: json.dumps(d, sort_keys=True, ensure_ascii=False) for n, d in g.nodes(data=True)}
    # edge ids number the edges in file order, which differs between the sources
    edges = Counter((u, v, json.dumps({k: x for k, x in d.items() if k != "id"}, sort_keys=True,
                                      ensure_ascii=False))
                    for u, v, d in g.edges(data=True))
    return nodes, edges


@pytest.mark.parametrize("which", ["seed", "synth"])
def test_every_format_from_neo4j_equals_the_folder(empty_neo4j, tmp_path, synth_dir, which):
    folder = SEED if which == "seed" else synth_dir
    load = CliRunner().invoke(main, ["load", str(folder)])
    assert load.exit_code == 0, load.output
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("json", "g.json"),
                      ("neo4j-import", "bulk")):
        from_folder = _meaning(_export(tmp_path / "dir", [str(folder)], fmt, name), fmt)
        from_neo4j = _meaning(_export(tmp_path / "neo4j", ["--neo4j", empty_neo4j.uri], fmt, name), fmt)
        assert from_neo4j == from_folder, fmt
    if which == "seed":  # the counts on the server's export come from the Cypher twin
        nodes, _ = _meaning(tmp_path / "neo4j" / "g.graphml", "graphml")
        assert json.loads(nodes["Program:codi_life_plan"])["uncoordinated_pairs"] == 3
