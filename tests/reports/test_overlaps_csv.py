"""``graphmodel overlaps --format csv`` made fast (reports/overlaps.py ``_CsvRow``) writes what the plain writer writes.

The fast row is made from parts quoted once per tambon and per program; the
plain one (``safecsv.writer`` over ``_csv_row``'s cells, with the Why and the
Fix from :mod:`graphmodel.reports.words`) quotes and neutralises each cell.
They must be the same bytes for any text: quotes, commas, line breaks,
carriage returns, cells that start like a formula, Thai, empty English names.
The words' builders are checked against the csv module too.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel import safecsv
from graphmodel.analysis.described import NamedRef, ParallelPair, ProgramSide
from graphmodel.analysis.overlaps import PairRow
from graphmodel.reports import words
from graphmodel.reports.overlaps import _CsvRow, _csv_row

#: Text with every character the quoting and neutralising rules look at.
TEXT = st.text(st.sampled_from(list('ab,"\n\r\t=+-@ ก่ะ\'[];') + ["\u200b"]), min_size=0, max_size=8)
IDS = st.text(st.sampled_from(list('ab1,"=+-@ ;')), min_size=1, max_size=6)


@st.composite
def refs(draw, ids=IDS) -> NamedRef:
    id_ = draw(ids)
    return NamedRef(id_, draw(TEXT) or id_, draw(st.none() | TEXT))


@st.composite
def side(draw, id_: str) -> ProgramSide:
    program = NamedRef(id_, draw(TEXT) or id_, draw(st.none() | TEXT))
    return ProgramSide(program, 2006, 2007, [], draw(st.lists(refs(), max_size=3)), draw(st.lists(refs(), max_size=2)))


@st.composite
def pairs(draw) -> list[ParallelPair]:
    """Pairs among a few programs and tambons, each one the same wherever it is named (as the describer
    gives them: one side per program, one name per tambon)."""
    ids = draw(st.lists(IDS, min_size=2, max_size=5, unique=True))
    pool = {i: draw(side(i)) for i in ids}
    tambons = [draw(refs(st.just(code))) for code in ("802103", '80"1', "8,0")]
    found = []
    for _ in range(draw(st.integers(1, 6))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        tambon = draw(st.sampled_from(tambons))
        first = draw(st.integers(2000, 2010))
        found.append(ParallelPair(tambon, draw(refs()), draw(refs()), pool[a], pool[b],
                                  draw(st.lists(TEXT, min_size=1, max_size=3)),
                                  (first, first + draw(st.integers(0, 3))), False, []))
    return found


def plain(p: ParallelPair) -> str:
    out = io.StringIO()
    safecsv.writer(out).writerow(_csv_row(p))
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_the_fast_row_is_the_plain_row(found):
    row = _CsvRow()  # one writer for all: its parts are made once and reused
    fast = [row(PairRow(p.tambon.id, p.a.program.id, p.b.program.id, tuple(p.shared_themes), *p.overlap_years, ()),
                p.tambon, p.a, p.b) for p in found]
    assert fast == [plain(p) for p in found]


@settings(max_examples=300, deadline=None)
@given(IDS, IDS, TEXT, st.none() | IDS)
def test_the_coordination_row_is_what_the_csv_module_writes(a, b, mechanism, tambon):
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([a, b, mechanism, tambon or ""])
    assert words.coordination_row(a, b, mechanism, tambon) == out.getvalue()


def test_the_fixed_words_of_the_why_and_the_fix_hold_no_double_quote():
    """What lets the fast row quote the parts of the Why and the Fix instead of the whole."""
    assert '"' not in words.why_uncoordinated("", "", "", "", "")
    assert '"' not in words.fix_words("")
    assert "," in words.why_uncoordinated("", "", "", "", "") and "," in words.fix_words("")
