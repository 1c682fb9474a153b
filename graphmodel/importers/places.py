"""Turn an administrative code or a written place name into a DOPA tambon code.

A tambon is found from a **code** when the code is a DOPA code: six digits
(``801208``) or the OCHA P-code form, ``TH`` followed by the DOPA code
(``TH801208`` is Hu Long). Province (2 digits, ``TH80``) and district (4
digits, ``TH8012``) codes are recognised too, but they do not say which
tambon, so they are reported, never spread over the area's tambons.

Otherwise a tambon is found from its **name** with ``geothai.match``: Thai
or English, with the district and province (names or codes) narrowing the
candidates. A name that fits one current tambon is used; none or several
are reported.

Examples
--------
>>> from_code("TH801208").code, from_code("801208").code, from_code("th801208").matched_from
('801208', '801208', 'code th801208')
>>> r = from_code("TH8012"); r.code, r.slug
(None, 'not-tambon-level')
>>> from_names("Hu Long", district="Pak Phanang").code
'801208'
>>> from_names("ตำบลหูล่อง อำเภอปากพนัง จังหวัดนครศรีธรรมราช").code
'801208'
>>> r = from_names("Tha Sala"); r.slug, r.problem[:45]
('ambiguous-tambon-name', 'a name that fits one tambon; it fits 5: 16011')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import geothai

from ..geo import area_names, tambon_area
from .names import clean

__all__ = ["Place", "parse_code", "from_code", "from_names", "split_place_name"]


@dataclass(frozen=True)
class Place:
    """A tambon code, or why there is none (``slug`` and ``problem`` for the import report)."""

    code: str | None
    matched_from: str = ""
    slug: str | None = None
    problem: str = ""


_CODE = re.compile(r"(?:TH)?([0-9]+)", re.IGNORECASE)
_TAMBON_EXAMPLE = "e.g. 801208 or TH801208 for Hu Long"


def parse_code(text: str) -> str | None:
    """The DOPA digits of a code written ``801208`` or ``TH801208``; ``None`` if it is neither.

    >>> parse_code(" TH80 "), parse_code("801208"), parse_code("THA.16.12.8_1")
    ('80', '801208', None)
    """
    m = _CODE.fullmatch(text.strip())
    return m.group(1) if m else None


def from_code(text: str) -> Place:
    """The tambon a DOPA code or P-code names, or why it names none.

    Slugs: ``unknown-tambon`` (six digits unknown to geothai),
    ``not-tambon-level`` (a known province or district code),
    ``unknown-area`` (2 or 4 digits unknown), ``not-a-dopa-code``.
    """
    raw = text.strip()
    digits = parse_code(raw)
    if digits is None or len(digits) not in (2, 4, 6):
        return Place(None, slug="not-a-dopa-code",
                     problem=f"a DOPA tambon code or P-code ({_TAMBON_EXAMPLE})")
    if len(digits) == 6:
        if tambon_area(digits) is None:
            return Place(None, slug="unknown-tambon",
                         problem=f"a 6-digit DOPA tambon code known to geothai ({_TAMBON_EXAMPLE})")
        return Place(digits, matched_from=f"code {raw}")
    names = area_names(digits)
    level = "province" if len(digits) == 2 else "district"
    if names is None:
        return Place(None, slug="unknown-area", problem=f"a {level} code known to geothai")
    return Place(None, slug="not-tambon-level",
                 problem=f"a tambon; this is the {level} {digits} {names[0]} ({names[1]}), "
                         "which does not say which of its tambons")


# Level words that geothai.normalize keeps in English names.
_LEVEL_WORDS = re.compile(r"^(tambon|tambol|subdistrict|sub-district|amphoe|amphur|district|"
                          r"changwat|province)\s+|\s+(subdistrict|sub-district|district|province)$",
                          re.IGNORECASE)
# Thai markers that start the district and province parts of a one-line address.
_THAI_PARTS = re.compile(r"\s*(?=อำเภอ|อ\.|เขต|จังหวัด|จ\.)")


def _bare(name: str) -> str:
    return _LEVEL_WORDS.sub("", clean(name)).strip()


def split_place_name(text: str) -> tuple[str, list[str]]:
    """A written place name as (tambon name, [context parts]).

    Comma-separated parts (``Hu Long, Pak Phanang, Nakhon Si Thammarat``)
    or a Thai address (``ตำบลหูล่อง อำเภอปากพนัง จังหวัดนครศรีธรรมราช``).

    >>> split_place_name("Tambon Hu Long, Amphoe Pak Phanang")
    ('Hu Long', ['Pak Phanang'])
    >>> split_place_name("ต.หูล่อง อ.ปากพนัง จ.นครศรีธรรมราช")
    ('ต.หูล่อง', ['อ.ปากพนัง', 'จ.นครศรีธรรมราช'])
    """
    text = clean(text)
    parts = [p for p in (text.split(",") if "," in text else _THAI_PARTS.split(text)) if p.strip()]
    parts = [_bare(p) for p in parts] or [""]
    return parts[0], parts[1:]


@lru_cache(maxsize=65536)
def _match(tambon: str, district: str | None, province: str | None) -> tuple[str, ...]:
    return tuple(a.subdistrict.code for a in geothai.match(tambon, district=district, province=province))


def _narrow(codes: tuple[str, ...], tambon: str, context: str) -> set[str]:
    """The candidates that lie in ``context``: a district or province name, or a code."""
    digits = parse_code(context)
    if digits is not None and len(digits) in (2, 4):
        return {c for c in codes if c.startswith(digits)}
    return set(_match(tambon, context, None)) | set(_match(tambon, None, context))


def from_names(tambon: str, *, district: str | None = None, province: str | None = None) -> Place:
    """The current tambon that a written name (with optional context) fits.

    ``tambon`` may hold the whole address (see :func:`split_place_name`);
    ``district`` and ``province`` may be names or DOPA codes (``8012``,
    ``TH80``). Slugs: ``unknown-tambon-name`` (no current tambon fits),
    ``ambiguous-tambon-name`` (several fit; the problem lists their codes).
    """
    name, context = split_place_name(tambon)
    context += [_bare(c) for c in (district, province) if c and clean(c)]
    written = ", ".join([name, *context])
    codes = _match(name, None, None)
    found = set(codes)
    for part in context:
        found &= _narrow(codes, name, part)
    if len(found) == 1:
        return Place(found.pop(), matched_from=f"name {written}")
    if not found:
        return Place(None, slug="unknown-tambon-name",
                     problem="the name of a current tambon (Thai or English), "
                             "with its district and province if given; none fits")
    listed = ", ".join(sorted(found))
    return Place(None, slug="ambiguous-tambon-name",
                 problem=f"a name that fits one tambon; it fits {len(found)}: {listed} "
                         "(give the district and province, or the code)")
