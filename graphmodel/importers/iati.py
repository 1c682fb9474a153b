"""IATI 2.0x activity XML to a v1 dataset folder (``graphmodel import iati``).

The file is parsed as a stream, one ``<iati-activity>`` at a time, with
``defusedxml`` (entity declarations and external references are refused,
so an XML bomb or a file that reads other files is stopped), and each
activity becomes a small :class:`~graphmodel.importers.builder.Activity`
record. What each element becomes is tabled in ``docs/import-export.md``;
in short:

- ``participating-org``: role 1 Funding -> an agency with a fund that funds
  the program; 2 Accountable, 3 Extending, 4 Implementing -> an agency that
  implements it (``role`` says which). ``@type`` gives the agency kind.
- ``title`` -> name (Thai narrative) and name_en (English narrative);
  ``activity-date`` types 2/1 (actual/planned start) and 4/3 (actual/planned
  end) -> start_year and end_year; ``sector`` -> themes.
- commitment ``transaction``\\ s (types 2 and 11) or, when there are none and
  the activity has one funder, ``budget``\\ s -> funding amounts per year, in
  THB only.
- ``location/administrative/@code`` (a DOPA code or a ``TH`` P-code) or
  ``location/name`` (matched with geothai) -> tambons.
- ``related-activity`` types 1, 2, 4, 5 -> coordination links.

Everything that cannot be placed is a line of the import report.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> xml = '''<iati-activities version="2.03"><iati-activity xml:lang="en" default-currency="THB">
...   <iati-identifier>TH-EX-1</iati-identifier><title><narrative>Life plans</narrative></title>
...   <participating-org ref="TH-EX-CODI" role="1" type="15"><narrative>CODI</narrative></participating-org>
...   <activity-date type="1" iso-date="2006-01-01"/><activity-date type="3" iso-date="2006-12-31"/>
...   <sector code="43040"/><location><administrative vocabulary="A3" code="TH801208"/></location>
... </iati-activity></iati-activities>'''
>>> _ = (d / "a.xml").write_text(xml, encoding="utf-8")
>>> summary = import_iati(d / "a.xml", d / "out")
>>> summary.counts["programs.csv"], summary.counts["locations.csv"], summary.counts["import-report.csv"]
(1, 1, 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import Problem
from . import codelists
from .builder import Activity, Org, ReportLine, build_dataset
from .folder import ImportFailed, ImportSummary, write_folder
from .names import clean, is_thai, slug, year_of
from .places import Place, from_code, from_names, parse_code

__all__ = ["read_iati", "import_iati"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CHUNK = 1 << 16
#: Gazetteers whose numeric ids could look like a DOPA code; their bare digits are not read as one.
_NUMERIC_GAZETTEERS = {"A1", "G1"}


class _Target:
    """An ElementTree parser target that hands over one ``<iati-activity>`` at a time.

    Activities are not kept under the root, so memory is bounded by the
    largest activity, and every element's start line is remembered.
    """

    def __init__(self, on_root: Callable[[str, dict[str, str]], None],
                 on_activity: Callable[[Element, dict[Element, int]], None]):
        self.on_root = on_root
        self.on_activity = on_activity
        self.line: Callable[[], int] = lambda: 0
        self.stack: list[Element] = []
        self.lines: dict[Element, int] = {}
        self.text: list[str] = []
        self.root: Element | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        if self.root is None:
            self.on_root(tag, attrib)
        elem = Element(tag, attrib)
        if self.root is None:
            self.root = elem
        elif len(self.stack) > 1:
            self.stack[-1].append(elem)
        self.text = []
        self.stack.append(elem)
        self.lines[elem] = self.line()
        return elem

    def data(self, text: str) -> None:
        self.text.append(text)

    def end(self, tag: str) -> Element:
        elem = self.stack.pop()
        if len(elem) == 0:
            elem.text = "".join(self.text)
        self.text = []
        if len(self.stack) == 1:  # a child of the root: hand it over if an activity, then forget it
            if elem.tag == "iati-activity":
                self.on_activity(elem, self.lines)
            self.lines = {self.stack[0]: self.lines[self.stack[0]]}
        return elem

    def close(self) -> Element | None:
        return self.root


def _attr(elem: Element | None, name: str) -> str:
    """An attribute, cleaned; ``""`` when the element or the attribute is missing."""
    return clean(elem.get(name)) if elem is not None else ""


@dataclass
class _Context:
    """What reading one activity needs: where it is, its defaults, and the report."""

    file: str
    lines: dict[Element, int]
    lang: str
    currency: str
    item: str
    report: list[ReportLine]

    def problem(self, elem: Element | None, field: str, value: str | None, slug_: str,
                problem: str, action: str) -> None:
        line = self.lines.get(elem) if elem is not None else None
        self.report.append(ReportLine(self.file, line, self.item, field, value or "", slug_,
                                      problem, action))


def _names(elem: Element | None, lang: str) -> tuple[str, str]:
    """(Thai, English) narratives of an element; other languages only when nothing else is there.

    A narrative's language is its ``xml:lang``, else the activity's; a
    narrative with neither is Thai when written in Thai script.
    """
    th = en = other = ""
    for n in (elem.findall("narrative") if elem is not None else []):
        text = clean(n.text)
        if not text:
            continue
        code = (n.get(_XML_LANG) or lang or ("th" if is_thai(text) else "en")).lower()[:2]
        if code == "th":
            th = th or text
        elif code == "en":
            en = en or text
        else:
            other = other or text
    return th, (en or (other if not th else ""))


def _org(elem: Element, lang: str) -> Org:
    th, en = _names(elem, lang)
    return Org(ref=clean(elem.get("ref")), name_th=th, name_en=en, org_type=clean(elem.get("type")))


def _same_org(a: Org, b: Org) -> bool:
    if a.ref and b.ref:
        return slug(a.ref) == slug(b.ref)
    names = {slug(n) for n in (a.name_th, a.name_en) if slug(n)}
    return bool(names & {slug(n) for n in (b.name_th, b.name_en) if slug(n)})


def _participants(act: Element, ctx: _Context) -> tuple[list[Org], list[tuple[Org, str]]]:
    funders: list[Org] = []
    implementers: list[tuple[Org, str]] = []
    for elem in act.findall("participating-org"):
        org = _org(elem, ctx.lang)
        role = codelists.ORG_ROLES.get(clean(elem.get("role")))
        if not org.label:
            ctx.problem(elem, "participating-org", "", "org-without-name",
                        "an organisation with a @ref or a narrative name", "organisation left out")
        elif role is None:
            ctx.problem(elem, "participating-org/@role", elem.get("role"), "unknown-role",
                        "an IATI OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, "
                        "4 Implementing", f"organisation {org.label} left out of this activity")
        elif role == "funding":
            if not any(_same_org(org, f) for f in funders):
                funders.append(org)
        else:
            implementers.append((org, role))
    if not funders:
        ctx.problem(act, "participating-org", "", "no-funder",
                    "a participating-org with role 1 (Funding)", "program written without funding")
    return funders, implementers


def _years(act: Element, ctx: _Context) -> tuple[int, int] | None:
    found: dict[str, int] = {}
    for elem in act.findall("activity-date"):
        kind = clean(elem.get("type"))
        year = year_of(elem.get("iso-date"))
        if kind not in codelists.DATE_TYPES:
            continue
        if year is None:
            ctx.problem(elem, "activity-date/@iso-date", elem.get("iso-date"), "bad-date",
                        "an ISO date such as 2006-10-01 (year 1900-2200 CE)", "date left out")
        else:
            found.setdefault(kind, year)
    start = found.get("2", found.get("1"))
    end = found.get("4", found.get("3"))
    if start is None and end is None:
        ctx.problem(act, "activity-date", "", "no-dates",
                    "an activity-date of type 1 or 2 (start) and 3 or 4 (end)", "activity left out")
        return None
    if start is None or end is None:
        which, known = ("start", end) if start is None else ("end", start)
        ctx.problem(act, "activity-date", str(known), f"no-{which}-date",
                    f"an activity-date for the {which} ({'1 or 2' if which == 'start' else '3 or 4'})",
                    f"{which} year set to {known}")
        start = end = known
    if end < start:
        ctx.problem(act, "activity-date", f"{start}-{end}", "reversed-dates",
                    "an end date not before the start date", "activity left out")
        return None
    return start, end


def _themes(act: Element, ctx: _Context) -> list[str]:
    themes: list[str] = []
    for elem in [*act.findall("sector"), *act.findall("transaction/sector")]:
        code = clean(elem.get("code"))
        theme = codelists.sector_theme(clean(elem.get("vocabulary")) or None, code) if code else ""
        if not theme:
            ctx.problem(elem, "sector/@code", code, "bad-sector", "a sector code", "sector left out")
        elif theme not in themes:
            themes.append(theme)
    if not themes:
        ctx.problem(act, "sector", "", "no-sector", "a sector element with a code",
                    f"theme set to '{codelists.UNSPECIFIED_THEME}'")
        themes.append(codelists.UNSPECIFIED_THEME)
    return themes


def _money(elem: Element | None, ctx: _Context, field: str) -> Decimal | None:
    """A THB amount from a ``value`` element, or ``None`` after reporting why not."""
    if elem is None:
        return None
    currency = clean(elem.get("currency")) or ctx.currency
    text = clean(elem.text)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        ctx.problem(elem, field, text, "bad-amount", "a number such as 100000.00", "amount left out")
        return None
    if not amount.is_finite():
        ctx.problem(elem, field, text, "bad-amount", "a finite number", "amount left out")
        return None
    if currency.upper() != "THB":
        ctx.problem(elem, field, f"{text} {currency or '(no currency)'}", "not-thb",
                    "an amount in THB (@currency or the activity's @default-currency); "
                    "other currencies are not converted", "amount left out")
        return None
    return amount


def _amounts(act: Element, funders: list[Org], ctx: _Context) -> list[tuple[Org, int | None, Decimal]]:
    """Commitments per funder and year; the budgets when there are none and one funder."""
    reporting = act.find("reporting-org")
    out: list[tuple[Org, int | None, Decimal]] = []
    commitments = [t for t in act.findall("transaction")
                   if _attr(t.find("transaction-type"), "code") in codelists.COMMITMENT_TYPES]
    for t in commitments:
        provider_elem = t.find("provider-org")
        if provider_elem is None and reporting is not None:
            provider_elem = reporting
        provider = _org(provider_elem, ctx.lang) if provider_elem is not None else None
        funder = next((f for f in funders if provider is not None and _same_org(provider, f)), None)
        if funder is None and t.find("provider-org") is None and len(funders) == 1:
            funder = funders[0]
        value = t.find("value")
        if funder is None:
            ctx.problem(t, "transaction/provider-org", provider.label if provider else "",
                        "unattributed-amount", "a provider-org that is a funding participating-org",
                        "amount left out")
            continue
        amount = _money(value, ctx, "transaction/value")
        if amount is not None:
            year = year_of(_attr(t.find("transaction-date"), "iso-date")) or year_of(value.get("value-date"))
            out.append((funder, year, amount))
    if commitments:
        return out
    budgets: dict[int | None, tuple[str, Element]] = {}
    for b in act.findall("budget"):
        year = year_of(_attr(b.find("period-start"), "iso-date"))
        kind = clean(b.get("type"))
        if year not in budgets or (kind == codelists.REVISED_BUDGET
                                   and budgets[year][0] != codelists.REVISED_BUDGET):
            budgets[year] = (kind, b)
    for year, (_, b) in budgets.items():
        if len(funders) != 1:
            ctx.problem(b, "budget", clean(b.findtext("value")), "unattributed-amount",
                        "one funding participating-org to give the budget to "
                        f"(this activity has {len(funders)})", "amount left out")
            continue
        amount = _money(b.find("value"), ctx, "budget/value")
        if amount is not None:
            out.append((funders[0], year, amount))
    return out


def _place(loc: Element, ctx: _Context) -> tuple[Place, Element, str, str]:
    """The tambon of one ``location``: from a DOPA code, else from its name.

    Returns the place with the element, field and value to report when it
    has no code. An unknown tambon code is reported before a name that fits
    nothing, and both before a province or district code.
    """
    context: dict[int, str] = {}
    failures: list[tuple[int, tuple[Place, Element, str, str]]] = []
    for adm in loc.findall("administrative"):
        code = _attr(adm, "code")
        digits = parse_code(code)
        if digits is None or (_attr(adm, "vocabulary") in _NUMERIC_GAZETTEERS
                              and not code.upper().startswith("TH")):
            continue  # another gazetteer's id, not a DOPA code
        place = from_code(code)
        if place.code:
            return place, adm, "", ""
        if place.slug == "not-tambon-level":
            context[len(digits)] = digits
        rank = 0 if place.slug == "unknown-tambon" else 2
        failures.append((rank, (place, adm, "location/administrative/@code", code)))
    name_elem = loc.find("name")
    for name in filter(None, _names(name_elem, ctx.lang)):
        place = from_names(name, district=context.get(4), province=context.get(2))
        if place.code:
            return place, loc, "", ""
        failures.append((1, (place, name_elem, "location/name", name)))
    if failures:
        return min(failures, key=lambda f: f[0])[1]
    return (Place(None, slug="unusable-location",
                  problem="a location/administrative @code (a DOPA code or TH P-code) or a "
                          "location/name naming a tambon"), loc, "location", _attr(loc, "ref"))


def _tambons(act: Element, ctx: _Context) -> dict[str, str]:
    """Tambon code -> how it was found, for every location that names one."""
    locations = act.findall("location")
    if not locations:
        countries = " ".join(_attr(c, "code") for c in act.findall("recipient-country"))
        ctx.problem(act, "location", countries, "no-location",
                    "a location element naming a tambon (a sub-national location)",
                    "program written without a tambon")
    out: dict[str, str] = {}
    for loc in locations:
        place, elem, field, value = _place(loc, ctx)
        if place.code:
            out.setdefault(place.code, place.matched_from)
        else:
            ctx.problem(elem, field, value, place.slug or "", place.problem, "location left out")
    return out


def _activity(act: Element, ctx: _Context) -> Activity | None:
    """One ``iati-activity`` as an :class:`Activity`, or ``None`` (reported) when it cannot be one."""
    identifier = ctx.item
    years = _years(act, ctx)
    if years is None:
        return None
    funders, implementers = _participants(act, ctx)
    themes = _themes(act, ctx)
    amounts = _amounts(act, funders, ctx)
    tambons = _tambons(act, ctx)
    related = []
    for rel in act.findall("related-activity"):
        if _attr(rel, "ref"):
            related.append((_attr(rel, "ref"), _attr(rel, "type"), ctx.file, ctx.lines.get(rel)))
        else:
            ctx.problem(rel, "related-activity/@ref", "", "related-without-ref",
                        "the identifier of the related activity in @ref", "no coordination link")
    th, en = _names(act.find("title"), ctx.lang)
    if not (th or en):
        ctx.problem(act, "title", "", "no-title", "a title with a narrative",
                    "program named by its identifier")
    return Activity(key=identifier, activity_id=identifier, item=identifier, name_th=th, name_en=en,
                    themes=themes, start_year=years[0], end_year=years[1], funders=funders,
                    implementers=implementers, tambons=tambons, amounts=amounts, related=related,
                    file=ctx.file, line=ctx.lines.get(act))


class _NotIati(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def read_iati(path: str | Path) -> tuple[list[Activity], list[ReportLine]]:
    """Read an IATI 2.0x activity file into activities and report lines.

    Parameters
    ----------
    path : path
        An XML file whose root is ``<iati-activities>``.

    Returns
    -------
    (list of Activity, list of ReportLine)
        The activities that can be programs, in file order, and every
        element that could not be placed.

    Raises
    ------
    ImportFailed
        The file cannot be read, is not well-formed XML, declares entities,
        is not an IATI 2.0x activity file, or holds no activity.

    Notes
    -----
    Streams the file: memory is bounded by one activity plus the small
    records kept per activity.
    """
    file = str(path)
    report: list[ReportLine] = []
    activities: list[Activity] = []
    seen: set[str] = set()
    parser: DefusedXMLParser

    def on_activity(elem: Element, lines: dict[Element, int]) -> None:
        nonlocal count
        count += 1
        root = target.root
        assert root is not None
        lang = elem.get(_XML_LANG) or root.get(_XML_LANG) or ""
        identifier = clean(elem.findtext("iati-identifier"))
        ctx = _Context(file, lines, lang, _attr(elem, "default-currency"), identifier, report)
        if not identifier:
            ctx.problem(elem, "iati-identifier", "", "no-identifier",
                        "an iati-identifier", "activity left out")
        elif identifier in seen:
            ctx.problem(elem, "iati-identifier", identifier, "duplicate-activity",
                        "each activity once in the file", "activity left out (the first is kept)")
        else:
            seen.add(identifier)
            activity = _activity(elem, ctx)
            if activity is not None:
                activities.append(activity)

    def check_root(tag: str, attrib: dict[str, str]) -> None:
        line = parser.parser.CurrentLineNumber
        if tag != "iati-activities":
            raise _NotIati(Problem(file, line, None, tag, "not-iati",
                                   "an IATI activity file, whose root element is <iati-activities>"))
        version = attrib.get("version", "2")
        if not version.startswith("2"):
            raise _NotIati(Problem(file, line, None, version, "iati-version",
                                   "IATI version 2.01, 2.02 or 2.03 (the version attribute "
                                   "of <iati-activities>)"))

    count = 0
    target = _Target(check_root, on_activity)
    parser = DefusedXMLParser(target=target)
    target.line = lambda: parser.parser.CurrentLineNumber
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                parser.feed(chunk)
        parser.close()
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ImportFailed(str(Problem(file, line, None, None, "bad-xml",
                                       f"well-formed XML ({reason}, column {column + 1})"))) from None
    except DefusedXmlException:
        raise ImportFailed(str(Problem(
            file, parser.parser.CurrentLineNumber, None, None, "xml-entities",
            "XML without entity declarations or external references (refused: they can make "
            "an XML bomb or read other files)"))) from None
    except _NotIati as exc:
        raise ImportFailed(str(exc.problem)) from None
    except OSError as exc:
        raise ImportFailed(f"{file}: cannot read the file: {exc.strerror or exc}") from None
    if count == 0:
        raise ImportFailed(str(Problem(file, None, None, None, "no-activities",
                                       "at least one <iati-activity> in <iati-activities>")))
    return activities, report


def import_iati(path: str | Path, out: str | Path, *, force: bool = False) -> ImportSummary:
    """Import an IATI activity file into a new v1 dataset folder with ``import-report.csv``.

    Parameters
    ----------
    path : path
        The IATI 2.0x activity XML file.
    out : path
        The folder to write: new or empty, or any folder with ``force``.
    force : bool
        Replace the dataset files and the report in a non-empty folder.

    Returns
    -------
    ImportSummary
        The folder and the rows written per file.

    Raises
    ------
    ImportFailed
        Bad input or an unusable output folder; nothing is written then.
    WriteFailed
        The disk refused a write; nothing is left half-written.
    """
    activities, report = read_iati(path)
    files = build_dataset(activities, report, source=f"iati:{Path(path).name}")
    return ImportSummary(Path(out), write_folder(files, report, out, force=force))
