"""graphmodel/render.py: aligned tables (Thai and CJK measured in terminal columns), CSV, JSON."""

from __future__ import annotations

import pytest

from graphmodel.render import FORMATS, canonical, display_width, table, to_csv, to_json


@pytest.mark.parametrize("text, width", [
    ("", 0),
    ("802103", 6),
    ("กะหรอ", 5),  # no combining mark: five columns
    ("ที่", 1),  # a consonant with a vowel and a tone mark above it: one column
    ("หูล่อง", 4),  # two marks on four consonants
    ("น้ำ", 2),  # the tone mark takes none; sara am takes one
    ("中文", 4),  # wide
    ("Ａ", 2),  # fullwidth
    ("a\u200db", 2),  # a zero-width joiner (format character) takes none
])
def test_display_width(text, width):
    assert display_width(text) == width


def test_table_aligns_thai_and_cjk_by_terminal_columns():
    out = table(["name", "code"], [["หูล่อง", "801208"], ["กะหรอ", "802103"], ["中文", "x"]])
    assert out.split("\n") == [
        "name   code",
        "-----  ------",
        "หูล่อง   801208",
        "กะหรอ  802103",
        "中文   x",
    ]
    # Every line's second column starts at the same terminal column.
    lines = out.split("\n")
    assert {display_width(line[:line.rindex(" ") + 1]) for line in lines[2:]} == {7}


def test_table_cells():
    out = table(["value"], [[None], [1000.0], [2500.5], [3], [["a", "b"]], [[1000.0, None]],
                            [{"b": 1, "a": "ก"}], [True], ["two\nlines"]])
    assert out.split("\n")[2:] == [
        "",  # None is empty (and the trailing spaces are cut)
        "1,000",  # whole amounts with thousands separators
        "2500.5",
        "3",
        "a; b",  # lists joined with '; '
        "1,000;",
        '{"a": "ก", "b": 1}',  # maps as JSON with sorted keys, Thai kept
        "True",
        "two lines",  # one line per row
    ]


def test_table_without_rows_has_its_header():
    assert table(["a", "bb"], []) == "a  bb\n-  --"


def test_to_csv():
    out = to_csv(["name", "amount", "n", "none", "list", "flag", "text"],
                 [["กะหรอ", 1000.0, 3, None, ["a", "b"], True, "x,y"]])
    # Numbers stay numbers (no separators), text is quoted where CSV needs it, no last newline.
    assert out == 'name,amount,n,none,list,flag,text\nกะหรอ,1000.0,3,,a; b,True,"x,y"'
    assert to_csv(["a"], []) == "a"


def test_to_json_keeps_thai_readable():
    assert to_json([{"name": "กะหรอ", "n": [1], "x": None}]) == (
        '[\n  {\n    "name": "กะหรอ",\n    "n": [\n      1\n    ],\n    "x": null\n  }\n]')


def test_canonical_sorts_map_keys_at_every_depth():
    value = {"z": [{"b": 1, "a": {"d": 2, "c": 3}}], "a": (2, 1)}
    assert list(canonical(value)) == ["a", "z"]
    assert canonical(value) == {"a": [2, 1], "z": [{"a": {"c": 3, "d": 2}, "b": 1}]}
    assert list(canonical(value)["z"][0]["a"]) == ["c", "d"]
    assert canonical("x") == "x" and canonical(None) is None


def test_formats():
    assert FORMATS == ("table", "json", "csv")
