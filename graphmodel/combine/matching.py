"""What makes two names the same organisation to a Thai analyst: keys, acronyms and places.

Every name is reduced once to small keys (:func:`name_keys`), compared many
times by :mod:`.suggest`:

- **Thai keys**: the text as the dataset reader stores it (NFC, Thai
  spelling fixes), lower case, common abbreviations written out
  (``อบต.`` -> ``องค์การบริหารส่วนตำบล``, ``รพ.สต.`` ->
  ``โรงพยาบาลส่งเสริมสุขภาพตำบล``, ``จ.`` -> ``จังหวัด``), spaces and
  punctuation dropped (Thai spacing is a matter of taste);
- **English keys**: lower case words, punctuation dropped, ``TAO`` written out;
- **parts in brackets**: ``สถาบันพัฒนาองค์กรชุมชน (พอช.)`` has the base
  ``สถาบันพัฒนาองค์กรชุมชน`` and the bracket ``พอช.``; a short bracket
  (or a whole name) that looks like an acronym (``(พอช.)``, ``(สสส.)``,
  ``(CODI)``) is one, a longer one (``(องค์การมหาชน)``,
  ``(กรมส่งเสริมการเกษตร)``) is another name;
- **places**: tambon, district and province names from geothai written
  after their markers (``ตำบล``, ``อำเภอ``, ``จังหวัด``, ``แขวง``,
  ``เขต``; ``Tambon``, ``District``, ``Province``, ``TAO`` …) and province
  names anywhere, as sets of DOPA codes. Two names whose places differ at
  one level are two organisations (:func:`distinct_places`): the health
  centres of two tambons are never one;
- **the core of a department or a provincial office**:
  ``กรมการพัฒนาชุมชน`` and ``สำนักงานพัฒนาชุมชนจังหวัดน่าน`` share the core
  ``พัฒนาชุมชน``, so the pair can be shown with a low score and a reason.

Examples
--------
>>> a = name_keys("โรงพยาบาลส่งเสริมสุขภาพตำบลบ่อ", "")
>>> b = name_keys("รพ.สต.บ่อ", "")
>>> a.thai == b.thai, a.thai_written == b.thai_written
(True, False)
>>> bo, nong_daeng = name_places("รพ.สต.บ่อ", ""), name_places("โรงพยาบาลส่งเสริมสุขภาพตำบลหนองแดง", "")
>>> distinct_places(bo, nong_daeng), distinct_places(bo, name_places("โรงพยาบาลส่งเสริมสุขภาพตำบลบ่อ", ""))
(True, False)
>>> k = name_keys("สถาบันพัฒนาองค์กรชุมชน (พอช.)", "Community Organizations Development Institute (CODI)")
>>> sorted(k.acronyms), k.thai_base
(['codi', 'พอช'], 'สถาบันพัฒนาองค์กรชุมชน')
>>> name_keys("กรมการพัฒนาชุมชน", "").office, name_keys("สำนักงานพัฒนาชุมชนจังหวัดน่าน", "").office
(('department', 'พัฒนาชุมชน'), ('provincial office', 'พัฒนาชุมชน'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import geothai

from ..importers.names import clean

__all__ = ["Places", "NameKeys", "name_keys", "name_places", "distinct_places", "apart", "implied", "narrowed",
           "THAI_ABBREVIATIONS"]

#: Thai abbreviations written out before names are compared (longest first when applied).
THAI_ABBREVIATIONS = {
    "รพ.สต.": "โรงพยาบาลส่งเสริมสุขภาพตำบล",
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "ทต.": "เทศบาลตำบล",
    "ทม.": "เทศบาลเมือง",
    "ทน.": "เทศบาลนคร",
    "สสจ.": "สำนักงานสาธารณสุขจังหวัด",
    "สสอ.": "สำนักงานสาธารณสุขอำเภอ",
    "สนง.": "สำนักงาน",
    "พช.": "พัฒนาชุมชน",
    "รพ.": "โรงพยาบาล",
    "รร.": "โรงเรียน",
    "ต.": "ตำบล",
    "อ.": "อำเภอ",
    "จ.": "จังหวัด",
}
_ABBREVIATION = re.compile("|".join(re.escape(a) for a in sorted(THAI_ABBREVIATIONS, key=len, reverse=True)))
#: English words written out (``Hu Long TAO`` is ``Hu Long Tambon Administrative Organization``).
_ENGLISH_WORDS = {"tao": "tambon administrative organization", "sao": "tambon administrative organization",
                  "pao": "provincial administrative organization", "organisation": "organization",
                  "organisations": "organizations", "dept": "department", "&": "and"}
_BRACKETS = re.compile(r"\(([^()]*)\)")
_THAI_DROP = re.compile(r"[\s.,\-–—_/'\"ฯ()\[\]:;]+")
_WORDS = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_THAI = re.compile("[\u0e00-\u0e7f]")
_LATIN_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]{1,9}")
_THAI_ACRONYM = re.compile(r"[\u0e00-\u0e7f.]{2,10}")
_TRAILING_AREAS = re.compile(r"(?:\s*(?:อำเภอ|จังหวัด)\s*[\u0e00-\u0e7f]+)+\s*$")
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to"})

# ---------------------------------------------------------------- places
_TAMBON, _DISTRICT, _PROVINCE = "tambon", "district", "province"
_LEVELS = (_TAMBON, _DISTRICT, _PROVINCE)
#: Thai markers and the levels of the names written after them.
_THAI_MARKERS = (("ตำบล", (_TAMBON,)), ("แขวง", (_TAMBON,)), ("อำเภอ", (_DISTRICT,)),
                 ("เขต", (_DISTRICT,)), ("จังหวัด", (_PROVINCE,)),
                 ("เทศบาลเมือง", (_TAMBON, _DISTRICT)), ("เทศบาลนคร", (_TAMBON, _DISTRICT)))
_EN_BEFORE = {"tambon": _TAMBON, "tambol": _TAMBON, "khwaeng": _TAMBON, "amphoe": _DISTRICT,
              "amphur": _DISTRICT, "khet": _DISTRICT, "changwat": _PROVINCE}
_EN_AFTER = {"subdistrict": _TAMBON, "tambon": _TAMBON, "khwaeng": _TAMBON, "municipality": _TAMBON,
             "district": _DISTRICT, "province": _PROVINCE, "provincial": _PROVINCE}
_NEXT_MARKERS = ("อำเภอ", "จังหวัด", "เขต", "แขวง")
_MIN_BARE_PROVINCE = 5  # Thai province names found without a marker: long ones only (เลย is also a word)


@dataclass(frozen=True)
class _Gazetteer:
    """Place names -> DOPA codes, per level and language (built once from geothai)."""

    thai: dict[str, dict[str, frozenset[str]]]
    english: dict[str, dict[str, frozenset[str]]]
    thai_longest: int
    english_longest: int  # in words
    bare_provinces: re.Pattern  # Thai province names found without a marker (long names only)
    province_code: dict[str, str]  # Thai province name -> code
    english_provinces: dict[str, str]
    english_province_pattern: re.Pattern  # any English province name, as whole words


@cache
def _gazetteer() -> _Gazetteer:
    thai: dict[str, dict[str, set[str]]] = {level: {} for level in _LEVELS}
    english: dict[str, dict[str, set[str]]] = {level: {} for level in _LEVELS}

    def add(level: str, code: str, name_th: str, name_en: str | None) -> None:
        for name in {clean(name_th), clean(name_th).removeprefix("เขต")} - {""}:
            thai[level].setdefault(name, set()).add(code)
        if name_en:
            english[level].setdefault(" ".join(_WORDS.findall(name_en.lower())), set()).add(code)

    for p in geothai.provinces():
        add(_PROVINCE, p.code, p.name_th, p.name_en)
        for d in geothai.districts(p.code):
            add(_DISTRICT, d.code, d.name_th, d.name_en)
            for s in geothai.subdistricts(d.code):
                add(_TAMBON, s.code, s.name_th, s.name_en)
    frozen_th = {lv: {n: frozenset(c) for n, c in names.items()} for lv, names in thai.items()}
    frozen_en = {lv: {n: frozenset(c) for n, c in names.items()} for lv, names in english.items()}
    english_provinces = {" ".join(_WORDS.findall(p.name_en.lower())): p.code for p in geothai.provinces()}
    return _Gazetteer(
        frozen_th, frozen_en,
        max(len(n) for names in thai.values() for n in names),
        max(len(n.split()) for names in english.values() for n in names),
        re.compile("|".join(sorted((re.escape(p.name_th) for p in geothai.provinces()
                                    if len(p.name_th) >= _MIN_BARE_PROVINCE), key=len, reverse=True))),
        {p.name_th: p.code for p in geothai.provinces()},
        english_provinces,
        re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, english_provinces), key=len, reverse=True)) + r")\b"),
    )


@dataclass(frozen=True)
class Places:
    """The DOPA codes a name's place names may stand for, per level (``None``: not named)."""

    tambon: frozenset[str] | None = None
    district: frozenset[str] | None = None
    province: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, level) is not None for level in _LEVELS)


_NO_PLACES = Places()


def _union(found: dict[str, set[str]], level: str, codes: frozenset[str]) -> None:
    found.setdefault(level, set()).update(codes)


def _ends_name(rest: str, size: int) -> bool:
    """Whether a place name of ``size`` characters at the start of ``rest`` ends there (the
    end of the text, a space or punctuation, or the next marker), so ``บ่อ`` is not read in ``บ่อทอง``."""
    after = rest[size:size + 1]
    return not after or not _THAI.match(after) or rest[size:].startswith(_NEXT_MARKERS)


def _thai_places(text: str, found: dict[str, set[str]]) -> None:
    g = _gazetteer()
    for marker, levels in _THAI_MARKERS:
        at = text.find(marker)
        while at >= 0:
            rest = text[at + len(marker):].lstrip()
            for size in range(min(len(rest), g.thai_longest), 1, -1):
                hits = [(lv, g.thai[lv][rest[:size]]) for lv in levels if rest[:size] in g.thai[lv]]
                if hits and _ends_name(rest, size):
                    for level, codes in hits:
                        _union(found, level, codes)
                    break
            at = text.find(marker, at + len(marker))
    for m in g.bare_provinces.finditer(text):
        _union(found, _PROVINCE, frozenset((g.province_code[m.group(0)],)))


#: Phrases after a tambon's name in English (a health centre: ``Ban Mai Health Promoting Hospital``).
_EN_AFTER_PHRASES = {("health", "promoting", "hospital"): _TAMBON}
_MARKER_WORDS = frozenset(_EN_BEFORE) | frozenset(_EN_AFTER) | {p[0] for p in _EN_AFTER_PHRASES}


def _english_places(words: list[str], found: dict[str, set[str]]) -> None:
    g = _gazetteer()
    for i, word in enumerate(words if _MARKER_WORDS.intersection(words) else ()):
        level = _EN_BEFORE.get(word)
        if level is not None:  # Tambon Hu Long: the longest place name after the marker
            for size in range(min(g.english_longest, len(words) - i - 1), 0, -1):
                codes = g.english[level].get(" ".join(words[i + 1:i + 1 + size]))
                if codes:
                    _union(found, level, codes)
                    break
        level = _EN_AFTER.get(word) or next(
            (lv for phrase, lv in _EN_AFTER_PHRASES.items() if tuple(words[i:i + len(phrase)]) == phrase), None)
        if level is not None:  # Hu Long Subdistrict: the longest place name before it
            for size in range(min(g.english_longest, i), 0, -1):
                codes = g.english[level].get(" ".join(words[i - size:i]))
                if codes:
                    _union(found, level, codes)
                    break
    for m in g.english_province_pattern.finditer(" ".join(words)):
        _union(found, _PROVINCE, frozenset((g.english_provinces[m.group(0)],)))


def narrowed(places: Places, within: set[str] | frozenset[str] | None) -> Places:
    """``places`` with tambons and districts narrowed to ``within`` (province or tambon codes) where that
    leaves any.

    Used with the provinces a name's own province names give, and with the tambons an agency's
    programs are located in: the หนองบัว of Nan is not the หนองบัว of Udon, and of two
    บ้านเกาะ of one province, the health centre's is the one where it works.

    >>> narrowed(Places(tambon=frozenset({"160207", "180304"})), {"18"}).tambon
    frozenset({'180304'})
    >>> narrowed(Places(tambon=frozenset({"160207", "180304"})), {"160207", "160208"}).tambon
    frozenset({'160207'})
    """
    if not within:
        return places
    if len(next(iter(within))) == 6:  # tambons: a tambon among them, a district holding one
        districts = {t[:4] for t in within}
        tambon_in, district_in = within.__contains__, districts.__contains__
    else:  # provinces
        tambon_in = district_in = lambda code: code[:2] in within

    def keep(codes: frozenset[str] | None, inside) -> frozenset[str] | None:
        if codes is None:
            return None
        kept = frozenset(filter(inside, codes))
        return kept or codes

    return Places(keep(places.tambon, tambon_in), keep(places.district, district_in), places.province)


def _places(thai: str, words: list[str]) -> Places:
    found: dict[str, set[str]] = {}
    if thai:
        _thai_places(thai, found)
    if words:
        _english_places(words, found)
    if not found:
        return _NO_PLACES
    places = Places(*(frozenset(found[lv]) if lv in found else None for lv in _LEVELS))
    return narrowed(places, places.province)


def implied(places: Places) -> tuple[frozenset[str] | None, ...]:
    """Possible tambons, districts and provinces (a tambon implies its district and province)."""
    tambon, district, province = places.tambon, places.district, places.province
    if district is None and tambon is not None:
        district = frozenset(c[:4] for c in tambon)
    if province is None and district is not None:
        province = frozenset(c[:2] for c in district)
    return tambon, district, province


def distinct_places(a: Places, b: Places) -> bool:
    """Whether the two names place themselves apart: at some level both name places, and none in common.

    >>> bo, nong_daeng = Places(tambon=frozenset({"550102"})), Places(tambon=frozenset({"550202"}))
    >>> distinct_places(bo, nong_daeng), distinct_places(bo, Places(province=frozenset({"55"})))
    (True, False)
    >>> distinct_places(bo, Places()), distinct_places(Places(district=frozenset({"5502"})), bo)
    (False, True)
    """
    if not a or not b:
        return False
    return apart(implied(a), implied(b))


def apart(a: tuple[frozenset[str] | None, ...], b: tuple[frozenset[str] | None, ...]) -> bool:
    """:func:`distinct_places` on places already :func:`implied` (computed once per name)."""
    for x, y in zip(a, b):
        if x is not None and y is not None and x.isdisjoint(y):
            return True
    return False


# ---------------------------------------------------------------- names
@dataclass(frozen=True)
class NameKeys:
    """One organisation's names reduced for comparison (see the module's docstring)."""

    thai: str = ""  # abbreviations written out, no spaces or punctuation
    thai_written: str = ""  # the same without writing abbreviations out
    thai_base: str = ""  # ``thai`` without the parts in brackets
    thai_short: str = ""  # ``thai`` without a district and province written at the end
    english: str = ""  # lower-case words
    english_base: str = ""
    brackets: frozenset[str] = frozenset()  # longer parts in brackets, as Thai or English keys
    acronyms: frozenset[str] = frozenset()  # acronyms in brackets, or the whole name being one
    initials: frozenset[str] = frozenset()  # first letters of the English name's words, with and
    # without the small ones (of, and ...), for a name that is an acronym: CODI, DOPA
    whole_acronym: str = ""  # the name itself is an acronym
    office: tuple[str, str] | None = None  # ("department" | "provincial office", core)


def _thai_key(text: str, *, write_out: bool = True) -> str:
    if write_out:
        text = _ABBREVIATION.sub(lambda m: THAI_ABBREVIATIONS[m.group(0)], text)
    return _THAI_DROP.sub("", text.casefold())


def _english_words(text: str) -> list[str]:
    words = []
    for word in _WORDS.findall(text.lower().replace("&", " and ")):
        words += _ENGLISH_WORDS.get(word, word).split()
    return [w for w in words if w != "the"]


def _acronym(part: str) -> str:
    """``part`` as an acronym key if it looks like one (CODI, พอช., DOPA), else ``""``."""
    part = part.strip()
    if _LATIN_ACRONYM.fullmatch(part) and sum(ch.isalpha() for ch in part) >= 2:
        return re.sub(r"[^A-Za-z0-9]", "", part).casefold()
    if _THAI_ACRONYM.fullmatch(part) and "." in part:
        return part.replace(".", "")
    return ""


_THAI_DEPARTMENT = re.compile(r"^(?:กรมการ|กรม|กระทรวง)(.+)$")
_THAI_OFFICE = re.compile(r"^สำนักงาน(.+?)จังหวัด.+$")
_EN_DEPARTMENT = frozenset({"department", "ministry", "of"})
_EN_OFFICE = frozenset({"provincial", "office", "of"})


@cache
def _province_words() -> frozenset[str]:
    return frozenset(w for name in _gazetteer().english_provinces for w in name.split())


def _office(thai: str, english: list[str]) -> tuple[str, str] | None:
    """``("department", core)`` or ``("provincial office", core)``, else None."""
    m = _THAI_OFFICE.match(thai)
    if m:
        return "provincial office", m.group(1)
    m = _THAI_DEPARTMENT.match(thai)
    if m:
        return "department", m.group(1)
    if {"department", "ministry"} & set(english) and "provincial" not in english:
        return "department", " ".join(w for w in english if w not in _EN_DEPARTMENT)
    if {"provincial", "office"} <= set(english):
        place_words = _province_words()
        return "provincial office", " ".join(w for w in english if w not in _EN_OFFICE and w not in place_words)
    return None


def _texts(name: str, name_en: str) -> tuple[str, str]:
    """(Thai text, English text) of an organisation's two names."""
    name, name_en = " ".join(name.split()), " ".join(name_en.split())  # cleaned already, as every cell read
    thai_text, english_text = (name, name_en) if _THAI.search(name) or not name_en else ("", name_en)
    if not _THAI.search(thai_text):  # a name in English only
        english_text, thai_text = english_text or thai_text, ""
    return thai_text, english_text


def _written_out(thai_text: str) -> str:
    return _ABBREVIATION.sub(lambda m: THAI_ABBREVIATIONS[m.group(0)], thai_text)


@lru_cache(maxsize=1 << 16)
def name_keys(name: str, name_en: str) -> NameKeys:
    """The keys of an organisation named ``name`` (Thai, or anything) and ``name_en`` (English)."""
    thai_text, english_text = _texts(name, name_en)
    acronyms, brackets = set(), set()
    for text in (thai_text, english_text):
        for part in _BRACKETS.findall(text):
            acronym = _acronym(part)
            if acronym:
                acronyms.add(acronym)
            elif _THAI.search(part):
                brackets.add(_thai_key(part))
            elif part.strip():
                brackets.add(" ".join(_english_words(part)))
    whole = _acronym(english_text or thai_text) if not _BRACKETS.search(english_text or thai_text) else ""
    if whole:
        acronyms.add(whole)
    words = _english_words(english_text)
    base_words = _english_words(_BRACKETS.sub(" ", english_text)) if "(" in english_text else words
    thai = _thai_key(thai_text)
    expanded = _written_out(thai_text)
    thai_base = _thai_key(_BRACKETS.sub("", thai_text)) if "(" in thai_text else thai
    initials = frozenset({"".join(w[0] for w in base_words if w not in _SMALL_WORDS),
                          "".join(w[0] for w in base_words)}) if len(base_words) >= 2 else frozenset()
    return NameKeys(
        thai=thai, thai_written=_thai_key(thai_text, write_out=False), thai_base=thai_base,
        thai_short=_thai_key(_TRAILING_AREAS.sub("", expanded)) if _TRAILING_AREAS.search(expanded) else thai,
        english=" ".join(words), english_base=" ".join(base_words),
        brackets=frozenset(brackets - {""}), acronyms=frozenset(acronyms), initials=initials,
        whole_acronym=whole, office=_office(thai_base, base_words),
    )


@lru_cache(maxsize=1 << 16)
def name_places(name: str, name_en: str) -> Places:
    """The places an organisation's names name (computed only for the names compared: it costs most)."""
    thai_text, english_text = _texts(name, name_en)
    return _places(_written_out(thai_text), _english_words(english_text))
