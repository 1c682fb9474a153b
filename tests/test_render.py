"""graphmodel.render: the streaming writers give the same text as the standard library and as
the in-memory helpers, whatever the rows (hypothesis), and CSV cells are spreadsheet-safe."""

from __future__ import annotations

import contextlib
import io
import json

from hypothesis import given, settings, strategies as st

from graphmodel import render
from graphmodel.render import table, to_csv, to_json, write_json_array, write_table

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
