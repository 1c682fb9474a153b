"""From activities read out of any source to the rows of a v1 dataset folder.

Each importer reads its format into :class:`Activity` records (small: names,
years, themes, organisations, tambon codes, amounts) and :class:`ReportLine`
records for whatever it could not place; :func:`build_dataset` then gives
every organisation and activity its stable id and makes the rows of the
contract's files. Format knowledge stays in the importers; id rules, one
fund per funder and the shape of the files live here once.

Examples
--------
>>> codi = Org(ref="TH-EX-CODI", name_th="พอช.", name_en="CODI", org_type="15")
>>> tao = Org(name_th="อบต.หูล่อง")
>>> act = Activity(key="A1", activity_id="A1", item="A1", name_th="แผนชีวิต", name_en="",
...                themes=["community_planning"], start_year=2006, end_year=2006,
...                funders=[codi], implementers=[(tao, "implementing")], tambons={"801208": "code 801208"})
>>> files = build_dataset([act], [], source="iati:x.xml")
>>> [r[0] for r in files["agencies"].rows], [r[0] for r in files["funds"].rows]
(['th_ex_codi', 'อบต_หูล่อง'], ['th_ex_codi_fund'])
>>> files["locations"].rows
[['a1', '801208', 'code 801208', 'iati:x.xml']]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from .codelists import RELATED_ACTIVITY_TYPES, COUNTED_RELATED_TYPES, agency_kind
from .names import IdSpace, clean, slug

__all__ = ["Org", "Activity", "ReportLine", "Table", "REPORT_HEADER", "build_dataset"]


@dataclass(frozen=True)
class Org:
    """An organisation as a source names it: a reference and/or names, and a type."""

    ref: str = ""
    name_th: str = ""
    name_en: str = ""
    org_type: str = ""

    @property
    def label(self) -> str:
        return self.name_th or self.name_en or self.ref


@dataclass(frozen=True)
class ReportLine:
    """One thing the importer could not place, and what it did instead.

    ``line`` is the line of the input file (the header row is line 1 of an
    HXL sheet; an XML element's start tag for IATI); ``item`` names the
    activity; ``field`` is the HXL tag or the IATI element; ``value`` what
    was there; ``slug`` is stable for scripts; ``problem`` says what was
    expected; ``action`` what was written instead.
    """

    file: str
    line: int | None
    item: str
    field: str
    value: str
    slug: str
    problem: str
    action: str

    def row(self) -> list[object]:
        return [self.file, self.line, self.item, self.field, self.value, self.slug, self.problem,
                self.action]


REPORT_HEADER = ("file", "line", "item", "field", "value", "slug", "problem", "action")


@dataclass
class Activity:
    """One program as read from a source, before ids are given.

    ``amounts`` holds (funder, year, amount in baht) triples; every funder in
    it is also in ``funders``. ``related`` holds (other activity's key,
    RelatedActivityType code, file, line) for coordination links.
    """

    key: str
    activity_id: str
    item: str
    name_th: str
    name_en: str
    themes: list[str]
    start_year: int
    end_year: int
    funders: list[Org] = field(default_factory=list)
    implementers: list[tuple[Org, str]] = field(default_factory=list)
    tambons: dict[str, str] = field(default_factory=dict)
    amounts: list[tuple[Org, int | None, Decimal]] = field(default_factory=list)
    related: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    file: str = ""
    line: int | None = None


@dataclass
class Table:
    """The header and rows of one CSV file of the dataset."""

    header: tuple[str, ...]
    rows: list[list[object]] = field(default_factory=list)


def _names(name_th: str, name_en: str, fallback: str) -> tuple[str, str]:
    """(name, name_en) for the contract: the Thai name first; no English copy of the same text."""
    name = name_th or name_en or fallback
    return name, (name_en if name_en and name_en != name else "")


def _key(text: str) -> str:
    """What makes two refs or names the same organisation: the slug, else (no letter or
    digit at all, e.g. ``---``) the text itself."""
    return slug(text) or clean(text)


class _Agencies:
    """One agency per IATI ref / HXL code, else per normalised name (any of its names)."""

    def __init__(self, ids: IdSpace):
        self.ids = ids
        self.by_ref: dict[str, dict] = {}
        self.by_name: dict[str, dict] = {}
        self.by_id: dict[str, dict] = {}
        self.rows: list[dict] = []

    def register(self, org: Org) -> None:
        row = self.by_ref.get(_key(org.ref)) if org.ref else self.find(org)
        if row is None:
            row = {"id": self.ids.claim(slug(org.ref or org.label), fallback="agency"),
                   "ref": org.ref, "th": "", "en": "", "type": ""}
            self.rows.append(row)
            self.by_id[row["id"]] = row
            if org.ref:
                self.by_ref[_key(org.ref)] = row
        # The first Thai name, English name and type seen are kept.
        row["th"] = row["th"] or org.name_th
        row["en"] = row["en"] or org.name_en
        row["type"] = row["type"] or org.org_type
        for name in filter(None, (org.name_th, org.name_en)):
            self.by_name.setdefault(_key(name), row)

    def find(self, org: Org) -> dict | None:
        if org.ref:
            return self.by_ref[_key(org.ref)]
        keys = [_key(name) for name in (org.name_th, org.name_en) if name]
        return next((self.by_name[k] for k in keys if k in self.by_name), None)

    def id_of(self, org: Org) -> str:
        row = self.find(org)
        assert row is not None, org
        return row["id"]

    def table(self, source: str) -> Table:
        out = Table(("id", "name", "name_en", "kind", "org_ref", "org_type", "source"))
        for r in self.rows:
            name, name_en = _names(r["th"], r["en"], r["ref"] or r["id"])
            out.rows.append([r["id"], name, name_en, agency_kind(r["type"]).value, r["ref"],
                             r["type"], source])
        return out


def _amount_text(amount: Decimal) -> str:
    """Baht as the reader accepts it: digits and an optional decimal part, no exponent.

    >>> _amount_text(Decimal("1E+5")), _amount_text(Decimal("100000.50"))
    ('100000', '100000.5')
    """
    return format(amount.normalize(), "f")


def build_dataset(activities: Iterable[Activity], report: list[ReportLine], *,
                  source: str) -> dict[str, Table]:
    """The dataset files (name -> :class:`Table`) for ``activities``.

    Parameters
    ----------
    activities : iterable of Activity
        In input order; ids are claimed in this order, so they are stable.
    report : list of ReportLine
        Receives the related activities that do not become coordination links.
    source : str
        The ``source`` value of every row, e.g. ``iati:activities.xml``.

    Notes
    -----
    Ids: organisations from ``slug(ref)`` or, with no ref, ``slug(name)``
    (an org without a ref whose name matches an org with one is that org);
    a fund per funding agency, ``<agency>_fund``; programs from
    ``slug(activity id)``. A taken id gets ``_2``, ``_3`` ...
    Linear in the number of activities and their links.
    """
    activities = list(activities)
    ids = IdSpace()
    agencies = _Agencies(ids)
    orgs = [o for a in activities for o in (*a.funders, *(o for o, _ in a.implementers))]
    for org in sorted(orgs, key=lambda o: not o.ref):  # refs first, so names can join them
        agencies.register(org)

    program_of: dict[str, str] = {}
    files = {
        "programs": Table(("id", "name", "name_en", "themes", "start_year", "end_year",
                           "activity_id", "source")),
        "funds": Table(("id", "name", "name_en", "agency", "source")),
        "funding": Table(("fund", "program", "amount_thb", "fiscal_year", "source")),
        "implementation": Table(("implementer", "program", "role", "source")),
        "locations": Table(("program", "tambon", "matched_from", "source")),
        "coordination": Table(("a", "b", "mechanism", "source")),
    }
    fund_of: dict[str, str] = {}
    for act in activities:
        pid = ids.claim(slug(act.activity_id or act.name_th or act.name_en), fallback="program")
        program_of[act.key] = pid
        name, name_en = _names(act.name_th, act.name_en, act.activity_id)
        files["programs"].rows.append([pid, name, name_en, ";".join(act.themes), act.start_year,
                                       act.end_year, act.activity_id, source])
        _add_funding(act, pid, agencies, ids, fund_of, files, report, source)
        roles: dict[str, list[str]] = defaultdict(list)
        for org, role in act.implementers:
            if role not in roles[agencies.id_of(org)]:
                roles[agencies.id_of(org)].append(role)
        files["implementation"].rows += [[aid, pid, "; ".join(r), source] for aid, r in roles.items()]
        files["locations"].rows += [[pid, code, how, source] for code, how in act.tambons.items()]

    _add_coordination(activities, program_of, files["coordination"], report, source)
    files["agencies"] = agencies.table(source)
    files["groups"] = Table(("id", "name", "kind", "tambon"))
    return files


def _add_funding(act: Activity, pid: str, agencies: _Agencies, ids: IdSpace,
                 fund_of: dict[str, str], files: dict[str, Table], report: list[ReportLine],
                 source: str) -> None:
    totals: dict[str, dict[int | None, Decimal]] = {}
    for org in act.funders:
        totals.setdefault(agencies.id_of(org), {})
    for org, year, amount in act.amounts:
        by_year = totals[agencies.id_of(org)]
        by_year[year] = by_year.get(year, Decimal(0)) + amount
    for aid, by_year in totals.items():
        if aid not in fund_of:
            fund_of[aid] = ids.claim(f"{aid}_fund")
            label = agencies.by_id[aid]
            th, en = label["th"] or label["en"] or label["ref"], label["en"] or label["th"] or label["ref"]
            files["funds"].rows.append([fund_of[aid], f"เงินทุนจาก {th}", f"Funding from {en}", aid,
                                        source])
        rows = sorted(by_year.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)) or [(None, None)]
        for year, amount in rows:
            if amount is not None and amount < 0:
                report.append(ReportLine(act.file, act.line, act.item, "amount", _amount_text(amount),
                                         "negative-amount", f"a total of 0 or more baht for {aid} "
                                         f"in {year or 'an unknown year'}", "amount left out"))
                amount = None
            files["funding"].rows.append([fund_of[aid], pid,
                                          None if amount is None else _amount_text(amount),
                                          year, source])


def _add_coordination(activities: list[Activity], program_of: dict[str, str], table: Table,
                      report: list[ReportLine], source: str) -> None:
    seen: set[tuple[str, str]] = set()
    for act in activities:
        for other, rtype, file, line in act.related:
            kind = RELATED_ACTIVITY_TYPES.get(rtype, f"type {rtype}")
            if rtype not in COUNTED_RELATED_TYPES:
                report.append(ReportLine(
                    file, line, act.item, "related-activity", other, "related-not-counted",
                    f"a related-activity of type 1, 2, 4 or 5 (parent, child, co-funded, third "
                    f"party); type {rtype} ({kind}) does not say the two work together",
                    "no coordination link"))
                continue
            if other not in program_of:
                report.append(ReportLine(
                    file, line, act.item, "related-activity", other, "related-not-in-file",
                    "the identifier of an activity imported from this file", "no coordination link"))
                continue
            if other == act.key:
                report.append(ReportLine(
                    file, line, act.item, "related-activity", other, "related-to-itself",
                    "the identifier of another activity", "no coordination link"))
                continue
            pair = tuple(sorted((program_of[act.key], program_of[other])))
            if pair not in seen:
                seen.add(pair)
                table.rows.append([program_of[act.key], program_of[other],
                                   f"IATI related activity ({kind})", source])
