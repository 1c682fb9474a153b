"""Shared helpers for the combine tests (a plain module: conftest files are not for importing)."""

from __future__ import annotations

import csv
from pathlib import Path

from paths import REPO

EXAMPLE = REPO / "docs" / "examples" / "combine"
AGENCIES = "id,name,kind\n"
PROGRAMS = "id,name,themes,start_year,end_year\n"


def folder(path: Path, **files: str) -> Path:
    """A dataset folder with the given files (name without .csv -> CSV text)."""
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / f"{name}.csv").write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> list[dict[str, str]]:
    """A written CSV file as dicts (UTF-8 with or without a byte-order mark)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))
