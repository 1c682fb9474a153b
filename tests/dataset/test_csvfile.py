"""graphmodel/dataset/csvfile.py: a file streamed from the disk gives what the whole-text reader gives.

``stream_csv`` (a scoped read's first pass) must give the rows, lines,
problems and ending of ``open_csv`` — cells normalised as the whole text is
— and ``CsvStream.pick`` the same rows with their cleaned values, on the
fuzzer's mutated files (quotes, line breaks of every kind, blank lines, byte
order marks, bytes that do not decode, cp874) and on cases written by hand.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from test_fuzz import FUZZ, mutated_folders

from graphmodel.dataset.cells import clean, normalise
from graphmodel.dataset.csvfile import open_csv, stream_csv

REQUIRED = ("a", "b")


def whole(path: Path, encoding: str):
    """What the whole-text reader gives: (header, rows, problems, complete), or the problems alone."""
    table, problems = open_csv(path, "f", encoding=encoding, required=REQUIRED)
    if table is None:
        return problems
    rows = list(table.rows())
    return (table.header_line, table.header), rows, table.problems, table.complete


def streamed(path: Path, encoding: str, *, picked: bool = False):
    """The same from :func:`stream_csv` (cells normalised); with ``picked``, through ``pick``."""
    table, problems = stream_csv(path, "f", encoding=encoding, required=REQUIRED)
    if table is None:
        return problems
    head = (table.header_line, table.header)
    if picked:
        found = list(table.pick([0, 2], lambda *values: True))
        assert all(values == tuple(clean(cells[i]) if i < len(cells) else "" for i in (0, 2))
                   for _, cells, values in found)
        rows = [(line, [normalise(c) for c in cells]) for line, cells, _ in found]
    else:
        rows = [(line, [normalise(c) for c in cells]) for line, cells in table.rows()]
    if table.undecodable:  # found mid-file: the whole-text reader says so before any row
        return table.problems
    return head, rows, table.problems, table.complete


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n",
    "a,b\r\n1,2\r\n\r\n3,4",  # CRLF, a blank line, no line break at the end
    "a,b\r1,2\r3,4\r",  # old Mac line breaks
    '\n\n a , b \n"x\ny",2\n,\n  ,\t\n"q""r","s,t"\n',  # blank lines before the header, a quoted line break
    'a,b\n1,"2\n3,4\n',  # a quote never closed
    'a,b\n"1"x,2\n3,4\n',  # a character after a closing quote
    "a,b\n\u0e19\u0e49\u0e4d\u0e32,\u00a0\n\u200b,\n",  # Thai to normalise, a row of spaces and invisibles
])
@pytest.mark.parametrize("picked", [False, True], ids=["rows", "pick"])
def test_by_hand(tmp_path, text, picked):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    assert streamed(path, "utf-8", picked=picked) == whole(path, "utf-8")


@pytest.mark.parametrize("data, encoding", [
    (b"a,b\n1,2\n\xff,3\n", "utf-8"),  # a byte that does not decode, after a good row
    ("a,b\nก,2\n".encode("cp874"), "cp874"),
    (b"\xef\xbb\xbfa,b\n1,2\n", "utf-8"),
    (b"\xef\xbb\xbfa,b\n1,2\n", "cp874"),  # a UTF-8 byte-order mark read as cp874
    (b"", "utf-8"),
])
@pytest.mark.parametrize("picked", [False, True], ids=["rows", "pick"])
def test_encodings(tmp_path, data, encoding, picked):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert streamed(path, encoding, picked=picked) == whole(path, encoding)


@FUZZ
@given(mutated_folders())
def test_fuzzed_files_stream_as_they_read_whole(drawn):
    files, encoding = drawn
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            path = Path(tmp) / f"{name}.csv"
            path.write_bytes(data)
            expected = whole(path, encoding)
            assert streamed(path, encoding) == expected
            assert streamed(path, encoding, picked=True) == expected

