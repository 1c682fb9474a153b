"""graphmodel.safecsv: cells neutralised as OWASP advises, files written all or nothing.

Every file is read back with the csv module; the expected cells are written
out by hand from the rule: a text cell starting with = + - @ tab or CR gets
one leading ', anything else (and every number) is unchanged.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from faults import in_child, read_only_folder, remove, seal
from graphmodel.errors import GraphmodelError
from graphmodel.safecsv import WriteFailed, atomic_text, neutralise, write_rows, writer


def read_back(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+66 81 234 5678",
    "-1+2",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def test_hostile_text_cells_get_one_leading_quote(tmp_path):
    path = tmp_path / "out.csv"
    assert write_rows(path, ["cell"], [[v] for v in HOSTILE]) == len(HOSTILE)
    assert read_back(path) == [
        ["cell"],
        ['\'=HYPERLINK("http://x","y")'],
        ["'+66 81 234 5678"],
        ["'-1+2"],
        ["'@SUM(A1:A9)"],
        ["'\t=1+1"],
        ["'\r=1+1"],
        ["'=cmd|' /C calc'!A0"],
    ]


def test_numbers_stay_numbers_and_harmless_text_is_unchanged(tmp_path):
    path = tmp_path / "out.csv"
    write_rows(path, ["a", "b", "c", "d"],
               [[-5, -1.5, Decimal("-2.50"), True],
                ["a=b", "กะหรอ", "", None],
                ["x, y", 'say "hi"', "line\nbreak", "100,000"]])
    assert read_back(path) == [
        ["a", "b", "c", "d"],
        ["-5", "-1.5", "-2.50", "True"],
        ["a=b", "กะหรอ", "", ""],
        ["x, y", 'say "hi"', "line\nbreak", "100,000"],
    ]
    # The negative numbers are bare in the file: a spreadsheet reads them as numbers.
    assert path.read_bytes().split(b"\r\n")[1] == b"-5,-1.5,-2.50,True"


def test_neutralise_cells_false_writes_values_exactly(tmp_path):
    path = tmp_path / "data.csv"
    write_rows(path, ["name"], [["=HYPERLINK(1)"], ["-1"]], neutralise_cells=False)
    assert read_back(path) == [["name"], ["=HYPERLINK(1)"], ["-1"]]


def test_byte_order_mark_when_asked(tmp_path):
    path = tmp_path / "bom.csv"
    write_rows(path, ["name"], [["หูล่อง"]], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfname\r\n")
    assert read_back(path, "utf-8-sig") == [["name"], ["หูล่อง"]]


def test_neutralise_on_its_own():
    assert [neutralise(v) for v in ("=1", "1=", 0, None)] == ["'=1", "1=", 0, ""]


def test_a_failure_mid_file_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("old\n", encoding="utf-8")

    def rows():
        yield ["one"]
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        write_rows(path, ["h"], rows())
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "out.csv"
    write_rows(path, ["h"], [])
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_read_only_folder_is_one_clear_error_and_the_old_file_is_untouched():
    folder = read_only_folder()
    try:
        (folder / "report.csv").write_text("old\n", encoding="utf-8")
        seal(folder)
        outcome = in_child(lambda: write_rows(folder / "report.csv", ["h"], [["x"]]), unprivileged=True)
        assert outcome == (f"WriteFailed: {folder / 'report.csv'}: cannot write: Permission "
                           "denied (is the folder writable, and is there space on the disk?)")
        assert (folder / "report.csv").read_text(encoding="utf-8") == "old\n"
        assert [p.name for p in folder.iterdir()] == ["report.csv"]
    finally:
        remove(folder)


def test_full_disk_is_one_clear_error_and_no_partial_file(tmp_path):
    rows = [["row %d" % i, "x" * 50] for i in range(1000)]  # about 60 kB, far over the limit
    outcome = in_child(lambda: write_rows(tmp_path / "big.csv", ["a", "b"], rows), max_file_bytes=4096)
    assert outcome == (f"WriteFailed: {tmp_path / 'big.csv'}: cannot write: File too large "
                       "(is the folder writable, and is there space on the disk?)")
    assert list(tmp_path.iterdir()) == []


def test_atomic_text_missing_folder(tmp_path):
    with pytest.raises(WriteFailed) as info:
        with atomic_text(tmp_path / "nope" / "x.txt") as fh:
            fh.write("x")
    assert str(info.value).startswith(f"{tmp_path / 'nope' / 'x.txt'}: cannot write: "
                                      "No such file or directory")
    assert isinstance(info.value, GraphmodelError) and info.value.exit_code == 2


# The writer formats rows itself (faster than the csv module on long Thai cells); the csv
# module is the reference: the same bytes for any row of text, numbers, booleans and None.
_CELLS = st.one_of(
    st.text(alphabet=st.sampled_from('ab ,"\r\n\tก่=+-@\'x'), max_size=8),
    st.text(max_size=6), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
)


@settings(max_examples=500)
@given(rows=st.lists(st.lists(_CELLS, max_size=5), max_size=4), neutral=st.booleans())
def test_rows_are_written_as_the_csv_module_writes_them(rows, neutral):
    ours = io.StringIO()
    writer(ours, neutralise_cells=neutral).writerows(rows)
    reference = io.StringIO()
    clean = neutralise if neutral else (lambda v: "" if v is None else v)
    csv.writer(reference, lineterminator="\r\n").writerows([[clean(c) for c in row] for row in rows])
    assert ours.getvalue() == reference.getvalue()
