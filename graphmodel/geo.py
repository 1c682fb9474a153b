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

import geothai
from geothai.abolished import abolished_areas

from .errors import GraphmodelError
from .model import Dataset, District, Province, Tambon

__all__ = ["TambonArea", "AreaCodeError", "AREA_DIGITS", "tambon_area", "area_names",
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
