"""A generated Thailand: a v1 dataset folder built from the real gazetteer.

:func:`synthesize` writes agencies, funds, programs, groups and the links
between them for every current tambon of the chosen provinces (DOPA codes
from ``geothai``), shaped like the Nakhon Si Thammarat seed case: national
line agencies with a provincial fund per province and programs per
district, a local government per tambon with its own fund and programs,
village-fund and occupational groups, special-agency pilots and the
governor's (CEO) programs in a share of tambons, and a few coordination
links. ``docs/synth.md`` has the table of what is generated where and why.

The output is deterministic: one :class:`random.Random` per province,
seeded from ``seed`` and the province code, so the rows of a province are
the same bytes whether it is generated alone or with the whole country.
Files are written one row at a time; only one province's bookkeeping is
held in memory.

Examples
--------
>>> import tempfile
>>> s = synthesize(tempfile.mkdtemp(), provinces=["83"], scale=0.1)
>>> s.tambons, s.districts
(17, 3)
>>> s.rows["agencies"], s.rows["programs"], s.rows["locations"]
(32, 82, 221)
>>> s.relationships >= s.rows["locations"]
True
"""

from __future__ import annotations

import csv
import math
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

import geothai

from .errors import SynthError
from .outputs import writing

__all__ = [
    "SynthSummary",
    "synthesize",
    "province_codes",
    "check_provinces",
    "BENCHMARK_PROVINCES",
    "THEMES",
    "YEARS_BE",
]

#: Every theme code the generator uses; agencies share them, so parallel pairs occur.
THEMES = (
    "agriculture", "community_finance", "community_planning", "community_welfare", "culture",
    "disaster", "elderly_care", "environment", "farmer_groups", "health", "housing",
    "infrastructure", "learning", "livestock", "local_research", "occupation", "poverty_data",
    "security", "water", "youth",
)
#: Programs start in one of these fiscal years (Buddhist Era, as Thai records write them).
YEARS_BE = (2566, 2567, 2568)

#: Province sets for benchmarks at about 1 % and 10 % of the 7,436 tambons (see docs/synth.md).
BENCHMARK_PROVINCES: dict[str, tuple[str, ...]] = {
    "1%": ("82", "85"),  # Phang-nga, Ranong: 78 tambons, 1.05 %
    "10%": ("80", "81", "82", "83", "84", "85", "86", "90", "91", "93"),  # 747 tambons, 10.05 %
}

# --- the numbers of docs/synth.md (per unit at scale 1) ------------------------------------

_LOCAL_PROGRAMS = 30  # per tambon, run by its local government
_GROUPS = 2  # per tambon
_LINE_PROGRAMS = 5  # per district and line agency
_GROUP_LOCAL_PROGRAMS = 2  # local programs each group takes part in
_LG_LINK_SHARE = 0.35  # tambons where the local government has a joint plan with one line agency
_PROGRAM_LINK_SHARE = 0.10  # tambons with a joint activity of a local and a district program
_MUNICIPALITY_SHARE = 0.25  # local governments that are municipalities rather than TAOs
_PLAN_PARTNERS = 1  # line agencies on the provincial development committee with the planning office
_DURATIONS = ((1, 0.60), (2, 0.25), (3, 0.15))  # program length in years and its share


class _Title(NamedTuple):
    th: str
    en: str
    themes: tuple[str, ...]


class _LineAgency(NamedTuple):
    id: str
    name: str
    name_en: str
    short: str
    short_en: str
    catalog: tuple[_Title, ...]


class _Pilot(NamedTuple):
    title: _Title
    share: float  # of the province's tambons
    implementer: str | None  # a line agency for CEO programs; None: each tambon's first group
    per_tambon_thb: int | None = None  # a known grant per tambon, else a random total


def _t(th: str, en: str, *themes: str) -> _Title:
    return _Title(th, en, themes)


_LINE: tuple[_LineAgency, ...] = (
    _LineAgency("doae", "เกษตร (กรมส่งเสริมการเกษตร)", "Agriculture (Department of Agricultural Extension)",
                "กรมส่งเสริมการเกษตร", "Agricultural extension", (
        _t("พัฒนากลุ่มเกษตรกรและวิสาหกิจชุมชน", "Farmer groups and community enterprises", "farmer_groups", "occupation"),
        _t("ศูนย์ถ่ายทอดเทคโนโลยีการเกษตรประจำตำบล", "Tambon agricultural technology transfer centres", "agriculture", "learning"),
        _t("ส่งเสริมเกษตรทฤษฎีใหม่", "New-theory farming", "agriculture"),
        _t("ส่งเสริมการเกษตรแปลงใหญ่", "Large collective farms", "agriculture", "farmer_groups"),
        _t("ส่งเสริมการผลิตพืชปลอดภัย", "Safe crop production", "agriculture", "health"),
    )),
    _LineAgency("moph", "สาธารณสุข (กระทรวงสาธารณสุข)", "Public health (Ministry of Public Health)",
                "กระทรวงสาธารณสุข", "Public health", (
        _t("เมืองไทยแข็งแรง (ผ่าน อสม.)", "Strong Thailand (through village health volunteers)", "health"),
        _t("ดูแลผู้สูงอายุระยะยาว", "Long-term care for older people", "elderly_care", "health"),
        _t("ควบคุมโรคไข้เลือดออก", "Dengue control", "health", "environment"),
        _t("คัดกรองเบาหวานและความดันโลหิตสูง", "Diabetes and hypertension screening", "health"),
        _t("อนามัยแม่และเด็ก", "Maternal and child health", "health", "youth"),
    )),
    _LineAgency("cdd", "พัฒนาชุมชน (กรมการพัฒนาชุมชน)", "Community development (Community Development Department)",
                "กรมการพัฒนาชุมชน", "Community development", (
        _t("OTOP และกลุ่มการเงินชุมชน", "OTOP and community finance groups", "occupation", "community_finance"),
        _t("ส่งเสริมการจัดทำแผนชุมชน", "Community plans", "community_planning"),
        _t("ข้อมูลความจำเป็นพื้นฐาน (จปฐ.)", "Basic minimum needs data", "poverty_data"),
        _t("หมู่บ้านเศรษฐกิจพอเพียง", "Sufficiency economy villages", "community_planning", "occupation"),
        _t("ส่งเสริมกลุ่มออมทรัพย์เพื่อการผลิต", "Savings-for-production groups", "community_finance"),
    )),
    _LineAgency("nfe", "การศึกษานอกโรงเรียน (กศน.)", "Non-formal education (NFE)",
                "สำนักงาน กศน.", "Non-formal education", (
        _t("สนับสนุนการเรียนรู้ของกลุ่มอาชีพ", "Learning support for occupational groups", "occupation", "learning"),
        _t("ศูนย์การเรียนชุมชน", "Community learning centres", "learning"),
        _t("การศึกษาต่อเนื่องเพื่อพัฒนาอาชีพ", "Continuing education for occupations", "occupation", "learning"),
        _t("ส่งเสริมการอ่านในชุมชน", "Community reading", "learning", "youth"),
        _t("เรียนรู้ตามหลักเศรษฐกิจพอเพียง", "Learning the sufficiency economy", "learning", "community_planning"),
    )),
    _LineAgency("dopa", "กรมการปกครอง", "Department of Provincial Administration (DOPA)",
                "กรมการปกครอง", "DOPA", (
        _t("สำรวจข้อมูลครัวเรือนยากจน", "Poor household survey", "poverty_data", "community_planning"),
        _t("หมู่บ้านปลอดยาเสพติด", "Drug-free villages", "security", "youth"),
        _t("อาสารักษาดินแดนประจำตำบล", "Tambon volunteer defence corps", "security", "disaster"),
        _t("แก้ไขปัญหาความยากจนแบบบูรณาการ", "Integrated poverty reduction", "poverty_data", "occupation"),
        _t("ไกล่เกลี่ยข้อพิพาทในหมู่บ้าน", "Village dispute mediation", "security"),
    )),
    _LineAgency("dld", "ปศุสัตว์ (กรมปศุสัตว์)", "Livestock (Department of Livestock Development)",
                "กรมปศุสัตว์", "Livestock", (
        _t("ส่งเสริมการเลี้ยงโคเนื้อ", "Beef cattle raising", "livestock", "occupation"),
        _t("ธนาคารโค-กระบือ", "Cattle and buffalo bank", "livestock", "community_finance"),
        _t("ฉีดวัคซีนป้องกันโรคสัตว์", "Animal vaccination", "livestock", "health"),
        _t("กลุ่มเกษตรกรผู้เลี้ยงสัตว์", "Livestock farmer groups", "livestock", "farmer_groups"),
        _t("ส่งเสริมการเลี้ยงไก่พื้นเมือง", "Native chicken raising", "livestock"),
    )),
    _LineAgency("rid", "ชลประทาน (กรมชลประทาน)", "Irrigation (Royal Irrigation Department)",
                "กรมชลประทาน", "Irrigation", (
        _t("พัฒนาแหล่งน้ำขนาดเล็ก", "Small water resources", "water", "agriculture"),
        _t("กลุ่มผู้ใช้น้ำชลประทาน", "Irrigation water-user groups", "water", "farmer_groups"),
        _t("ป้องกันและบรรเทาอุทกภัย", "Flood prevention and relief", "water", "disaster"),
        _t("ขุดลอกคลองส่งน้ำ", "Canal dredging", "water"),
        _t("ฝายชะลอน้ำ", "Check dams", "water", "environment"),
    )),
    _LineAgency("dsdw", "พัฒนาสังคม (กรมพัฒนาสังคมและสวัสดิการ)",
                "Social development (Department of Social Development and Welfare)",
                "กรมพัฒนาสังคมและสวัสดิการ", "Social development", (
        _t("ส่งเสริมสวัสดิการชุมชน", "Community welfare", "community_welfare"),
        _t("ปรับสภาพแวดล้อมที่อยู่อาศัยผู้สูงอายุ", "Home adaptation for older people", "elderly_care", "housing"),
        _t("ศูนย์พัฒนาครอบครัวในชุมชน", "Community family development centres", "community_welfare", "youth"),
        _t("ช่วยเหลือผู้ประสบปัญหาทางสังคม", "Support for people in social hardship", "community_welfare", "poverty_data"),
        _t("บ้านมั่นคงชนบท", "Secure rural housing", "housing"),
    )),
)

# (id, name, name_en, fund name, fund name_en, pilots)
_SPECIAL: tuple[tuple[str, str, str, str, str, tuple[_Pilot, ...]], ...] = (
    ("codi", "สถาบันพัฒนาองค์กรชุมชน (พอช.)", "Community Organizations Development Institute (CODI)",
     "งบสนับสนุนของ พอช.", "CODI support budget", (
         _Pilot(_t("แผนชีวิตชุมชน", "Community life plans", "community_planning", "poverty_data"), 0.5, None),
         _Pilot(_t("สวัสดิการชุมชน (สมทบตำบลละ 100,000 บาท)",
                   "Community welfare (matching 100,000 baht per tambon)", "community_welfare"),
                0.3, None, 100_000),
     )),
    ("trf", "สำนักงานกองทุนสนับสนุนการวิจัย (สกว.)", "Thailand Research Fund (TRF)",
     "ทุนวิจัยเพื่อท้องถิ่น สกว.", "TRF community-based research grant", (
         _Pilot(_t("งานวิจัยเพื่อท้องถิ่น", "Community-based research", "local_research", "learning"), 0.1, None),
     )),
    ("thaihealth", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ (สสส.)",
     "Thai Health Promotion Foundation (ThaiHealth)",
     "ทุนสนับสนุนโครงการ สสส.", "ThaiHealth project grant", (
         _Pilot(_t("ตำบลสุขภาวะ", "Healthy tambon", "health", "community_welfare"), 0.2, None),
     )),
)

_CEO: tuple[_Pilot, ...] = (
    _Pilot(_t("โครงการสำรวจคนจนและแผนแก้จน", "Poverty survey and poverty plans",
              "poverty_data", "community_planning"), 0.4, "dopa"),
    _Pilot(_t("ส่งเสริมอาชีพตามยุทธศาสตร์", "Occupations in the provincial strategy", "occupation"),
           0.3, "cdd"),
    _Pilot(_t("บริหารจัดการน้ำแบบบูรณาการ", "Integrated water management", "water", "disaster"), 0.2, "rid"),
)

_LOCAL: tuple[_Title, ...] = (
    _t("แผนพัฒนาตำบล", "Tambon development plan", "community_planning"),
    _t("ซ่อมแซมถนนในหมู่บ้าน", "Village road repair", "infrastructure"),
    _t("ขยายเขตประปาหมู่บ้าน", "Village water supply", "water", "infrastructure"),
    _t("เบี้ยยังชีพผู้สูงอายุ", "Old-age allowance", "elderly_care", "community_welfare"),
    _t("ศูนย์พัฒนาเด็กเล็ก", "Child development centre", "youth", "learning"),
    _t("อาหารกลางวันโรงเรียน", "School lunches", "youth", "health"),
    _t("กองทุนหลักประกันสุขภาพระดับท้องถิ่น", "Local health security fund", "health"),
    _t("ส่งเสริมอาชีพสตรี", "Women's occupations", "occupation"),
    _t("ฝึกอบรมอาชีพระยะสั้น", "Short vocational training", "occupation", "learning"),
    _t("ป้องกันและบรรเทาสาธารณภัย", "Disaster prevention and relief", "disaster"),
    _t("รณรงค์ป้องกันไข้เลือดออก", "Dengue campaign", "health", "environment"),
    _t("จัดการขยะชุมชน", "Community waste management", "environment"),
    _t("สืบสานประเพณีท้องถิ่น", "Local traditions", "culture"),
    _t("แข่งขันกีฬาต้านยาเสพติด", "Sports against drugs", "youth", "security"),
    _t("ขุดลอกแหล่งน้ำสาธารณะ", "Public pond dredging", "water", "agriculture"),
    _t("ส่งเสริมการเกษตรตำบล", "Tambon farming", "agriculture"),
    _t("สนับสนุนกลุ่มเกษตรกร", "Farmer group support", "farmer_groups"),
    _t("ส่งเสริมการเลี้ยงสัตว์", "Livestock raising", "livestock"),
    _t("ซ่อมแซมบ้านผู้ยากไร้", "Repairs for poor households", "housing", "community_welfare"),
    _t("จัดทำข้อมูลพื้นฐานตำบล", "Tambon basic data", "poverty_data", "community_planning"),
    _t("ส่งเสริมสุขภาพผู้สูงอายุ", "Health of older people", "elderly_care", "health"),
    _t("ห้องสมุดประชาชนตำบล", "Tambon public library", "learning"),
    _t("อาสาสมัครป้องกันภัยฝ่ายพลเรือน (อปพร.)", "Civil defence volunteers", "disaster", "security"),
    _t("สมทบกองทุนสวัสดิการชุมชน", "Matching the community welfare fund", "community_welfare", "community_finance"),
    _t("ส่งเสริมกลุ่มออมทรัพย์", "Savings groups", "community_finance"),
    _t("ปลูกป่าชุมชน", "Community forest planting", "environment"),
    _t("ไฟฟ้าส่องสว่างสาธารณะ", "Public lighting", "infrastructure", "security"),
    _t("สภาเด็กและเยาวชนตำบล", "Tambon children and youth council", "youth"),
    _t("เบี้ยความพิการ", "Disability allowance", "community_welfare"),
    _t("ส่งเสริมการท่องเที่ยวชุมชน", "Community tourism", "occupation", "culture"),
    _t("ปรับปรุงศูนย์การเรียนรู้ชุมชน", "Community learning centre upkeep", "learning", "infrastructure"),
)

# (id prefix, Thai name before the tambon, English name after it, kind)
_GROUP_KINDS = (
    ("vf", "เครือข่ายกองทุนหมู่บ้าน", "village fund network", "village fund network"),
    ("og", "กลุ่มอาชีพ", "occupational group", "occupational group"),
    ("sg", "กลุ่มออมทรัพย์เพื่อการผลิต", "savings-for-production group", "financial group"),
    ("fg", "กลุ่มเกษตรกร", "farmer group", "farmer group"),
    ("hv", "อาสาสมัครสาธารณสุขประจำหมู่บ้าน (อสม.) ", "village health volunteers", "health volunteers"),
    ("ec", "ชมรมผู้สูงอายุ", "older people's club", "elderly club"),
    ("yg", "กลุ่มเยาวชน", "youth group", "youth group"),
    ("wg", "กลุ่มแม่บ้าน", "housewives' group", "women's group"),
)

_HEADERS = {
    "agencies": ("id", "name", "name_en", "kind", "parent", "source"),
    "funds": ("id", "name", "name_en", "agency", "channel", "amount_thb", "source"),
    "programs": ("id", "name", "name_en", "themes", "start_year", "end_year", "pilot", "source"),
    "groups": ("id", "name", "name_en", "kind", "tambon", "source"),
    "funding": ("fund", "program", "amount_thb", "fiscal_year"),
    "implementation": ("implementer", "program", "role"),
    "locations": ("program", "tambon"),
    "coordination": ("a", "b", "mechanism", "tambon"),
}
_SOURCE = "synth"
_BANGKOK = "10"


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`synthesize` wrote.

    Attributes
    ----------
    folder : Path
        The dataset folder.
    provinces : tuple of str
        The province codes generated, sorted.
    districts, tambons : int
        How many districts and tambons they hold (every one is used).
    rows : dict
        Data rows per file (``"agencies"``, ``"funds"``, ...), header not counted.
    relationships : int
        The relationships ``graphmodel validate`` will count: FUNDS, IMPLEMENTS,
        LOCATED_IN, COORDINATES_WITH, MANAGES, BASED_IN, PART_OF, IN_DISTRICT, IN_PROVINCE.
    seconds : float
        Wall time of the run.
    """

    folder: Path
    provinces: tuple[str, ...]
    districts: int
    tambons: int
    rows: dict[str, int]
    relationships: int
    seconds: float = field(compare=False)

    @property
    def total_rows(self) -> int:
        """Data rows in all files together."""
        return sum(self.rows.values())


def province_codes() -> tuple[str, ...]:
    """The 2-digit codes of Thailand's current provinces, sorted.

    >>> codes = province_codes()
    >>> len(codes), codes[0], codes[-1]
    (77, '10', '96')
    """
    return tuple(p.code for p in geothai.provinces())


def check_provinces(codes: Iterable[str]) -> tuple[str, ...]:
    """Sorted, de-duplicated province codes; every one must be a current province.

    Raises
    ------
    SynthError
        Naming every unknown code.

    Examples
    --------
    >>> check_provinces(["83", "81", "83"])
    ('81', '83')
    >>> check_provinces(["81", "99", "8"])
    Traceback (most recent call last):
    ...
    graphmodel.errors.SynthError: unknown province codes '99', '8': 2-digit DOPA province codes such as 81 (Krabi)
    """
    wanted = [c.strip() for c in codes]
    if not wanted:
        raise SynthError("no province codes: give at least one, e.g. 81 (Krabi)")
    known = set(province_codes())
    unknown = [c for c in dict.fromkeys(wanted) if c not in known]
    if unknown:
        raise SynthError(f"unknown province code{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(c) for c in unknown)}: "
                         "2-digit DOPA province codes such as 81 (Krabi)")
    return tuple(sorted(set(wanted)))


def _scaled(count: int, scale: float) -> int:
    """``count * scale`` rounded half up, at least 1 when ``count`` is above 0.

    >>> _scaled(30, 1.0), _scaled(30, 0.1), _scaled(5, 0.1), _scaled(2, 0.25), _scaled(2, 1.5)
    (30, 3, 1, 1, 3)
    """
    return max(1, math.floor(count * scale + 0.5)) if count > 0 else 0


def _share(n: int, fraction: float) -> int:
    """How many of ``n`` tambons a share covers: rounded half up, at least 1, at most ``n``.

    >>> _share(53, 0.35), _share(53, 0.1), _share(17, 0.01)
    (19, 5, 1)
    """
    return min(n, max(1, math.floor(n * fraction + 0.5)))


class _Files:
    """The eight CSV writers of one run and their row counts."""

    def __init__(self, folder: Path):
        self.handles = {}
        self.writers = {}
        self.rows = dict.fromkeys(_HEADERS, 0)
        self.part_of = 0
        for name, header in _HEADERS.items():
            handle = open(folder / f"{name}.csv", "w", encoding="utf-8", newline="", buffering=1 << 20)
            self.handles[name] = handle
            self.writers[name] = csv.writer(handle, lineterminator="\n")
            self.writers[name].writerow(header)

    def write(self, name: str, *cells: object) -> None:
        self.writers[name].writerow(cells)
        self.rows[name] += 1

    def agency(self, id_: str, name: str, name_en: str, kind: str, parent: str = "") -> None:
        self.write("agencies", id_, name, name_en, kind, parent, _SOURCE)
        self.part_of += parent != ""

    def fund(self, id_: str, name: str, name_en: str, agency: str, channel: str, amount: str) -> None:
        self.write("funds", id_, name, name_en, agency, channel, amount, _SOURCE)

    def program(self, id_: str, name: str, name_en: str, themes: tuple[str, ...],
                years: tuple[int, int], pilot: bool) -> None:
        self.write("programs", id_, name, name_en, ";".join(themes), years[0], years[1],
                   "true" if pilot else "false", _SOURCE)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


class _Area(NamedTuple):
    """Names of one province, district or tambon as used in generated names."""

    code: str
    th: str  # with its prefix: จังหวัดกระบี่, อำเภอเมืองกระบี่, ตำบลปากน้ำ (Bangkok: เขต…, แขวง…)
    bare: str  # without: กระบี่, เมืองกระบี่, ปากน้ำ
    en: str


def _province_area(p) -> _Area:
    th = p.name_th if p.code == _BANGKOK else f"จังหวัด{p.name_th}"
    return _Area(p.code, th, p.name_th, p.name_en)


def _district_area(d) -> _Area:
    # geothai spells Bangkok's districts with their prefix already (เขตพระนคร).
    th = d.name_th if d.province_code == _BANGKOK else f"อำเภอ{d.name_th}"
    return _Area(d.code, th, d.name_th, f"{d.name_en} district")


def _tambon_area(s) -> _Area:
    th = f"แขวง{s.name_th}" if s.province_code == _BANGKOK else f"ตำบล{s.name_th}"
    return _Area(s.code, th, s.name_th, s.name_en)


def _years(rng: random.Random) -> tuple[int, int]:
    start = YEARS_BE[rng.randrange(len(YEARS_BE))]
    r, length = rng.random(), _DURATIONS[-1][0]
    for years, part in _DURATIONS:
        if r < part:
            length = years
            break
        r -= part
    return start, start + length - 1


def _amount(rng: random.Random, low: int, high: int, known: float, unit: int = 1000) -> str:
    """A random amount in baht (``low``–``high`` units), or ``""`` (unknown) for ``1 - known`` of them."""
    value = rng.randint(low, high) * unit
    return str(value) if rng.random() < known else ""


def _phase(title: _Title, round_: int) -> tuple[str, str]:
    if round_ == 0:
        return title.th, title.en
    return f"{title.th} ระยะที่ {round_ + 1}", f"{title.en} (phase {round_ + 1})"


class _Province:
    """Generates one province with its own random stream."""

    def __init__(self, files: _Files, province, *, seed: int, scale: float):
        self.f = files
        self.rng = random.Random(f"graphmodel-synth:{seed}:{province.code}")
        self.p = _province_area(province)
        self.local_programs = _scaled(_LOCAL_PROGRAMS, scale)
        self.groups = _scaled(_GROUPS, scale)
        self.line_programs = _scaled(_LINE_PROGRAMS, scale)
        self.districts = [(_district_area(d), [_tambon_area(s) for s in geothai.subdistricts(d.code)])
                          for d in geothai.districts(province.code)]
        self.tambon_codes = [t.code for _, ts in self.districts for t in ts]
        self.pilots_in: dict[str, list[str]] = {}  # tambon -> special pilots located there

    def generate(self, bar) -> None:
        self._provincial()
        rng, n = self.rng, len(self.tambon_codes)
        lg_links = set(rng.sample(self.tambon_codes, _share(n, _LG_LINK_SHARE)))
        program_links = set(rng.sample(self.tambon_codes, _share(n, _PROGRAM_LINK_SHARE)))
        for district, tambons in self.districts:
            in_tambon = self._district(district, [t.code for t in tambons])
            for tambon in tambons:
                self._tambon(district, tambon, in_tambon[tambon.code],
                             lg_link=tambon.code in lg_links, program_link=tambon.code in program_links)
            if bar is not None:
                bar.update(len(tambons))

    def _provincial(self) -> None:
        f, rng, p = self.f, self.rng, self.p
        pp = p.code
        gov, plan, net, km = f"gov{pp}", f"plan{pp}", f"net{pp}", f"km{pp}"
        governor = "ผู้ว่าราชการกรุงเทพมหานคร" if pp == _BANGKOK else f"ผู้ว่าราชการ{p.th}"
        f.agency(gov, f"{governor} (ผู้ว่าฯ ซีอีโอ)", f"Governor of {p.en} (CEO governor)", "provincial")
        f.agency(plan, f"ฝ่ายนโยบายและแผน{p.th}", f"{p.en} provincial policy and planning office",
                 "provincial", gov)
        f.agency(net, f"เครือข่ายองค์กรชุมชน{p.th}", f"{p.en} community organization network",
                 "community_network")
        f.agency(km, f"หน่วยจัดการความรู้เพื่อชุมชน{p.th}", f"{p.en} community knowledge-management unit",
                 "academic")
        for a in _LINE:
            f.fund(f"{a.id}_{pp}", f"งบพัฒนาตามแผนงาน{a.short} {p.th}", f"{a.short_en} budget, {p.en}",
                   a.id, "normal", _amount(rng, 20, 200, 1.0, 1_000_000))
        f.fund(f"ceo_{pp}", f"งบผู้ว่าราชการจังหวัดแบบบูรณาการ (งบซีอีโอ) {p.th}",
               f"Governor's integrated (CEO) budget, {p.en}", gov, "ceo", _amount(rng, 100, 500, 1.0, 1_000_000))
        for sid, _, _, fund_th, fund_en, _ in _SPECIAL:
            f.fund(f"{sid}_{pp}", f"{fund_th} {p.th}", f"{fund_en}, {p.en}", sid, "special", "")
        # Province-wide coordination: the planning office and its advisor (the seed's remedy,
        # here only with two line agencies), and the community network on the survey team.
        f.write("coordination", plan, gov, "provincial integration office", "")
        f.write("coordination", km, plan, "knowledge-management advisor", "")
        for a in sorted(rng.sample([a.id for a in _LINE], _PLAN_PARTNERS)):
            f.write("coordination", plan, a, "provincial development committee", "")
        f.write("coordination", net, "dopa", "joint poverty survey team", "")
        for i, pilot in enumerate(_CEO, 1):
            pid = f"ceo{pp}_{i}"
            self._province_program(pid, pilot, f"ceo_{pp}", p)
            f.write("implementation", pilot.implementer, pid, "lead")
            f.write("implementation", net, pid, "partner network")
        for sid, *_, pilots in _SPECIAL:
            for i, pilot in enumerate(pilots, 1):
                pid = f"{sid}{pp}_{i}"
                for t in self._province_program(pid, pilot, f"{sid}_{pp}", p):
                    self.pilots_in.setdefault(t, []).append(pid)

    def _province_program(self, pid: str, pilot: _Pilot, fund: str, p: _Area) -> list[str]:
        f, rng = self.f, self.rng
        years = _years(rng)
        located = sorted(rng.sample(self.tambon_codes, _share(len(self.tambon_codes), pilot.share)))
        f.program(pid, f"{pilot.title.th} {p.th}", f"{pilot.title.en}, {p.en}", pilot.title.themes, years, True)
        if pilot.per_tambon_thb is not None:
            amount = str(pilot.per_tambon_thb * len(located))
        else:
            amount = _amount(rng, 500, 20_000, 0.7)
        f.write("funding", fund, pid, amount, years[0])
        for t in located:
            f.write("locations", pid, t)
        return located

    def _district(self, d: _Area, codes: list[str]) -> dict[str, list[str]]:
        """The line agencies' programs of one district; returns tambon -> programs located there."""
        f, rng, pp = self.f, self.rng, self.p.code
        in_tambon: dict[str, list[str]] = {c: [] for c in codes}
        half = (len(codes) + 1) // 2
        for a in _LINE:
            offset = rng.randrange(len(a.catalog))
            for k in range(self.line_programs):
                title = a.catalog[(offset + k) % len(a.catalog)]
                th, en = _phase(title, k // len(a.catalog))
                pid = f"{a.id}{d.code}_{k + 1}"
                years = _years(rng)
                f.program(pid, f"{th} {d.th}", f"{en}, {d.en}", title.themes, years, False)
                f.write("funding", f"{a.id}_{pp}", pid, _amount(rng, 50, 3000, 0.85), years[0])
                f.write("implementation", a.id, pid, "lead")
                # Even-numbered programs reach the whole district, the others half of it.
                located = codes if k % 2 == 0 else sorted(rng.sample(codes, half))
                for t in located:
                    f.write("locations", pid, t)
                    in_tambon[t].append(pid)
        return in_tambon

    def _tambon(self, d: _Area, t: _Area, district_programs: list[str], *, lg_link: bool,
                program_link: bool) -> None:
        f, rng, code = self.f, self.rng, t.code
        lg, fund = f"lg{code}", f"lg{code}_f"
        name, name_en, short = self._local_government(d, t)
        f.agency(lg, name, name_en, "local_government")
        f.fund(fund, f"งบพัฒนาของ {short}", f"{name_en} development budget", lg, "normal",
               _amount(rng, 15, 80, 1.0, 1_000_000))
        offset = rng.randrange(len(_LOCAL))
        programs = []
        for k in range(self.local_programs):
            title = _LOCAL[(offset + k) % len(_LOCAL)]
            th, en = _phase(title, k // len(_LOCAL))
            pid = f"lg{code}_{k + 1}"
            years = _years(rng)
            f.program(pid, f"{th} {t.th}", f"{en}, {t.en}", title.themes, years, False)
            f.write("funding", fund, pid, _amount(rng, 20, 2000, 0.9), years[0])
            f.write("implementation", lg, pid, "lead")
            f.write("locations", pid, code)
            programs.append(pid)
        for i in range(self.groups):
            prefix, th, en, kind = _GROUP_KINDS[i % len(_GROUP_KINDS)]
            round_ = i // len(_GROUP_KINDS)
            gid = f"{prefix}{code}" + (f"_{round_ + 1}" if round_ else "")
            suffix = f" {round_ + 1}" if round_ else ""
            f.write("groups", gid, f"{th}{t.th}{suffix}", f"{t.en} {en}{suffix}", kind, code, _SOURCE)
            for pid in rng.sample(programs, min(_GROUP_LOCAL_PROGRAMS, len(programs))):
                f.write("implementation", gid, pid, "participant")
            if i == 0:
                for pid in self.pilots_in.get(code, ()):
                    f.write("implementation", gid, pid, f"lead in {t.en}")
            else:
                f.write("implementation", gid, rng.choice(district_programs), "target group")
        if lg_link:
            f.write("coordination", lg, rng.choice(_LINE).id, "joint tambon plan", code)
        if program_link:
            f.write("coordination", rng.choice(programs), rng.choice(district_programs), "joint activity", code)

    def _local_government(self, d: _Area, t: _Area) -> tuple[str, str, str]:
        """Thai name, English name and Thai short name of a tambon's local government."""
        if self.p.code == _BANGKOK:
            return (f"กรุงเทพมหานคร ({t.th})", f"Bangkok Metropolitan Administration ({t.en} khwaeng)",
                    f"กทม. {t.th}")
        if d.bare.startswith("เมือง") and t.code.endswith("01"):
            return f"เทศบาลเมือง{t.bare}", f"{t.en} Town Municipality", f"ทม.{t.bare}"
        if self.rng.random() < _MUNICIPALITY_SHARE:
            return f"เทศบาลตำบล{t.bare}", f"{t.en} Subdistrict Municipality", f"ทต.{t.bare}"
        return (f"องค์การบริหารส่วนตำบล{t.bare}", f"{t.en} Tambon Administrative Organization",
                f"อบต.{t.bare}")


def _national(f: _Files) -> None:
    for a in _LINE:
        f.agency(a.id, a.name, a.name_en, "line_agency")
    for sid, name, name_en, *_ in _SPECIAL:
        f.agency(sid, name, name_en, "special_agency")


def _prepare(out: Path, force: bool) -> bool:
    """Check the output folder; return whether it had to be created."""
    if out.exists() and not out.is_dir():
        raise SynthError(f"{out}: a folder to write the dataset into, not a file")
    if out.is_dir():
        if any(out.iterdir()) and not force:
            raise SynthError(f"{out}: an empty folder to write the dataset into; this one is not empty "
                             "(--force overwrites the dataset files in it)")
        return False
    out.mkdir(parents=True)
    return True


def _readme(s: SynthSummary, seed: int, scale: float) -> str:
    from importlib.metadata import version

    everything = s.provinces == province_codes()
    args = "--all" if everything else f"--provinces {','.join(s.provinces)}"
    lines = [
        "# A generated dataset (graphmodel synth)",
        "",
        "Synthetic rows on the real gazetteer; not a record of real programs. See docs/synth.md.",
        "",
        f"    graphmodel synth {args} --scale {scale:g} --seed {seed} -o DIR",
        "",
        f"graphmodel {version('graphmodel')}, geothai data {geothai.DATA_VERSION}; "
        f"{len(s.provinces)} provinces, {s.districts} districts, {s.tambons} tambons.",
        "",
        "| file | rows |",
        "|---|---:|",
        *(f"| {name}.csv | {n} |" for name, n in s.rows.items()),
        "",
        f"Relationships (as `graphmodel validate` counts them): {s.relationships}.",
        "",
    ]
    return "\n".join(lines)


def _show_bar(progress: bool | None, tambons: int) -> bool:
    if progress is None:
        return tambons > 1000 and sys.stderr.isatty()
    return progress


def synthesize(out_dir: str | Path, *, provinces: Iterable[str] | None = None, scale: float = 1.0,
               seed: int = 0, progress: bool | None = None, force: bool = False) -> SynthSummary:
    """Write a generated v1 dataset for some or all provinces into a folder.

    Parameters
    ----------
    out_dir : path
        The folder to write; created if missing. It must be empty unless
        ``force`` is set.
    provinces : iterable of str, optional
        2-digit DOPA province codes; ``None`` for all 77.
    scale : float
        Multiplies the per-tambon and per-district counts (local programs,
        groups, line agencies' programs), rounded half up and at least 1.
        Province-level programs and the shares of tambons do not change.
    seed : int
        The same seed, provinces and scale give the same bytes.
    progress : bool, optional
        Show a tqdm bar on stderr; ``None`` shows it for runs of more than
        1,000 tambons when stderr is a terminal.
    force : bool
        Write into a non-empty folder, replacing the dataset files and
        ``README.md`` in it (other files are left alone).

    Returns
    -------
    SynthSummary
        Rows per file, relationships, provinces, districts, tambons, seconds.

    Raises
    ------
    SynthError
        For an unknown province code, a scale that is not a positive number,
        or an output folder that is a file or is not empty. Nothing is
        written then.
    WriteFailed
        When the folder cannot be written (read-only, a full disk); the
        temporary folder is removed, and the folder too if this run made it.

    Notes
    -----
    The files are written to a temporary folder inside ``out_dir`` and
    moved into place when complete, so a failed run leaves no half dataset.
    Time and memory are linear in the number of tambons; memory holds one
    province's bookkeeping (about 100 ids per tambon) at a time.

    Examples
    --------
    >>> import tempfile
    >>> s = synthesize(tempfile.mkdtemp(), provinces=["81"], scale=0.2, seed=1)
    >>> s.provinces, s.tambons, s.rows["groups"]
    (('81',), 53, 53)
    """
    start = time.perf_counter()
    codes = province_codes() if provinces is None else check_provinces(provinces)
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise SynthError(f"scale {scale!r}: a number above 0, e.g. 1 or 0.1")
    out = Path(out_dir)
    with writing(out):  # a read-only folder or a full disk: one WriteFailed, nothing left behind
        return _generate(out, codes, scale=scale, seed=seed, progress=progress, force=force, start=start)


def _generate(out: Path, codes: tuple[str, ...], *, scale: float, seed: int, progress: bool | None,
              force: bool, start: float) -> SynthSummary:
    created = _prepare(out, force)
    by_code = {p.code: p for p in geothai.provinces()}
    tambons = sum(len(geothai.subdistricts(d.code)) for c in codes for d in geothai.districts(c))
    districts = sum(len(geothai.districts(c)) for c in codes)
    tmp = Path(tempfile.mkdtemp(prefix=".synth-", dir=out))
    try:
        files = _Files(tmp)
        try:
            _national(files)
            bar = None
            if _show_bar(progress, tambons):
                from tqdm import tqdm

                bar = tqdm(total=tambons, unit="tambon", file=sys.stderr, desc="synth")
            try:
                for code in codes:
                    _Province(files, by_code[code], seed=seed, scale=scale).generate(bar)
            finally:
                if bar is not None:
                    bar.close()
        finally:
            files.close()
        rows = dict(files.rows)
        relationships = (rows["funding"] + rows["implementation"] + rows["locations"] + rows["coordination"]
                         + rows["funds"] + rows["groups"] + files.part_of + tambons + districts)
        summary = SynthSummary(out, codes, districts, tambons, rows, relationships,
                               time.perf_counter() - start)
        (tmp / "README.md").write_text(_readme(summary, seed, scale), encoding="utf-8")
        for path in sorted(tmp.iterdir()):
            os.replace(path, out / path.name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    tmp.rmdir()
    return SynthSummary(out, codes, districts, tambons, rows, relationships, time.perf_counter() - start)
