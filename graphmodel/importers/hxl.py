"""HXL 3W/4W sheets to a v1 dataset folder (``graphmodel import hxl``).

A 3W ("who does what where") sheet tagged with the Humanitarian Exchange
Language: a row of hashtags such as ``#org+impl`` under (optionally) a row
of human headers. ``libhxl``, the HXL standard's own library, finds the tag
row and parses the tags and attributes; this module decides what each
column means for the dataset contract (tabled in ``docs/import-export.md``):

- ``#org+funder`` -> an agency with a fund that funds the program;
  ``#org+impl`` and ``#org+prog`` -> agencies that implement it. ``+code``
  columns give the organisation's reference (its id), ``+type`` columns
  its kind (an IATI OrganisationType code or name, or a graphmodel kind).
- ``#activity+code`` (the id) and ``#activity+name`` (``+i_th``/``+i_en``
  or by script) -> the program; rows with the same code (else the same
  name) are one program in several places.
- ``#sector`` -> themes (DAC codes mapped as for IATI, other text normalised).
- ``#date+start``, ``#date+end`` -> years (CE or Buddhist Era).
- ``#value`` with a currency attribute (``#value+thb``) or a ``#currency``
  column -> the row's funder's amount, in THB only.
- ``#adm3+code`` (``TH801208`` or ``801208``) or ``#adm3+name`` (with
  ``#adm2``/``#adm1`` names or codes as context) -> the tambon.

Every row or cell that cannot be placed is a line of the import report;
line numbers are the sheet's physical lines (the first is line 1; a row
with a line break in a quoted cell takes two), as the dataset reader counts
them: the sheet is read through :func:`graphmodel.dataset.csvfile.csv_rows`.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "3w.csv").write_text(
...     "Funder,Project,Sector,Year,Tambon\\n"
...     "#org+funder,#activity+name,#sector,#date+start,#adm3+code\\n"
...     "CODI,Life plans,43040,2549,TH801208\\n"
...     "CODI,Life plans,43040,2549,\\n", encoding="utf-8")
>>> summary = import_hxl(d / "3w.csv", d / "out")
>>> summary.counts["programs.csv"], summary.counts["locations.csv"], summary.counts["import-report.csv"]
(1, 1, 1)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from ..dataset.csvfile import csv_rows, decode_text
from ..errors import Problem
from . import codelists
from .builder import Activity, Org, ReportLine, build_dataset
from .folder import ImportFailed, ImportSummary, write_folder
from .names import clean, is_thai, slug, year_of
from .places import Place, from_code, from_names, parse_code

__all__ = ["read_hxl", "import_hxl"]

_ROLES = (("funder", "funding"), ("impl", "implementing"), ("prog", "programming"))
_NUMBER = re.compile(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?|[0-9]+(\.[0-9]+)?")
_CURRENCY_ATTRIBUTE = re.compile(r"[a-z]{3}")
#: #value attributes that are HXL's own words, not currency codes.
_VALUE_WORDS = {"num", "pct", "max", "min", "avg", "sum"}


@dataclass(frozen=True)
class _Columns:
    """Column indexes by meaning, found once from the tag row."""

    orgs: dict[str, list[tuple[int, int | None, int | None]]]  # role -> (name, code, type)
    activity_code: int | None
    activity_names: list[tuple[int, str]]  # (index, "th" | "en" | "")
    sectors: list[int]
    start: int | None
    end: int | None
    value: int | None
    value_currency: str
    currency: int | None
    adm: dict[int, tuple[int | None, int | None, int | None]]  # level -> (code, name, untyped)
    tags: list[str]


def _columns(columns: list, file: str, year: int | None) -> _Columns:
    """Read the tag row; raise ImportFailed naming every tag the importer needs and misses."""
    from hxl.model import TagPattern

    def find(pattern: str) -> list[int]:
        p = TagPattern.parse(pattern)
        return [i for i, c in enumerate(columns) if p.match(c)]

    def first(pattern: str) -> int | None:
        found = find(pattern)
        return found[0] if found else None

    orgs = {}
    for attr, role in _ROLES:
        code, kind = first(f"#org+{attr}+code"), first(f"#org+{attr}+type")
        orgs[role] = [(i, code, kind) for i in find(f"#org+{attr}-code-type-acronym")]
    names = []
    for i in find("#activity-code"):
        attrs = columns[i].attributes
        names.append((i, "th" if "i_th" in attrs else "en" if "i_en" in attrs else ""))
    adm = {}
    for level in (1, 2, 3):
        adm[level] = (first(f"#adm{level}+code"), first(f"#adm{level}+name"),
                      first(f"#adm{level}-code-name"))
    values = find("#value")
    value_currency = ""
    if values:
        attrs = sorted(a for a in columns[values[0]].attributes
                       if _CURRENCY_ATTRIBUTE.fullmatch(a) and a not in _VALUE_WORDS)
        value_currency = attrs[0].upper() if attrs else ""
    found = _Columns(orgs, first("#activity+code"), names, find("#sector"), first("#date+start"),
                     first("#date+end"), values[0] if values else None, value_currency,
                     first("#currency"), adm, [c.display_tag for c in columns])
    missing = []
    if found.activity_code is None and not names:
        missing.append("#activity+name or #activity+code")
    if not any(orgs.values()):
        missing.append("#org+funder, #org+impl or #org+prog")
    if not any(i is not None for level in adm.values() for i in level):
        missing.append("#adm3+code or #adm3+name (or #adm1/#adm2)")
    if found.start is None and found.end is None and year is None:
        missing.append("#date+start or #date+end (or give --year)")
    if found.value is not None and not value_currency and found.currency is None:
        missing.append("a currency for #value: #value+thb, or a #currency column")
    if missing:
        raise ImportFailed(str(Problem(file, None, None, None, "missing-tags",
                                       "an HXL tag row with " + "; ".join(missing))))
    return found


@dataclass
class _Draft:
    """An activity being gathered from its rows."""

    activity: Activity
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)


class _Rows:
    """The sheet's non-blank rows for libhxl, read by the dataset reader's
    :func:`~graphmodel.dataset.csvfile.csv_rows`; ``lines[i]`` is the line row ``i`` starts on,
    for the report (a quoted cell may hold line breaks)."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.lines: list[int] = []

    def __iter__(self) -> Iterator[list[str]]:
        for line, cells in csv_rows(self.text, self._bad_csv):
            self.lines.append(line)
            yield cells

    def _bad_csv(self, line: int, exc: csv.Error) -> None:
        raise ImportFailed(str(Problem(self.file, line, None, None, "bad-csv", f"valid CSV ({exc})"))) from None


class _Sheet:
    """One pass over the data rows: drafts of activities and the report."""

    def __init__(self, file: str, cols: _Columns, year: int | None):
        self.file = file
        self.cols = cols
        self.year = year
        self.drafts: dict[str, _Draft] = {}
        self.report: list[ReportLine] = []

    def problem(self, line: int, item: str, column: int | None, value: str, slug_: str,
                problem: str, action: str) -> None:
        tag = self.cols.tags[column] if column is not None else ""
        self.report.append(ReportLine(self.file, line, item, tag, value, slug_, problem, action))

    def row(self, line: int, cells: list[str]) -> None:
        cells = [clean(c) for c in cells]
        cell = lambda i: cells[i] if i is not None and i < len(cells) else ""  # noqa: E731
        if not any(cells):
            return
        code = cell(self.cols.activity_code)
        names = [(cell(i), lang) for i, lang in self.cols.activity_names if cell(i)]
        if not code and not names:
            self.problem(line, "", self.cols.activity_code, "", "no-activity",
                         "an activity code or name", "row left out")
            return
        item = code or names[0][0]
        key = f"code:{slug(code)}" if code else f"name:{slug(names[0][0])}"
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = _Draft(Activity(
                key=key, activity_id=code, item=item, name_th="", name_en="", themes=[],
                start_year=0, end_year=0, file=self.file, line=line))
        act = draft.activity
        for name, lang in names:
            if lang == "th" or (not lang and is_thai(name)):
                act.name_th = act.name_th or name
            else:
                act.name_en = act.name_en or name
        funders = self._orgs(act, cell)
        self._themes(act, cell)
        start = self._year(line, item, self.cols.start, cell)
        end = self._year(line, item, self.cols.end, cell)
        draft.starts += [start] if start else []
        draft.ends += [end] if end else []
        self._amount(line, act, cell, funders, start or end)
        place = self._place(cell)
        if place.code:
            act.tambons.setdefault(place.code, place.matched_from)
        else:
            column, value = self._place_cell(cell)
            self.problem(line, item, column, value, place.slug or "", place.problem,
                         "row's location left out")

    def _orgs(self, act: Activity, cell) -> list[Org]:
        """Add the row's organisations to the activity; return the row's funders."""
        funders = []
        for role, columns in self.cols.orgs.items():
            for name_i, code_i, type_i in columns:
                name = cell(name_i)
                if not name and not cell(code_i):
                    continue
                org = Org(ref=cell(code_i), name_th=name if is_thai(name) else "",
                          name_en="" if is_thai(name) else name, org_type=cell(type_i))
                if role == "funding":
                    funders.append(org)
                    if org not in act.funders:
                        act.funders.append(org)
                elif (org, role) not in act.implementers:
                    act.implementers.append((org, role))
        return funders

    def _themes(self, act: Activity, cell) -> None:
        for i in self.cols.sectors:
            for part in cell(i).split(";"):
                theme = codelists.sector_theme("1", part) if part.strip() else ""
                if theme and theme not in act.themes:
                    act.themes.append(theme)

    def _year(self, line: int, item: str, column: int | None, cell) -> int | None:
        text = cell(column)
        if not text:
            return None
        year = year_of(text)
        if year is None:
            self.problem(line, item, column, text, "bad-date",
                         "a date or year such as 2006-10-01, 2006 or 2549 (1900-2200 CE)",
                         "date left out")
        return year

    def _amount(self, line: int, act: Activity, cell, funders: list[Org], year: int | None) -> None:
        text = cell(self.cols.value)
        if not text:
            return
        currency = (cell(self.cols.currency) or self.cols.value_currency).upper()
        if not _NUMBER.fullmatch(text):
            self.problem(line, act.item, self.cols.value, text, "bad-amount",
                         "a number of baht such as 100000 or 100,000.50", "amount left out")
        elif currency != "THB":
            self.problem(line, act.item, self.cols.value, f"{text} {currency or '(no currency)'}",
                         "not-thb", "an amount in THB (#value+thb, or THB in the #currency "
                         "column); other currencies are not converted", "amount left out")
        elif len(funders) != 1:
            self.problem(line, act.item, self.cols.value, text, "unattributed-amount",
                         f"one funder in the row to give the amount to (this row has "
                         f"{len(funders)})", "amount left out")
        else:
            act.amounts.append((funders[0], year, Decimal(text.replace(",", ""))))

    def _place_cell(self, cell) -> tuple[int | None, str]:
        """The most precise location cell given (else the most precise column), for the report."""
        columns = [i for level in (3, 2, 1) for i in self.cols.adm[level] if i is not None]
        return next(((i, cell(i)) for i in columns if cell(i)), (columns[0], ""))

    def _place(self, cell) -> Place:
        by_level = {}
        for level, (code_i, name_i, any_i) in self.cols.adm.items():
            untyped = cell(any_i)
            looks_coded = parse_code(untyped) is not None
            by_level[level] = (cell(code_i) or (untyped if looks_coded else ""),
                               cell(name_i) or ("" if looks_coded else untyped))
        (code3, name3), (code2, name2), (code1, name1) = by_level[3], by_level[2], by_level[1]
        if code3:
            return from_code(code3)
        if name3:
            return from_names(name3, district=code2 or name2 or None, province=code1 or name1 or None)
        wider = code2 or code1
        if wider:
            return from_code(wider)
        if name2 or name1:
            return Place(None, slug="not-tambon-level",
                         problem=f"a tambon; this row names only the "
                                 f"{'district' if name2 else 'province'} {name2 or name1}")
        return Place(None, slug="no-location", problem="a tambon code or name (a sub-national location)")

    def activities(self) -> list[Activity]:
        out = []
        for draft in self.drafts.values():
            act = draft.activity
            where = (self.file, act.line, act.item)
            starts, ends = draft.starts, draft.ends
            start = min(starts or ends or [self.year or 0])
            end = max(ends or starts or [self.year or 0])
            if not start:
                self.report.append(ReportLine(*where, "#date", "", "no-dates",
                                              "a start or end date in a row of this activity "
                                              "(or give --year)", "activity left out"))
                continue
            if end < start:
                self.report.append(ReportLine(*where, "#date", f"{start}-{end}", "reversed-dates",
                                              "an end date not before the start date",
                                              "activity left out"))
                continue
            act.start_year, act.end_year = start, end
            if not act.themes:
                self.report.append(ReportLine(*where, "#sector", "", "no-sector",
                                              "a sector in a row of this activity",
                                              f"theme set to '{codelists.UNSPECIFIED_THEME}'"))
                act.themes.append(codelists.UNSPECIFIED_THEME)
            if not act.funders:
                self.report.append(ReportLine(*where, "#org+funder", "", "no-funder",
                                              "a funder in a row of this activity",
                                              "program written without funding"))
            out.append(act)
        return out


def read_hxl(path: str | Path, *, encoding: str = "utf-8",
             year: int | None = None) -> tuple[list[Activity], list[ReportLine]]:
    """Read an HXL-tagged CSV sheet into activities and report lines.

    Parameters
    ----------
    path : path
        A CSV file with an HXL tag row (within the first 25 non-blank rows;
        rows above it, such as a header row, are skipped).
    encoding : str
        ``utf-8`` (a byte-order mark is accepted) or ``cp874``.
    year : int, optional
        The year (CE) of activities whose rows give no date.

    Returns
    -------
    (list of Activity, list of ReportLine)

    Raises
    ------
    ImportFailed
        The file cannot be read or decoded, is not CSV, has no HXL tag row,
        or lacks a tag the import needs.
    """
    import hxl

    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{file}: cannot read the file: {exc.strerror or exc}") from None
    text, problem = decode_text(data, encoding, file)
    if problem is not None:
        raise ImportFailed(str(problem))
    rows = _Rows(text or "", file)
    try:
        source = hxl.data(hxl.input.ArrayInput(rows))
        cols = _columns(list(source.columns), file, year)
        sheet = _Sheet(file, cols, year)
        for row in source:
            sheet.row(rows.lines[row.source_row_number], list(row.values))
    except hxl.input.HXLTagsNotFoundException:
        raise ImportFailed(str(Problem(
            file, None, None, None, "no-hxl-tags",
            "an HXL tag row (hashtags such as #org+impl, #activity+name, #adm3+code) in the "
            "first 25 rows"))) from None
    except hxl.HXLException as exc:
        raise ImportFailed(str(Problem(file, None, None, None, "bad-hxl", f"valid HXL ({exc})"))) from None
    return sheet.activities(), sheet.report


def import_hxl(path: str | Path, out: str | Path, *, force: bool = False, encoding: str = "utf-8",
               year: int | None = None) -> ImportSummary:
    """Import an HXL 3W/4W sheet into a new v1 dataset folder with ``import-report.csv``.

    Parameters
    ----------
    path : path
        The HXL-tagged CSV file.
    out : path
        The folder to write: new or empty, or any folder with ``force``.
    force : bool
        Replace the dataset files and the report in a non-empty folder.
    encoding : str
        Text encoding of the sheet.
    year : int, optional
        Year for activities without dates.

    Returns
    -------
    ImportSummary

    Raises
    ------
    ImportFailed, WriteFailed
        As :func:`graphmodel.importers.iati.import_iati`.
    """
    activities, report = read_hxl(path, encoding=encoding, year=year)
    files = build_dataset(activities, report, source=f"hxl:{Path(path).name}")
    return ImportSummary(Path(out), write_folder(files, report, out, force=force))
