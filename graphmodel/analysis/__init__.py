"""Analyses: one topic per module, each with a Python twin (networkx) and a
Cypher twin (``cypher/<topic>.cypher``) that the tests hold equal."""

from .overlaps import ParallelPair, TambonFinding, findings, parallel_pairs

__all__ = ["ParallelPair", "TambonFinding", "findings", "parallel_pairs"]
