"""Pairs described for people, as the CLI and the views get them (a test helper, not a fixture)."""

from __future__ import annotations

from graphmodel.analysis import ParallelPair, findings, pairs
from graphmodel.geo import Area


def described_pairs(backend, *, twin: str = "auto", **filters) -> list[ParallelPair]:
    """Every parallel pair (coordinated or not) with names and sides, tambon then ids order
    (``filters``: at most one of ``tambon``, ``district``, ``province``)."""
    found = findings(backend, pairs(backend, Area.of(**filters), twin=twin), twin=twin, every_tambon=True)
    return [pair for finding in found for pair in finding.pairs]
