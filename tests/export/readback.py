"""Exported graph files read back with networkx's own readers (a plain module for the export tests)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx


def read_back(path: Path, fmt: str) -> nx.MultiDiGraph:
    """The file at ``path`` (``graphml``, ``gexf`` or ``json``) as a networkx ``MultiDiGraph``."""
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.MultiDiGraph(nx.read_gexf(path))
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")))
