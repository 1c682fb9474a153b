"""The overlaps findings written for people and programs, streamed: table, JSON, CSV, JSON Lines.

:func:`write_overlaps` reads the rule's pairs (:func:`~graphmodel.analysis.overlaps.pairs`,
either twin) once and writes as it goes; :func:`write_summary` writes the
counts per area (:func:`~graphmodel.analysis.summary.summarise`). Both take
any text stream. Memory: one batch of described pairs (names and sides
are made only for what is printed, each program's side once); the table,
whose column widths depend on every row, keeps its rows as text in a
temporary file.

The shapes, kept stable (docs/analysis.md, "Output formats"):

- ``table`` — one line per uncoordinated pair (ids), then per pair the Why
  and Fix lines with Thai and English names, then a count;
- ``json`` — one object per tambon with at least one uncoordinated pair,
  listing every parallel pair of that tambon (:func:`finding_json`);
- ``csv`` — one row per uncoordinated pair, :data:`CSV_COLUMNS`, cells made
  spreadsheet-safe (:mod:`graphmodel.safecsv`);
- ``jsonl`` — one JSON object per line per uncoordinated pair, written as
  found (:func:`jsonl_record`).

Examples
--------
>>> import io
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.model import Dataset, Program, Location
>>> b = EmbeddedBackend(Dataset(
...     programs=[Program(id=i, name=i.upper(), themes=("x",), start_year=2006, end_year=2006)
...               for i in ("p", "q")],
...     locations=[Location(program=i, tambon="802103") for i in ("p", "q")]))
>>> out = io.StringIO()
>>> write_overlaps(out, b, pairs(b), "jsonl")
Written(pairs=1, tambons=1, limited=False)
>>> import json; record = json.loads(out.getvalue())
>>> record["tambon"], record["programs"], record["sides"][0]["program"]["name"]
('802103', ['p', 'q'], 'P')
"""

from __future__ import annotations

import json
import re
import tempfile
from itertools import chain
from typing import IO, Any, Iterable, Iterator, Mapping, NamedTuple, Protocol, Sequence

from ..analysis.linkindex import names_of
from ..analysis.described import NamedRef, ParallelPair, ProgramSide, Sided, TambonFinding, describe, findings, sided
from ..analysis.overlaps import PairRow, pairs
from ..analysis.severity import PairExplanation, by_severity, explain, severity_order
from ..analysis.summary import summarise, summary_columns
from .. import safecsv
from ..errors import ArgumentError
from .._memory import no_cyclic_gc
from ..backends.base import Backend
from ..render import to_json, write_csv, write_json_array, write_table
from . import words
from .words import explanation_lines, pair_fix, pair_why

__all__ = ["FORMATS", "CSV_COLUMNS", "Extra", "Explained", "Written", "explained", "finding_json", "jsonl_record",
           "limited", "overlap_records", "pair_json", "write_overlaps", "write_summary"]

#: Output formats of ``graphmodel overlaps``.
FORMATS = ("table", "json", "csv", "jsonl")

#: The columns of ``--format csv``, one row per uncoordinated pair.
CSV_COLUMNS = ("tambon", "tambon_name_th", "tambon_name_en", "program_a", "program_a_name",
               "program_b", "program_b_name", "shared_themes", "overlap_start", "overlap_end",
               "agencies_a", "agencies_b", "explanation", "fix")

_TABLE_COLUMNS = ("tambon", "program A", "program B", "shared themes", "years", "agencies A",
                  "agencies B")


class Extra(Protocol):
    """What ``graphmodel overlaps --explain`` adds to each uncoordinated pair, by its key
    ``(tambon, program_a, program_b)`` (:class:`Explained`)."""

    csv_header: Sequence[str]

    def lines(self, key: tuple[str, str, str]) -> list[str]: ...
    def json(self, key: tuple[str, str, str]) -> dict[str, Any] | None: ...
    def csv(self, key: tuple[str, str, str]) -> list[Any]: ...


class Explained:
    """What ``--explain`` adds for one pair (by its key): text lines, a JSON object, CSV cells
    (an :class:`Extra`); ``names`` are those of the intermediaries (``via``)."""

    csv_header = ["severity", "known_thb", "unknown_amounts", "linked_in", "via"]

    def __init__(self, explanations: Mapping[tuple[str, str, str], PairExplanation],
                 names: Mapping[str, Mapping[str, Any]]):
        self.explanations, self.names = explanations, names

    def lines(self, key: tuple[str, str, str]) -> list[str]:
        return explanation_lines(self.explanations[key], self.names)

    def json(self, key: tuple[str, str, str]) -> dict | None:
        e = self.explanations.get(key)
        return None if e is None else e.to_json()

    def csv(self, key: tuple[str, str, str]) -> list:
        e = self.explanations[key]
        return [round(e.severity, 6), e.known_thb, e.unknown_amounts, list(e.linked_in), list(e.via)]


def explained(backend: Backend, pair_rows: Iterable[PairRow], *, explain_it: bool, sort: str = "tambon",
              twin: str = "auto", by_tambon: bool = False) -> tuple[list[PairRow], Explained | None]:
    """``overlaps --explain`` and/or ``--sort severity``: the pairs in the order to print them,
    and what ``--explain`` adds to each (None without it).

    In severity order the uncoordinated pairs come most severe first (the
    coordinated ones, which only ``json`` prints, are dropped). ``by_tambon``
    (``json``, one object per tambon) keeps them grouped:
    :func:`~graphmodel.analysis.severity.severity_order`. Reads every pair first.
    """
    pair_rows = list(pair_rows)
    explanations = explain(backend, pair_rows, twin=twin)
    if sort == "severity":
        ranked = by_severity(explanations)
        if by_tambon:
            pair_rows = severity_order(pair_rows, ranked)
        else:
            keyed = {(p.tambon, p.a, p.b): p for p in pair_rows if not p.coordinated_by}
            pair_rows = [keyed[key] for key in ranked]
    extra = None
    if explain_it:
        via = {x for e in explanations.values() for x in e.via}
        extra = Explained(explanations, dict(names_of(backend, via, twin=twin)) if via else {})
    return pair_rows, extra


def _key(p: ParallelPair) -> tuple[str, str, str]:
    return (p.tambon.id, p.a.program.id, p.b.program.id)


class Written(NamedTuple):
    """What :func:`write_overlaps` wrote: uncoordinated pairs, the tambons they are in, and
    whether it stopped at the limit."""

    pairs: int
    tambons: int
    limited: bool


class _Limit:
    """Stops a stream of pairs after the ``n``-th uncoordinated one."""

    def __init__(self, n: int | None):
        self.n = n
        self.reached = False

    def __call__(self, pair_rows: Iterable[PairRow]) -> Iterator[PairRow]:
        if self.n is None:
            yield from pair_rows
            return
        seen = 0
        source = iter(pair_rows)
        try:
            for pair in source:
                yield pair
                if not pair.coordinated_by:
                    seen += 1
                    if seen >= self.n:
                        self.reached = True
                        return
        finally:
            close = getattr(source, "close", None)
            if close is not None:  # a Neo4j result: end its session now
                close()


def limited(pair_rows: Iterable[PairRow], n: int) -> Iterator[PairRow]:
    """The pairs up to and including the ``n``-th uncoordinated one (coordinated ones pass through).

    >>> rows = [PairRow("802103", "a", "b", (), 1, 1, ()), PairRow("802103", "a", "c", (), 1, 1, ("direct_link",)),
    ...         PairRow("802103", "b", "c", (), 1, 1, ())]
    >>> [(p.a, p.b) for p in limited(rows, 1)], len(list(limited(rows, 2)))
    ([('a', 'b')], 3)
    """
    return _Limit(n)(pair_rows)


def _uncoordinated(pair_rows: Iterable[PairRow]) -> Iterator[PairRow]:
    return (p for p in pair_rows if not p.coordinated_by)


def _area_fields(p: ParallelPair) -> dict[str, Any]:
    t, d, v = p.tambon, p.district, p.province
    return {"tambon": t.id, "tambon_name_th": t.name, "tambon_name_en": t.name_en,
            "district": d.id, "district_name_th": d.name, "district_name_en": d.name_en,
            "province": v.id, "province_name_th": v.name, "province_name_en": v.name_en}


def _pair_fields(p: ParallelPair) -> dict[str, Any]:
    return {"programs": list(p.ids), "shared_themes": p.shared_themes,
            "overlap_years": list(p.overlap_years)}


def pair_json(p: ParallelPair) -> dict[str, Any]:
    """One pair of ``--format json`` (keep it stable)."""
    return {
        "programs": list(p.ids),
        "coordinated": p.coordinated,
        "coordinated_by": p.coordinated_by,
        "shared_themes": p.shared_themes,
        "overlap_years": list(p.overlap_years),
        "sides": [p.a.to_json(), p.b.to_json()],
        "explanation": pair_why(p),
        "fix": None if p.coordinated else pair_fix(p),
    }


def finding_json(f: TambonFinding) -> dict[str, Any]:
    """One tambon of ``graphmodel overlaps --format json``: the public JSON shape (keep it stable)."""
    return {
        "tambon": f.tambon.id,
        "tambon_name_th": f.tambon.name,
        "tambon_name_en": f.tambon.name_en,
        "district": f.district.id,
        "province": f.province.id,
        "programs": f.programs,
        "uncoordinated_pairs": [list(p.ids) for p in f.uncoordinated],
        "pairs": [pair_json(p) for p in f.pairs],
    }


def jsonl_record(p: ParallelPair) -> dict[str, Any]:
    """One line of ``--format jsonl``: an uncoordinated pair with its area, sides, explanation, fix.

    Keys, in this order: ``tambon``, ``tambon_name_th``, ``tambon_name_en``,
    ``district``, ``district_name_th``, ``district_name_en``, ``province``,
    ``province_name_th``, ``province_name_en``, ``programs`` (the two ids,
    smaller first), ``shared_themes``, ``overlap_years`` ([first, last]),
    ``sides`` (two objects as in ``--format json``: program {id, name,
    name_en}, start_year, end_year, themes, agencies and groups [{id, name,
    name_en}], budget_thb), ``explanation``, ``fix``.
    """
    return {**_area_fields(p), **_pair_fields(p), "sides": [p.a.to_json(), p.b.to_json()],
            "explanation": pair_why(p), "fix": pair_fix(p)}


def _csv_row(p: ParallelPair) -> list[Any]:
    """The cells of one pair, as :func:`graphmodel.render.cell` would make them (lists joined by ``; ``)."""
    a, b = p.a, p.b
    return [p.tambon.id, p.tambon.name, p.tambon.name_en, a.program.id, a.program.name,
            b.program.id, b.program.name, "; ".join(p.shared_themes), p.overlap_years[0],
            p.overlap_years[1], a.agency_ids, b.agency_ids, pair_why(p), pair_fix(p)]


def _joined(value: Any) -> Any:
    """A CSV cell: a list joined by ``; `` (as the other list columns), anything else as it is."""
    return "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else value


def _extra_cells(p: ParallelPair, extra: Extra) -> list[Any]:
    return [_joined(v) for v in extra.csv(_key(p))]


def _write_csv(out: IO[str], described: Iterable[ParallelPair], extra: Extra) -> None:
    """``--format csv --explain``: the pair's cells and what ``--explain`` adds, through the safe writer."""
    writer = safecsv.writer(out)  # cells are text and numbers already: no render.cell per cell
    writer.writerow([*CSV_COLUMNS, *extra.csv_header])
    for p in described:
        writer.writerow(_csv_row(p) + _extra_cells(p, extra))


def _write_csv_rows(out: IO[str], found: Iterable[Sided]) -> tuple[int, int]:
    """``--format csv``: one :class:`_CsvRow` per pair, written a thousand at a time; the pairs
    and tambons written."""
    out.write(",".join(CSV_COLUMNS) + "\r\n")  # names that need no quotes
    row, lines, count, tambons = _CsvRow(), [], 0, set()
    for p, places, a, b in found:
        lines.append(row(p, places[0], a, b))
        tambons.add(p.tambon)
        if len(lines) >= 1_000:
            out.write("".join(lines))
            count += len(lines)
            lines = []
    out.write("".join(lines))
    return count + len(lines), len(tambons)


def _cell(value: str | None) -> str:
    """One cell as :func:`graphmodel.safecsv.writer` writes a text cell: neutralised, then quoted if need be."""
    if value is None:
        return ""
    if value.startswith(safecsv.DANGEROUS_STARTS):
        value = "'" + value
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


class _CsvRow:
    """The ``--format csv`` line of a pair: exactly what ``safecsv.writer`` writes for
    :func:`_csv_row` (tests/reports/test_overlaps_csv.py holds them equal), made faster from parts
    made once per tambon and per program: the cells of each, and each side's words in the Why,
    already quoted. The Why and the Fix hold a comma in their fixed words, so they are always
    quoted, and their fixed words hold no double quote: quoting the parts quotes the whole.
    """

    def __init__(self) -> None:
        self.tambons: dict[str, tuple[str, str]] = {}
        self.sides: dict[str, tuple[str, str, str, bool]] = {}
        self.themes: dict[tuple[str, ...], tuple[str, str]] = {}  # shared themes: a few combinations

    def __call__(self, p: PairRow, t: NamedRef, side_a: ProgramSide, side_b: ProgramSide) -> str:
        """The line of pair ``p`` in tambon ``t`` between ``side_a`` and ``side_b`` (as :func:`sided` gives them)."""
        tambon = self.tambons.get(t.id)
        if tambon is None:
            tambon = self.tambons[t.id] = (f"{_cell(t.id)},{_cell(t.name)},{_cell(t.name_en)}",
                                           t.label().replace('"', '""'))
        a, b = self._side(side_a), self._side(side_b)
        themes = self.themes.get(p.shared_themes)
        if themes is None:
            themes = self.themes[p.shared_themes] = (_cell("; ".join(p.shared_themes)),
                                                     ", ".join(p.shared_themes).replace('"', '""'))
        why = words.why_uncoordinated(a[2], b[2], themes[1], tambon[1], words.years_words(p.start, p.end))
        fix = words.fix_words(words.fix_row(side_a, side_b, t.id).replace('"', '""'))
        mark = "'" if a[3] else ""
        return (f'{tambon[0]},{a[0]},{b[0]},{themes[0]},{p.start},{p.end},{a[1]},{b[1]},"{mark}{why}",'
                f'"{fix}"\r\n')

    def _side(self, side: ProgramSide) -> tuple[str, str, str, bool]:
        """A side's program cells, agency cell, its quoted words in the Why, and whether a Why that
        starts with them is neutralised."""
        found = self.sides.get(side.program.id)
        if found is None:
            if len(self.sides) >= 20_000:  # bounded: a province's programs at a time
                self.sides.clear()
            text = words.side_words(side)
            found = self.sides[side.program.id] = (
                f"{_cell(side.program.id)},{_cell(side.program.name)}", _cell(side.agency_ids),
                text.replace('"', '""'), text.startswith(safecsv.DANGEROUS_STARTS))
        return found


def overlap_records(backend: Backend, pair_rows: Iterable[PairRow], *, twin: str = "auto",
                    include_coordinated: bool = False, limit: int | None = None,
                    extra: Extra | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``--format csv`` as flat dicts, one per uncoordinated pair, in the order of
    ``pair_rows`` (what :meth:`graphmodel.api.Graph.overlaps` returns).

    Keys: :data:`CSV_COLUMNS`, then ``extra.csv_header`` when ``extra`` is
    given (``--explain``), with the same values as the CSV cells (lists
    joined by ``; ``). ``include_coordinated`` adds the coordinated pairs
    and a last key ``coordinated_by`` (the clauses, ``; ``-joined; empty for
    an uncoordinated pair); a coordinated pair's ``fix`` is None, and so are
    its ``extra`` values. ``limit`` stops after that many uncoordinated pairs.

    >>> import pathlib
    >>> from graphmodel import Area, EmbeddedBackend, read_dataset
    >>> seed = EmbeddedBackend(read_dataset(pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"))
    >>> [(r["program_a"], r["program_b"], r["shared_themes"], r["agencies_b"])
    ...  for r in overlap_records(seed, pairs(seed, Area.of(tambon="802103")))]
    [('codi_life_plan', 'dopa_poverty_survey', 'community_planning; poverty_data', 'dopa; nst_governor; yamna')]
    """
    found = _Limit(limit)(pair_rows)
    if not include_coordinated:
        found = _uncoordinated(found)
    for p in describe(backend, found, twin=twin):
        record = dict(zip(CSV_COLUMNS, _csv_row(p)))
        if extra is not None:
            if p.coordinated:
                record.update(dict.fromkeys(extra.csv_header))
            else:
                record.update(zip(extra.csv_header, _extra_cells(p, extra)))
        if include_coordinated:
            if p.coordinated:
                record["fix"] = None
            record["coordinated_by"] = "; ".join(p.coordinated_by)
        yield record


class _Tally:
    """Counts the described pairs and their tambons as they stream past."""

    def __init__(self) -> None:
        self.pairs = 0
        self._tambons: set[str] = set()  # a few thousand codes: pairs may come in severity order

    @property
    def tambons(self) -> int:
        return len(self._tambons)

    def __call__(self, described: Iterable[ParallelPair]) -> Iterator[ParallelPair]:
        seen = self._tambons.add
        for p in described:
            self.pairs += 1
            seen(p.tambon.id)
            yield p


def _write_jsonl(out: IO[str], described: Iterable[ParallelPair], extra: Extra | None) -> None:
    """Each pair's :func:`jsonl_record` as compact JSON, made faster: the area part once per
    tambon and each side's JSON once per program (:attr:`ProgramSide.json_text`), spliced in."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    tambon, area = "", ""
    for p in described:
        if tambon != p.tambon.id:
            tambon, area = p.tambon.id, dumps(_area_fields(p))[1:-1]
        explained = f',"explain":{dumps(extra.json(_key(p)))}' if extra else ""
        out.write(f'{{{area},{dumps(_pair_fields(p))[1:-1]},"sides":[{p.a.json_text},{p.b.json_text}],'
                  f'"explanation":{dumps(pair_why(p))},"fix":{dumps(pair_fix(p))}{explained}}}\n')


#: Stands for a side in a finding's JSON until the side's own text replaces it.
_MARK = "\x00graphmodel-side\x01"
_MARKED = re.compile(r'"\\u0000graphmodel-side\\u0001(\d+)"')


class _FindingText:
    """A finding's ``--format json`` text, exactly ``render.to_json(finding_json(finding))``, made
    faster: each side's indented text is made once per program and spliced in (the indenting
    encoder is pure Python, and sides are most of the text)."""

    def __init__(self, extra: Extra | None = None) -> None:
        self.sides: dict[str, str] = {}
        self.extra = extra

    def __call__(self, finding: TambonFinding) -> str:
        obj = finding_json(finding)
        texts: list[str] = []
        for row, pair in zip(obj["pairs"], finding.pairs):
            row["sides"] = [f"{_MARK}{len(texts)}", f"{_MARK}{len(texts) + 1}"]
            texts += [self._side(pair.a), self._side(pair.b)]
            if self.extra is not None:
                row["explain"] = self.extra.json((finding.tambon.id, *pair.ids))
        return _MARKED.sub(lambda m: texts[int(m.group(1))], to_json(obj))

    def _side(self, side: ProgramSide) -> str:
        text = self.sides.get(side.program.id)
        if text is None:
            if len(self.sides) >= 20_000:  # bounded: a province's programs at a time
                self.sides.clear()
            # A side sits 8 spaces deep in a finding: pairs (4), a pair's keys (6), sides (8).
            text = self.sides[side.program.id] = to_json(side.to_json()).replace("\n", "\n" + " " * 8)
        return text


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _write_table(out: IO[str], described: Iterator[ParallelPair], tally: _Tally, extra: Extra | None) -> None:
    first = next(described, None)
    if first is None:
        out.write("No uncoordinated parallel programs found.\n")
        return
    # Ids keep the table narrow; the Why lines below give the Thai and English names.
    with tempfile.SpooledTemporaryFile(max_size=32 * 2**20, mode="w+", encoding="utf-8") as why:
        def rows() -> Iterator[list[Any]]:
            for i, p in enumerate(chain([first], described), 1):
                why.write(f"{i}. Why: {pair_why(p)}\n   Fix: {pair_fix(p)}\n")
                if extra is not None:
                    why.writelines(line + "\n" for line in extra.lines(_key(p)))
                yield [f"{p.tambon.id} {p.tambon.label()}", p.a.program.id, p.b.program.id,
                       p.shared_themes, "-".join(map(str, p.overlap_years)), p.a.agency_ids,
                       p.b.agency_ids]

        write_table(out, _TABLE_COLUMNS, rows())
        out.write("\n\n")
        why.seek(0)
        for chunk in iter(lambda: why.read(2**16), ""):
            out.write(chunk)
    n, t = tally.pairs, tally.tambons  # no thousands separators: the line predates --summary
    out.write(f"\n{n} uncoordinated pair{'s' if n != 1 else ''} in {t} tambon{'s' if t != 1 else ''}.\n")


@no_cyclic_gc()  # a million short-lived pairs and no cycles: see graphmodel._memory
def write_overlaps(out: IO[str], backend: Backend, pair_rows: Iterable[PairRow], fmt: str = "table", *,
                   twin: str = "auto", limit: int | None = None, extra: Extra | None = None) -> Written:
    """Write the findings among ``pair_rows`` to ``out`` in ``fmt``, as they are found.

    Parameters
    ----------
    out : text stream
        Where to write (every format ends with a newline).
    backend : Backend
        The graph the pairs come from (names and sides are looked up in it).
    pair_rows : iterable of PairRow
        The rule's pairs in tambon order, e.g. ``pairs(backend, twin=twin)``.
    fmt : {"table", "json", "csv", "jsonl"}
        See the module docstring.
    twin : str
        Which twin describes the programs (``program_sides``).
    limit : int, optional
        Stop after this many uncoordinated pairs (for ``json``, the last
        tambon then lists its pairs up to that one).
    extra : Extra, optional
        What ``--explain`` adds to each uncoordinated pair: lines after its
        Why and Fix (table), columns (csv), an ``explain`` object (json, jsonl).

    Returns
    -------
    Written
    """
    if fmt not in FORMATS:
        raise ArgumentError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    stop = _Limit(limit)
    tally = _Tally()
    if fmt == "json":
        found = findings(backend, stop(pair_rows), twin=twin)

        counts = [0, 0]  # uncoordinated pairs, tambons

        def counted() -> Iterator[TambonFinding]:
            for finding in found:
                counts[0] += sum(1 for p in finding.pairs if not p.coordinated)
                counts[1] += 1
                yield finding

        write_json_array(out, counted(), _FindingText(extra))
        out.write("\n")
        return Written(counts[0], counts[1], stop.reached)
    if fmt == "csv" and extra is None:
        pairs_written, tambons = _write_csv_rows(out, sided(backend, _uncoordinated(stop(pair_rows)), twin=twin))
        return Written(pairs_written, tambons, stop.reached)
    described = tally(describe(backend, _uncoordinated(stop(pair_rows)), twin=twin))
    if fmt == "csv":
        _write_csv(out, described, extra)
    elif fmt == "jsonl":
        _write_jsonl(out, described, extra)
    else:
        _write_table(out, described, tally, extra)
    return Written(tally.pairs, tally.tambons, stop.reached)


@no_cyclic_gc()
def write_summary(out: IO[str], pair_rows: Iterable[PairRow], level: str = "province",
                  fmt: str = "table") -> int:
    """Write :func:`~graphmodel.analysis.summary.summarise` rows to ``out``; return the areas.

    ``table`` ends with a total line; ``json`` is one array; ``csv`` and
    ``jsonl`` one row or line per area.

    >>> import io
    >>> out = io.StringIO()
    >>> write_summary(out, [PairRow("802103", "p", "q", ("x",), 2006, 2006, ())], "district", "csv")
    1
    >>> out.getvalue().splitlines()[1]
    '8021,นบพิตำ,Nopphitam,1,1,2,2'
    """
    columns = summary_columns(level)
    found = summarise(pair_rows, level)
    if fmt == "json":
        count = write_json_array(out, found)
        out.write("\n")
        return count
    if fmt == "jsonl":
        count = 0
        for row in found:
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
        return count
    if fmt == "csv":
        return write_csv(out, columns, ([row[c] for c in columns] for row in found))
    totals = [0, 0]

    def counted() -> Iterator[list[Any]]:
        for row in found:
            totals[0] += row["parallel_pairs"]
            totals[1] += row["uncoordinated_pairs"]
            yield [row[c] for c in columns]

    count = write_table(out, columns, counted())
    out.write(f"\n\n{_plural(count, level)}: {_plural(totals[0], 'parallel pair')}, "
              f"{totals[1]:,} uncoordinated.\n")
    return count

