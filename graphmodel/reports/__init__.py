"""Results written for people and programs, streamed (one module per analysis).

- :mod:`.overlaps` — the overlaps findings as table, JSON, CSV or JSON Lines, and their summary per area.
"""

from .overlaps import write_overlaps, write_summary

__all__ = ["write_overlaps", "write_summary"]
