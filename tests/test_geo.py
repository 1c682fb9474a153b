"""graphmodel/geo.py: DOPA area codes named from geothai, the one checker every command uses,
and the areas a dataset touches."""

from __future__ import annotations

import pytest

from graphmodel.errors import GraphmodelError
from graphmodel.geo import Area, AreaCodeError, area_names, check_area_code, tambon_area, with_areas
from graphmodel.model import Agency, Coordination, Dataset, Group, Location, Program, Tambon

HU_LONG, KALO, NAI_MUEANG = "801208", "802103", "800101"
#: Bang Sue, Bangkok: abolished on 2006-01-01 (old records still hold it).
BANG_SUE = "100205"


def test_a_current_tambon_with_its_district_and_province():
    area = tambon_area(KALO)
    assert (area.tambon.code, area.tambon.name, area.tambon.name_en, area.tambon.abolished) == (
        KALO, "กะหรอ", "Karo", False)
    assert (area.district.code, area.district.name_en, area.district.province) == ("8021", "Nopphitam", "80")
    assert (area.province.code, area.province.name, area.province.name_en) == (
        "80", "นครศรีธรรมราช", "Nakhon Si Thammarat")


def test_an_abolished_tambon_is_still_known():
    area = tambon_area(BANG_SUE)
    assert (area.tambon.name_en, area.tambon.abolished, area.tambon.district) == ("Bang Sue", True, "1002")
    assert (area.district.name_en, area.province.name_en) == ("Dusit", "Bangkok")


@pytest.mark.parametrize("code", ["999999", "80210", "8021033", "8021O3", "๘๐๒๑๐๓", "", " 802103"])
def test_unknown_or_malformed_tambon_codes(code):
    assert tambon_area(code) is None


@pytest.mark.parametrize("code, names", [
    ("80", ("นครศรีธรรมราช", "Nakhon Si Thammarat")),
    ("8012", ("ปากพนัง", "Pak Phanang")),
    (HU_LONG, ("หูล่อง", "Hu Long")),
    ("1002", ("เขตดุสิต", "Dusit")),
    ("99", None), ("9999", None), ("999999", None), ("801", None), ("", None),
])
def test_area_names(code, names):
    assert area_names(code) == names


# --- the one checker of area codes -------------------------------------------------------------------

@pytest.mark.parametrize("kind, code, names", [
    ("tambon", KALO, ("กะหรอ", "Karo")),
    ("tambon", BANG_SUE, ("บางซื่อ", "Bang Sue")),
    ("district", "8021", ("นบพิตำ", "Nopphitam")),
    ("province", "80", ("นครศรีธรรมราช", "Nakhon Si Thammarat")),
])
def test_check_area_code_names_a_known_code(kind, code, names):
    assert check_area_code(kind, code) == names


@pytest.mark.parametrize("kind, code, message", [
    ("tambon", "8021", "tambon '8021' is not a 6-digit DOPA tambon code (e.g. 802103 for Kalo)"),
    ("tambon", "80210a", "tambon '80210a' is not a 6-digit DOPA tambon code (e.g. 802103 for Kalo)"),
    ("tambon", "๘๐๒๑๐๓", "tambon '๘๐๒๑๐๓' is not a 6-digit DOPA tambon code (e.g. 802103 for Kalo)"),
    ("district", "80", "district '80' is not a 4-digit DOPA district code (e.g. 8021 for Nopphitam)"),
    ("district", "", "district '' is not a 4-digit DOPA district code (e.g. 8021 for Nopphitam)"),
    ("province", "080", "province '080' is not a 2-digit DOPA province code (e.g. 80 for Nakhon Si Thammarat)"),
    ("tambon", "999999", "tambon 999999 is not a DOPA tambon code known to geothai"),
    ("district", "8099", "district 8099 is not a DOPA district code known to geothai"),
    ("province", "99", "province 99 is not a DOPA province code known to geothai"),
])
def test_check_area_code_messages(kind, code, message):
    with pytest.raises(AreaCodeError) as info:
        check_area_code(kind, code)
    assert str(info.value) == message
    assert isinstance(info.value, GraphmodelError) and info.value.exit_code == 2


# --- the areas of a dataset ---------------------------------------------------------------------------

def test_with_areas_adds_every_area_named_once():
    ds = Dataset(
        agencies=[Agency(id="a", name="A", kind="provincial")],
        programs=[Program(id="p", name="P", start_year=2006, end_year=2006)],
        groups=[Group(id="g", name="G", kind="savings", tambon=NAI_MUEANG)],
        locations=[Location(program="p", tambon=KALO), Location(program="p", tambon=HU_LONG)],
        coordination=[Coordination(a="a", b="g", tambon=BANG_SUE), Coordination(a="a", b="p")],
    )
    out = with_areas(ds)
    # Sorted by code; from locations, groups and the tambons of coordination links.
    assert [t.code for t in out.tambons] == [BANG_SUE, NAI_MUEANG, HU_LONG, KALO]
    assert [d.code for d in out.districts] == ["1002", "8001", "8012", "8021"]
    assert [(p.code, p.name_en) for p in out.provinces] == [("10", "Bangkok"), ("80", "Nakhon Si Thammarat")]
    assert out.tambons[0].abolished is True
    assert (out.agencies, out.locations, out.coordination) == (ds.agencies, ds.locations, ds.coordination)
    assert with_areas(out) == out  # areas already there are replaced, not doubled


def test_with_areas_drops_areas_nothing_names():
    ds = Dataset(tambons=[Tambon(code=KALO, name="กะหรอ", district="8021")])
    assert with_areas(ds).tambons == [] and with_areas(ds).districts == []


def test_with_areas_refuses_an_unknown_tambon():
    ds = Dataset(programs=[Program(id="p", name="P", start_year=2006, end_year=2006)],
                 locations=[Location(program="p", tambon="999999")])
    with pytest.raises(AreaCodeError) as info:
        with_areas(ds)
    assert str(info.value) == "tambon 999999 is not a DOPA tambon code known to geothai"


# --- Area: the one "tambon T is in the area" of every analysis, view and scoped read -----------

@pytest.mark.parametrize("code, filters, kept", [
    ("802103", {}, True),
    ("802103", {"tambon": "", "province": ""}, True),  # an empty filter keeps everything, as coalesce($x, '') = '' does
    ("802103", {"tambon": "802103"}, True),
    ("802103", {"tambon": "801208"}, False),
    ("802103", {"district": "8021"}, True),
    ("802103", {"district": "8012"}, False),
    ("802103", {"province": "80"}, True),
    ("802103", {"province": "8021"}, True),  # STARTS WITH: any prefix, as the Cypher twins filter
    ("802103", {"province": "10"}, False),
    ("802103", {"tambon": "802103", "province": "80"}, True),  # every filter given applies
    ("802103", {"tambon": "802103", "province": "10"}, False),
    ("802103", {"district": "8021", "province": "81"}, False),
    ("802103", {"tambon": "8021"}, False),  # a tambon filter is equality (t.id = $tambon)
])
def test_area_contains(code, filters, kept):
    assert Area.within(**filters).contains(code) is kept


def test_filters_that_disagree_leave_an_empty_area():
    area = Area.within(tambon=HU_LONG, province="81")
    assert area.empty and not Area.within(tambon=HU_LONG, province="80").empty
    assert Area.within(tambon=HU_LONG, province="80") == Area("tambon", HU_LONG)
    with pytest.raises(ValueError):
        area.params()
