"""graphmodel.combine.sources: each kind of source recognised by its name and its content.

A wrong guess (a name that promises one kind, content of another) is one error naming the source.
"""

from __future__ import annotations

import shutil

import pytest

from graphmodel.combine import CombineError, combine
from graphmodel.combine.sources import open_source
from graphmodel.errors import DatasetError
from graphmodel.importers import ImportFailed

from folders import EXAMPLE
from paths import REPO, SEED

DATA = REPO / "tests" / "data"
ACCEPTED = ("give a dataset folder, an Excel workbook (.xlsx), an IATI activity file (.xml) or an HXL 3W "
            "sheet (.csv)")


@pytest.mark.parametrize("path, kind, name", [
    (SEED, "folder", "nst-2006"),
    (DATA / "iati-nst.xml", "iati", "iati-nst.xml"),
    (DATA / "hxl-3w-nst.csv", "hxl", "hxl-3w-nst.csv"),
    (EXAMPLE / "partners-3w.csv", "hxl", "partners-3w.csv"),
])
def test_each_kind(path, kind, name):
    source = open_source(path)
    assert (source.kind, source.name) == (kind, name)


def test_a_workbook(tmp_path):
    from graphmodel.dataset.template import write_template

    write_template(tmp_path / "book.xlsx")
    source = open_source(tmp_path / "book.xlsx")
    assert (source.kind, source.name) == ("workbook", "book.xlsx")
    source.close()


@pytest.mark.parametrize("name, content, message", [
    ("book.xlsx", b"id,name,kind\n", "{p}: named as an Excel workbook, but it holds text (a CSV file? an HXL "
                                     "sheet is named .csv)"),
    ("book.xlsx", b"<iati-activities/>", "{p}: named as an Excel workbook, but it holds XML (an IATI activity "
                                         "file? name it .xml)"),
    ("activities.xml", b"PK\x03\x04rest", "{p}: named as an IATI activity file (.xml), but it holds a zip file "
                                          "(an Excel workbook? name it .xlsx)"),
    ("activities.xml", b"Funder,Project\n", "{p}: named as an IATI activity file (.xml), but it holds text (a "
                                            "CSV file? an HXL sheet is named .csv)"),
    ("3w.csv", b"PK\x03\x04rest", "{p}: named as an HXL sheet (.csv), but it holds a zip file (an Excel workbook? "
                                  "name it .xlsx)"),
    ("agencies.csv", "id,name,kind\ncodi,พอช.,special_agency\n".encode(),
     "{p}: a dataset's agencies.csv without HXL tags, not an HXL 3W sheet; give the dataset folder it belongs to"),
    ("notes.txt", b"hello", "{p}: not a source graphmodel combine reads; " + ACCEPTED),
])
def test_a_wrong_guess_names_the_source(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CombineError) as caught:
        open_source(path)
    assert str(caught.value) == message.format(p=path)


def test_a_folder_without_dataset_files_and_a_missing_path(tmp_path):
    with pytest.raises(CombineError) as caught:
        open_source(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: a folder without any dataset file (agencies.csv, funds.csv, programs.csv, groups.csv, "
        f"funding.csv, implementation.csv, locations.csv, coordination.csv); {ACCEPTED}")
    with pytest.raises(CombineError) as caught:
        open_source(tmp_path / "gone")
    assert str(caught.value) == f"{tmp_path / 'gone'}: no such file or folder; {ACCEPTED}"


def test_what_the_importers_refuse_is_their_own_error(tmp_path):
    (tmp_path / "page.xml").write_text("<html/>", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        open_source(tmp_path / "page.xml")
    assert str(caught.value) == (f"{tmp_path / 'page.xml'}:1: value 'html': an IATI activity file, whose root "
                                 "element is <iati-activities> [not-iati]")
    (tmp_path / "plain.csv").write_text("Funder,Project\nCODI,Plans\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"\[no-hxl-tags\]"):
        open_source(tmp_path / "plain.csv")


def test_a_damaged_workbook_is_the_readers_error(tmp_path):
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(DatasetError) as caught:
        open_source(tmp_path / "book.xlsx")
    [line] = caught.value.lines()
    assert line.startswith(f"{tmp_path / 'book.xlsx'}: an Excel .xlsx workbook; it cannot be opened (")
    assert line.endswith(") [bad-workbook]")


def test_the_same_source_twice(tmp_path):
    with pytest.raises(CombineError) as caught:
        combine([SEED, SEED], tmp_path / "out")
    assert str(caught.value) == f"{SEED}: given twice (as {SEED}); give each source once"


def test_a_cp874_folder(tmp_path):
    shutil.copytree(SEED, tmp_path / "nst")
    for path in (tmp_path / "nst").glob("*.csv"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("cp874"))
    summary = combine([tmp_path / "nst"], tmp_path / "out", encoding="cp874")
    assert summary.counts["agencies.csv"] == 13
