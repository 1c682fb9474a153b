"""The fix a finding suggests is a row that, pasted into coordination.csv, coordinates the pair.

With ids that need CSV quoting (a comma, a double quote) and the hostile
dataset's Cypher- and HTML-like ids (tests/hostile.py): the suggested row is
valid CSV and, appended to the folder's coordination.csv, leaves no
uncoordinated pair.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel import EmbeddedBackend, read_dataset
from graphmodel.analysis import findings, pairs
from graphmodel.cli import main
from graphmodel.reports.words import pair_fix

from hostile import HOSTILE_ROWS, IDS, write_hostile

QUOTED = 'กรม, "ทดสอบ"'


def _with_id(old: str, new: str) -> dict[str, list[dict[str, str]]]:
    """The hostile rows with one id renamed everywhere it is used."""
    return {file: [{k: new if v == old else v for k, v in row.items()} for row in rows]
            for file, rows in HOSTILE_ROWS.items()}


def _uncoordinated(folder: Path):
    backend = EmbeddedBackend(read_dataset(folder))
    return [p for f in findings(backend, pairs(backend)) for p in f.uncoordinated]


@pytest.mark.parametrize("renamed", [None, QUOTED], ids=["hostile", "comma-and-quotes"])
def test_the_suggested_row_coordinates_the_pair(tmp_path, renamed):
    folder = write_hostile(tmp_path / "ds", None if renamed is None else _with_id(IDS["A2"], renamed))
    (pair,) = _uncoordinated(folder)
    row = re.fullmatch(r"Link the two sides in this tambon: add the row '(.*)' to coordination\.csv .*",
                       pair_fix(pair)).group(1)
    (cells,) = list(csv.reader([row]))
    assert cells == [IDS["A1"], renamed or IDS["A2"], "joint tambon plan", "802103"]
    assert _coordinated_by_appending(folder, cells)


def _coordinated_by_appending(folder: Path, cells: list[str]) -> bool:
    """Whether appending ``cells`` (a, b, mechanism, tambon) to coordination.csv leaves no uncoordinated pair."""
    columns = list(HOSTILE_ROWS["coordination"][0])
    with (folder / "coordination.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([dict(zip(["a", "b", "mechanism", "tambon"], cells)).get(c, "") for c in columns])
    return _uncoordinated(folder) == []


def _recommended_row(folder: Path) -> str:
    result = CliRunner().invoke(main, ["recommend", str(folder), "--tambon", "802103"])
    assert result.exit_code == 0, result.output
    return re.search(r"coordination\.csv row: '(.*)'$", result.stdout, re.MULTILINE).group(1)


def _report_row(folder: Path) -> str:
    out = folder.parent / "report.md"
    result = CliRunner().invoke(main, ["report", str(folder), "--tambon", "802103", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in out.read_text(encoding="utf-8").splitlines() if x.endswith(",recommended link,802103 |")]
    return line.rsplit(" | ", 1)[1][:-2]


@pytest.mark.parametrize("printed", [_recommended_row, _report_row], ids=["recommend", "report"])
def test_the_recommended_row_is_quoted_as_the_fix_row(tmp_path, printed):
    """recommend and report print the coordination row to add with the same CSV quoting as overlaps' fix."""
    folder = write_hostile(tmp_path / "ds", _with_id(IDS["A2"], QUOTED))
    (cells,) = list(csv.reader([printed(folder)]))
    assert cells == [IDS["A1"], QUOTED, "recommended link", "802103"]
    assert _coordinated_by_appending(folder, cells)
