"""``graphmodel template`` and workbooks given to the dataset commands, through CliRunner."""

from __future__ import annotations

import openpyxl
import pytest
from test_dataset_cli import run  # noqa: F401 - the fixture: graphmodel ARGS in tmp_path, never a traceback


def test_template_then_validate_then_overlaps(run, tmp_path):
    result = run("template", "-o", "book.xlsx")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "book.xlsx\n", "")
    assert openpyxl.load_workbook(tmp_path / "book.xlsx").sheetnames[0] == "agencies"
    assert list(tmp_path.iterdir()) == [tmp_path / "book.xlsx"]  # no temporary file left behind
    # As written, the template is a valid dataset: every id its example rows name is in another sheet.
    result = run("validate", "book.xlsx")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("book.xlsx: valid\n")
    # 1 agency, 1 fund, 1 program, 1 group, Kalo and its district and province; the group and CODI linked
    assert "Agency            1" in result.stdout and "LOCATED_IN        1" in result.stdout
    assert "COORDINATES_WITH  1" in result.stdout
    result = run("overlaps", "book.xlsx")
    assert (result.exit_code, result.stdout) == (0, "No uncoordinated parallel programs found.\n")
    result = run("view", "book.xlsx", "--tambon", "802103", "-o", "kalo.html")
    assert (result.exit_code, result.stdout) == (0, "kalo.html\n")
    assert "แผนชีวิตชุมชน (ทุกตำบล)" in (tmp_path / "kalo.html").read_text(encoding="utf-8")


def test_template_replaces_an_existing_file(run, tmp_path):
    (tmp_path / "book.xlsx").write_text("old")
    assert run("template", "-o", "book.xlsx").exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "book.xlsx").sheetnames[-1] == "coordination"


@pytest.mark.parametrize("args, message", [
    (["-o", "book.csv"], "'book.csv' does not end in .xlsx"),
    ([], "Missing option '-o' / '--output'"),
])
def test_template_usage_errors(run, args, message):
    result = run("template", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_template_into_a_missing_folder(run):
    result = run("template", "-o", "nowhere/book.xlsx")
    assert result.exit_code == 2
    assert result.stderr == ("Error: nowhere/book.xlsx: cannot write: No such file or directory "
                             "(is the folder writable, and is there space on the disk?)\n")


def test_help_shows_examples(run):
    result = run("template", "--help")
    assert result.exit_code == 0 and "graphmodel template -o book.xlsx" in result.stdout
