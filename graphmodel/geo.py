"""Thai administrative areas (DOPA codes) from the ``geothai`` package.

A tambon code is six digits: province (2) + district (2) + tambon (2).
Abolished codes are accepted too, because old records hold them.

Examples
--------
>>> t = tambon_area("802103")
>>> t.tambon.name, t.tambon.name_en, t.district.name_en, t.province.name_en
('กะหรอ', 'Karo', 'Nopphitam', 'Nakhon Si Thammarat')
>>> tambon_area("999999") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import geothai
from geothai.abolished import abolished_areas

from .errors import ArgumentError, GraphmodelError
from .model import Dataset, District, Province, Tambon, bilingual

__all__ = ["Area", "TambonArea", "AreaCodeError", "AREA_DIGITS", "tambon_area", "area_names",
           "check_area_code", "with_areas", "DATA_VERSION"]

#: The length of each kind of DOPA code.
AREA_DIGITS = {"province": 2, "district": 4, "tambon": 6}
_EXAMPLES = {"tambon": "802103 for Kalo", "district": "8021 for Nopphitam",
             "province": "80 for Nakhon Si Thammarat"}


class AreaCodeError(GraphmodelError):
    """A tambon, district or province code that is malformed or unknown."""

    exit_code = 2

DATA_VERSION = geothai.DATA_VERSION


@dataclass(frozen=True)
class TambonArea:
    """A tambon with the district and province it lies in."""

    tambon: Tambon
    district: District
    province: Province


@cache
def _abolished() -> dict[str, object]:
    return {a.code: a for a in abolished_areas()}


def _province(code: str) -> Province | None:
    p = geothai.province(code)
    if p is not None:
        return Province(code=p.code, name=p.name_th, name_en=p.name_en)
    a = _abolished().get(code)
    if a is not None:
        return Province(code=code, name=a.name_th, name_en=a.name_en)
    return None


def _district(code: str) -> District | None:
    d = geothai.district(code)
    if d is not None:
        return District(code=d.code, name=d.name_th, name_en=d.name_en, province=d.province_code)
    a = _abolished().get(code)
    if a is not None:
        return District(code=code, name=a.name_th, name_en=a.name_en, province=code[:2])
    return None


@cache
def tambon_area(code: str) -> TambonArea | None:
    """Look up a 6-digit DOPA tambon code (current or abolished); ``None`` if unknown."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    s = geothai.subdistrict(code)
    if s is not None:
        tambon = Tambon(code=s.code, name=s.name_th, name_en=s.name_en, district=s.district_code)
    else:
        a = _abolished().get(code)
        if a is None or a.level != "subdistrict":
            return None
        tambon = Tambon(code=code, name=a.name_th, name_en=a.name_en,
                        district=code[:4], abolished=True)
    district = _district(tambon.district)
    province = _province(code[:2])
    if district is None or province is None:
        return None
    return TambonArea(tambon=tambon, district=district, province=province)


def area_names(code: str) -> tuple[str, str | None] | None:
    """Thai and English names of a province (2 digits), district (4) or tambon (6) code."""
    if len(code) == 6:
        t = tambon_area(code)
        return None if t is None else (t.tambon.name, t.tambon.name_en)
    area = _district(code) if len(code) == 4 else _province(code) if len(code) == 2 else None
    return None if area is None else (area.name, area.name_en)


def check_area_code(kind: str, code: str) -> tuple[str, str | None]:
    """The Thai and English names of a known DOPA code of ``kind``; every command checks codes here.

    Parameters
    ----------
    kind : str
        ``tambon``, ``district`` or ``province``.
    code : str
        The code as the user typed it.

    Raises
    ------
    AreaCodeError
        For a code of the wrong shape, or one geothai does not know.

    Examples
    --------
    >>> check_area_code("tambon", "801208")
    ('หูล่อง', 'Hu Long')
    >>> check_area_code("district", "80")
    Traceback (most recent call last):
    ...
    graphmodel.geo.AreaCodeError: district '80' is not a 4-digit DOPA district code (e.g. 8021 for Nopphitam)
    >>> check_area_code("province", "99")
    Traceback (most recent call last):
    ...
    graphmodel.geo.AreaCodeError: province 99 is not a DOPA province code known to geothai
    """
    digits = AREA_DIGITS[kind]
    if not (len(code) == digits and code.isascii() and code.isdigit()):
        raise AreaCodeError(f"{kind} {code!r} is not a {digits}-digit DOPA {kind} code "
                            f"(e.g. {_EXAMPLES[kind]})")
    names = area_names(code)
    if names is None:
        raise AreaCodeError(f"{kind} {code} is not a DOPA {kind} code known to geothai")
    return names


class Area(NamedTuple):
    """Where a question looks: one tambon, district or province (``kind`` and its DOPA code), or
    every tambon (``Area()``). The one definition of "tambon T is in the area" (:meth:`contains`)
    for every analysis, view and scoped read; the Cypher twins filter the same way.

    Examples
    --------
    >>> Area.of(district="8012").contains("801208"), Area.of(district="8012").contains("802103")
    (True, False)
    >>> Area.of().label(), Area.of(tambon="801208").label()
    ('all tambons', 'tambon 801208 หูล่อง (Hu Long)')
    >>> Area.of(province="80").params()
    {'tambon': None, 'district': None, 'province': '80'}
    >>> Area.within(tambon="801208", province="80"), Area.within(tambon="801208", province="81").contains("801208")
    (Area(kind='tambon', code='801208'), False)
    >>> Area.of(tambon="801208", province="80")
    Traceback (most recent call last):
    ...
    graphmodel.errors.ArgumentError: give at most one of tambon, district, province; got tambon, province
    """

    kind: str | None = None
    code: str | None = None

    @classmethod
    def of(cls, *, tambon: str | None = None, district: str | None = None,
           province: str | None = None) -> "Area":
        """The area of at most one of the three codes (none: every tambon), as a command takes it.

        Raises :class:`~graphmodel.errors.ArgumentError` for more than one.
        """
        given = [k for k, v in (("tambon", tambon), ("district", district), ("province", province)) if v]
        if len(given) > 1:
            raise ArgumentError(f"give at most one of tambon, district, province; got {', '.join(given)}")
        return cls.within(tambon=tambon, district=district, province=province)

    @classmethod
    def within(cls, *, tambon: str | None = None, district: str | None = None,
               province: str | None = None) -> "Area":
        """The tambons in every one of the codes given; none (or only empty ones): every tambon.

        What a named query's filters mean (its Python twin takes them so): all
        given apply (``t.id = $tambon AND t.id STARTS WITH $province``); nested
        codes narrow to the longest, codes that disagree leave no tambon.
        """
        given = sorted(((k, v) for k, v in (("province", province), ("district", district), ("tambon", tambon))
                        if v), key=lambda kv: len(kv[1]))
        if not given:
            return cls()
        kind, code = given[-1]
        if all(code.startswith(v) for _, v in given) and all(v == code for k, v in given if k == "tambon"):
            return cls(kind, code)
        return cls(_NOWHERE, code)

    @property
    def empty(self) -> bool:
        """Whether the area holds no tambon (filters that disagree)."""
        return self.kind == _NOWHERE

    def contains(self, tambon: str) -> bool:
        """Whether tambon code ``tambon`` lies in this area (a tambon's own code, or one starting
        with the district's or province's code; any code for ``Area()``)."""
        if self.code is None:
            return True
        if self.kind == "tambon":
            return tambon == self.code
        return self.kind != _NOWHERE and tambon.startswith(self.code)

    def params(self) -> dict[str, str | None]:
        """The ``tambon``/``district``/``province`` parameters of the named queries."""
        if self.kind == _NOWHERE:
            raise ValueError("filters that disagree leave no tambon; there are no parameters for that")
        return {k: self.code if self.kind == k else None for k in ("tambon", "district", "province")}

    def label(self) -> str:
        """``tambon 801208 หูล่อง (Hu Long)``; ``all tambons`` for the whole graph."""
        if self.code is None:
            return "all tambons"
        if self.kind == _NOWHERE:
            return "no tambon"
        names = area_names(self.code)
        name = bilingual(*names) if names else ""
        return f"{self.kind} {self.code} {name}".rstrip()


#: The kind of an :class:`Area` whose filters disagree: it holds no tambon.
_NOWHERE = "nowhere"


def with_areas(dataset: Dataset) -> Dataset:
    """A copy of ``dataset`` whose tambons, districts and provinces are every
    area its locations, groups and coordination links name (names from geothai).

    Raises :class:`AreaCodeError` for an unknown tambon code; the reader
    reports those cell by cell before it gets here.
    """
    codes = [x.tambon for x in dataset.locations] + [g.tambon for g in dataset.groups]
    codes += [x.tambon for x in dataset.coordination if x.tambon]
    tambons, districts, provinces = {}, {}, {}
    for code in sorted(set(codes)):
        area = tambon_area(code)
        if area is None:
            raise AreaCodeError(f"tambon {code} is not a DOPA tambon code known to geothai")
        tambons[code] = area.tambon
        districts[area.district.code] = area.district
        provinces[area.province.code] = area.province
    return dataset.model_copy(update={
        "tambons": list(tambons.values()),
        "districts": list(districts.values()),
        "provinces": list(provinces.values()),
    })
