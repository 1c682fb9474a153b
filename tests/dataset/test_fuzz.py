"""Property-based fuzzing of the reader over mutated valid folders (issue 12, section 1).

A valid folder is drawn (``strategies.dataset_folders``), written as UTF-8,
then mutated: bytes flipped, files truncated, quotes, commas and line breaks
inserted, invisible and control characters inserted, files re-encoded,
columns duplicated or removed, huge cells, files emptied or removed. Every
input must either load or raise :class:`DatasetError` whose every line names
a file of the folder (``FILE:LINE: ...`` or ``FILE: ...``) and a slug, within
a time limit: never another exception, never a hang.

Workbooks are fuzzed the same way at the level of cells (any cell may
become a number, a date, a boolean, hostile text or nothing; sheets may be
missing, renamed or empty) and of bytes (a flipped or cut ``.xlsx`` file).

The number of examples comes from a hypothesis profile: ``reader-fuzz-ci``
(1 000 examples, when the environment variable ``CI`` is set, as
``.ci/run`` does) or ``reader-fuzz-dev`` (100) for the reader; a tenth of that through the
CLI and for workbooks. Each test records how many
examples it ran in its report (``user_properties``) and
``tests/dataset/conftest.py`` prints them in the terminal summary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import dataset_folders, write_dataset
from test_workbook import book_from_folder

from graphmodel.cli import main
from graphmodel.dataset import FILES, read_dataset
from graphmodel.errors import DatasetError

settings.register_profile("reader-fuzz-ci", max_examples=1000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("reader-fuzz-dev", max_examples=100, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = "reader-fuzz-ci" if os.environ.get("CI") else "reader-fuzz-dev"
FUZZ = settings(settings.get_profile(PROFILE))
#: Seconds one example may take before it counts as a hang.
HANG = 30

_NAMES = [spec.name for spec in FILES]
_INSERTS = ['"', ",", "\n", "\r", '""', "\r\n", ";", " ", "\t", "\x00", "\u200b", "\ufeff", "\u00a0",
            "\u2060", "\u200d", "\u202e", "\x1b", "\x85", "๏", "\ud7ff", "ก\u0e4d\u0e32"]


def _columns(data: bytes, change) -> bytes:
    """Apply ``change(cells)`` to every line of a file split naively on commas."""
    lines = data.split(b"\n")
    return b"\n".join(b",".join(change(line.split(b","))) for line in lines)


@st.composite
def mutations(draw, files: dict[str, bytes]) -> dict[str, bytes]:
    """One to four mutations of the encoded files (some files may disappear)."""
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(_NAMES))
        data = files.get(name, b"")
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "encode", "dup-column", "drop-column",
                                     "huge", "empty", "header-only", "remove", "bom"]))
        if kind == "flip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(_INSERTS)).encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "encode":
            text = data.decode("utf-8", "replace")
            data = text.encode(draw(st.sampled_from(["cp874", "utf-16", "latin-1", "utf-8-sig"])), "replace")
        elif kind in ("dup-column", "drop-column"):
            k = draw(st.integers(0, 6))
            if kind == "dup-column":
                data = _columns(data, lambda cells: cells[:k + 1] + cells[k:k + 1] + cells[k + 1:])
            else:
                data = _columns(data, lambda cells: cells[:k] + cells[k + 1:])
        elif kind == "huge":
            data = data[:at] + draw(st.sampled_from([b"x", "ก".encode(), b'"'])) * 140_000 + data[at:]
        elif kind == "empty":
            data = b""
        elif kind == "header-only":
            data = data.split(b"\n", 1)[0] + b"\n"
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        if kind == "remove":
            files.pop(name, None)
        else:
            files[name] = data
    return files


@st.composite
def mutated_folders(draw) -> tuple[dict[str, bytes], str]:
    """The bytes of each file of a mutated folder, and the encoding to read it with."""
    rows = draw(dataset_folders())
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp), rows)
        files = {p.stem: p.read_bytes() for p in folder.iterdir()}
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "cp874"]))
    return draw(mutations(files)), encoding


@contextmanager
def _no_hang(seconds: int):
    """Fail (instead of waiting forever) when the body runs longer than ``seconds``."""

    def alarm(signum, frame):
        raise TimeoutError(f"the reader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in files.items():
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def _line_pattern(folder: Path) -> re.Pattern:
    """A problem line: a file of the folder (or the folder), an optional line, text, a slug."""
    files = "|".join(re.escape(spec.filename) for spec in FILES)
    return re.compile(rf"^{re.escape(str(folder))}(/({files}))?(:[1-9][0-9]*)?: [^\n]+ \[[a-z]+(-[a-z]+)*\]$")


def _check_error(folder: Path, error: DatasetError) -> None:
    lines = error.lines()
    assert lines and error.problems
    assert len(lines) == len(error.problems) + (1 if error.truncated else 0)
    pattern = _line_pattern(folder)
    for p, line in zip(error.problems, lines):
        assert pattern.match(line), line
        assert line.startswith(p.file if p.line is None else f"{p.file}:{p.line}: ")
    if error.truncated:
        assert re.fullmatch(r"\.\.\. and [1-9][0-9]* more problems? not shown \(.*\)", lines[-1])


def test_reader_fuzz(request):
    ran = []

    @FUZZ
    @given(mutated_folders())
    def one(drawn):
        files, encoding = drawn
        ran.append(1)
        with tempfile.TemporaryDirectory() as tmp:
            folder = _write(Path(tmp) / "ds", files)
            with _no_hang(HANG):
                try:
                    ds = read_dataset(folder, encoding=encoding)
                except DatasetError as error:
                    _check_error(folder, error)
                else:
                    assert ds.agencies or ds.programs or not (ds.funds or ds.funding)

    one()
    request.node.user_properties.append(("hypothesis_examples", len(ran)))
    assert len(ran) >= FUZZ.max_examples


def test_cli_fuzz(request, tmp_path, monkeypatch):
    """The same inputs through ``graphmodel validate``: exit 0 or 2, ``Error:`` lines, no traceback."""
    monkeypatch.chdir(tmp_path)
    ran = []

    @settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 10))
    @given(mutated_folders())
    def one(drawn):
        files, encoding = drawn
        ran.append(1)
        with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
            folder = _write(Path(tmp) / "ds", files)
            with _no_hang(HANG):
                result = CliRunner().invoke(main, ["validate", str(folder), "--encoding", encoding])
            assert result.exit_code in (0, 2), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            assert "Traceback" not in result.output
            if result.exit_code == 2:
                assert result.stdout == ""
                assert all(line.startswith("Error: ") for line in result.stderr.splitlines())
            else:
                assert result.stdout.startswith(f"{folder}: valid\n")

    one()
    request.node.user_properties.append(("hypothesis_examples", len(ran)))


_CELLS = st.one_of(
    st.none(), st.integers(-10**7, 10**7), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(min_value=dt.date(1900, 3, 1)), st.sampled_from(_INSERTS),
    st.text(max_size=8), st.sampled_from(["801208", "2549", "codi", "=A1", "#N/A", "1e5"]),
)


@st.composite
def mutated_workbooks(draw) -> bytes:
    """A valid dataset written as a typed workbook, then some cells, sheets or bytes changed."""
    rows = draw(dataset_folders())
    with tempfile.TemporaryDirectory() as tmp:
        path = book_from_folder(write_dataset(Path(tmp) / "ds", rows), Path(tmp) / "book.xlsx")
        wb = openpyxl.load_workbook(path)
        for _ in range(draw(st.integers(1, 5))):
            sheet = wb[draw(st.sampled_from(wb.sheetnames))]
            kind = draw(st.sampled_from(["cell", "cell", "cell", "rename", "remove", "clear", "append"]))
            if kind == "cell":
                row, column = draw(st.integers(1, sheet.max_row + 1)), draw(st.integers(1, sheet.max_column + 1))
                with contextlib.suppress(IllegalCharacterError):  # xlsx cannot hold C0 controls
                    sheet.cell(row, column).value = draw(_CELLS)
            elif kind == "rename":
                sheet.title = draw(st.sampled_from(["Agencies", "agencies ", "x", "programs2"]))
            elif kind == "remove" and len(wb.sheetnames) > 1:
                wb.remove(sheet)
            elif kind == "clear":
                sheet.delete_rows(1, sheet.max_row)
            elif kind == "append":
                with contextlib.suppress(IllegalCharacterError):
                    sheet.append(draw(st.lists(_CELLS, max_size=10)))
        for sheet in wb.worksheets:  # openpyxl can keep a moved cell's old type ('s' over a number): type again
            for cell in (c for row in sheet.iter_rows() for c in row if c.data_type == "s"):
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.value = cell.value
        wb.save(path)
        data = path.read_bytes()
    if draw(st.integers(0, 9)) == 0:  # now and then, damage the file itself
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    if draw(st.integers(0, 19)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data


def test_workbook_fuzz(request):
    ran = []
    sheet_line = re.compile(r"^.*/book\.xlsx(\[[a-z]+\])?(:[1-9][0-9]*)?: [^\n]+ \[[a-z]+(-[a-z]+)*\]$")

    @settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 10))
    @given(mutated_workbooks())
    def one(data):
        ran.append(1)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "book.xlsx"
            path.write_bytes(data)
            with _no_hang(HANG):
                try:
                    read_dataset(path)
                except DatasetError as error:
                    lines = error.lines()
                    for p, line in zip(error.problems, lines):
                        assert sheet_line.match(line), line
                        assert line.startswith(p.file if p.line is None else f"{p.file}:{p.line}: ")

    one()
    request.node.user_properties.append(("hypothesis_examples", len(ran)))
