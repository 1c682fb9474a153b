"""graphmodel/render.py: aligned tables (Thai and CJK measured in terminal columns), CSV, JSON."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from hypothesis import given, settings, strategies as st

from graphmodel import render

from graphmodel.render import (
    FORMATS, canonical, display_width, table, to_csv, to_json, write_json_array, write_table,
)


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
    # Numbers stay numbers (no separators), text is quoted where CSV needs it, lines end in CRLF.
    assert out == 'name,amount,n,none,list,flag,text\r\nกะหรอ,1000.0,3,,a; b,True,"x,y"\r\n'
    assert to_csv(["a"], []) == "a\r\n"


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


# --- streamed writers ---

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(alphabet=st.sampled_from('aก่"\\\n\t\x00é😀 '), max_size=6))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=4), st.integers(), st.none(), st.booleans()), inner, max_size=4)),
    max_leaves=25)


@settings(max_examples=500)
@given(value=_JSON)
def test_to_json_is_the_standard_librarys_indented_text(value):
    assert to_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


@given(items=st.lists(_JSON, max_size=5))
def test_a_streamed_array_is_the_whole_arrays_text(items):
    buf = io.StringIO()
    assert write_json_array(buf, iter(items)) == len(items)
    assert buf.getvalue() == json.dumps(items, ensure_ascii=False, indent=2)


@contextlib.contextmanager
def spool_limit(size: int):
    """write_table keeps at most ``size`` bytes of rows in memory (then a temporary file)."""
    saved, render._SPOOL_BYTES = render._SPOOL_BYTES, size
    try:
        yield
    finally:
        render._SPOOL_BYTES = saved


_CELLS = st.one_of(st.text(alphabet=st.sampled_from("abกี่ \n"), max_size=7), st.integers(),
                   st.floats(allow_nan=False, allow_infinity=False), st.none(),
                   st.lists(st.text(alphabet="xy", max_size=2), max_size=3))


@settings(max_examples=200)
@given(rows=st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=6))
def test_a_table_spooled_to_disk_is_the_table_kept_in_memory(rows):
    header = ["a", "ข", "c"]
    in_memory = table(header, rows)
    buf = io.StringIO()
    with spool_limit(1):  # every row past the first byte goes to the temporary file
        assert write_table(buf, header, rows) == len(rows)
    assert buf.getvalue() == in_memory
    lines = in_memory.split("\n")
    assert len(lines) == 2 + len(rows)  # header, dashes, one line per row (line breaks in cells become spaces)
    dashes = render.display_width(lines[1])  # the widest line: no cell is wider than its dashes
    assert all(render.display_width(line) <= dashes for line in lines)


def test_table_by_hand():
    # Widths worked out by hand: "กี่" is one column (two marks above), "12,000" six.
    assert table(["name", "n"], [["กี่", 12000.0], ["ab", None]]) == (
        "name  n\n"
        "----  ------\n"
        "กี่     12,000\n"
        "ab")


def test_csv_cells_are_spreadsheet_safe_and_lines_end_in_crlf():
    text = to_csv(["who", "amount", "themes"], [["=HYPERLINK(1)", -5, ["a", "b"]], ["-x", 2.5, []]])
    assert text == "who,amount,themes\r\n'=HYPERLINK(1),-5,a; b\r\n'-x,2.5,\r\n"
