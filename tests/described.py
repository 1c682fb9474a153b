"""Pairs described for people, as the CLI and the views get them (a test helper, not a fixture)."""

from __future__ import annotations

from graphmodel.analysis.overlaps import ParallelPair, findings, pairs


def described_pairs(backend, *, twin: str = "auto", **filters) -> list[ParallelPair]:
    """Every parallel pair (coordinated or not) with names and sides, tambon then ids order."""
    found = findings(backend, pairs(backend, twin=twin, **filters), twin=twin, every_tambon=True)
    return [pair for finding in found for pair in finding.pairs]
