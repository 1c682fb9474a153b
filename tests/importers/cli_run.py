"""Shared helpers for the importer tests (a plain module: conftest files are not for importing)."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner, Result

from graphmodel.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def invoke(*args: str) -> Result:
    """``graphmodel ARGS...`` in-process; no traceback may ever reach the output."""
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def rows(path: Path) -> list[list[str]]:
    """A written CSV file read back with the csv module (UTF-8 with a byte-order mark)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path} has no byte-order mark"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def summary_lines(counts: dict[str, int], out: str, report_lines: int) -> list[str]:
    """The summary ``graphmodel import`` prints, built from hand-counted rows per file."""
    width = max(len(name) for name in counts)
    lines = [f"Wrote {out} (it passes graphmodel validate):",
             f"{'file'.ljust(width)}  rows", f"{'-' * width}  ----"]
    lines += [f"{name.ljust(width)}  {n}" for name, n in counts.items()]
    lines.append(f"{report_lines} items could not be placed as given: see {out}/import-report.csv")
    lines.append(f"Next: graphmodel overlaps {out}")
    return lines
