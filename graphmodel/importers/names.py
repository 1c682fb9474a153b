"""Normalised names, stable ids and theme codes for imported records.

An imported organisation or activity gets an id made from its reference
(IATI ``ref``, HXL ``+code``) or, when it has none, from its name: the
text is normalised like every cell the dataset reader reads (Unicode NFC
and the Thai spelling fixes), invisible characters are dropped, it is
lower-cased, and every run of characters that are not letters, marks or
digits becomes one ``_``. Thai letters stay Thai, so an id made from
``กรมการปกครอง`` is ``กรมการปกครอง``. Two names that differ only in case,
spacing, punctuation or invisible characters give the same id: one id per
normalised name.

Examples
--------
>>> slug("TH-EX-CODI"), slug("  Yamna  Network "), slug("Yamna\\u200b network")
('th_ex_codi', 'yamna_network', 'yamna_network')
>>> slug('=HYPERLINK("http://x","y")')
'hyperlink_http_x_y'
>>> ids = IdSpace()
>>> ids.claim("codi"), ids.claim("codi"), ids.claim("", fallback="agency")
('codi', 'codi_2', 'agency')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The reader's own normalisation (NFC + Thai look-alike fixes): an imported
# name must compare equal to the same name typed into a CSV file.
from ..dataset.cells import clean as reader_clean

__all__ = ["clean", "slug", "is_thai", "year_of", "IdSpace"]

_THAI = re.compile("[\u0e00-\u0e7f]")
_NOT_ALNUM = re.compile("[^a-z0-9]+")
_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
#: As the dataset reader: a year from 2400 is Buddhist Era, CE = BE - 543.
_BE_FROM, _BE_OFFSET, _YEARS = 2400, 543, (1900, 2200)


def clean(text: str | None) -> str:
    """Text as the dataset reader would store it: stripped, NFC, Thai fixes, no invisible characters.

    >>> clean(" \\u0e19\\u0e49\\u0e4d\\u0e32\\ufeff "), clean(None)
    ('น้ำ', '')
    """
    if not text:
        return ""
    if text.isascii():  # the common case: no invisible characters, nothing for NFC to do
        return " ".join(text.split())
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(reader_clean(visible).split())


@lru_cache(maxsize=1 << 16)
def slug(text: str | None) -> str:
    """Lower-case letters, marks and digits joined by single ``_`` (empty if none).

    Also the key that decides whether two names are the same organisation.

    >>> slug("Hu Long TAO") == slug("hu-long  tao")
    True
    >>> slug("องค์การบริหารส่วนตำบล หูล่อง"), slug("---")
    ('องค์การบริหารส่วนตำบล_หูล่อง', '')
    """
    text = clean(text)
    if text.isascii():
        return _NOT_ALNUM.sub("_", text.lower()).strip("_")
    out: list[str] = []
    gap = False
    for ch in text.casefold():
        if unicodedata.category(ch)[0] in "LMN":
            if gap and out:
                out.append("_")
            out.append(ch)
            gap = False
        else:
            gap = True
    return "".join(out)


def is_thai(text: str) -> bool:
    """Whether ``text`` holds Thai script.

    >>> is_thai("หูล่อง"), is_thai("Hu Long")
    (True, False)
    """
    return bool(_THAI.search(text))


def year_of(text: str | None) -> int | None:
    """The CE year in a date or year, written as the only 4-digit number in it.

    A Buddhist Era year (2400 or more) is converted; a year outside
    1900-2200 CE, no year or two candidates give ``None``.

    >>> year_of("2006-10-01"), year_of("1/10/2549"), year_of("2549"), year_of("2006-2007")
    (2006, 2006, 2006, None)
    >>> year_of("38718"), year_of("soon"), year_of(None)
    (None, None, None)
    """
    found = _YEAR.findall(text or "")
    if len(found) != 1:
        return None
    year = int(found[0])
    year -= _BE_OFFSET if year >= _BE_FROM else 0
    return year if _YEARS[0] <= year <= _YEARS[1] else None


class IdSpace:
    """One id space for agencies, funds and programs (the contract's rule).

    :meth:`claim` hands out the wanted id, or the wanted id with ``_2``,
    ``_3`` ... when it is taken, so ids are unique and depend only on the
    order of the claims (the order of the input file): the same file always
    gives the same ids.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, wanted: str, *, fallback: str = "item") -> str:
        base = wanted or fallback
        candidate, n = base, 2
        while candidate in self._taken:
            candidate, n = f"{base}_{n}", n + 1
        self._taken.add(candidate)
        return candidate
