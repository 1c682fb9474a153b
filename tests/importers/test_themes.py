"""The theme vocabulary (graphmodel/importers/themes.csv) and the importers mapping free text through it.

Expected codes are the seed's theme codes (seed/nst-2006/programs.csv) and the generator's
(graphmodel.synth.THEMES); the synonyms are the file's own.
"""

from __future__ import annotations

import csv

import pytest

from graphmodel.importers.codelists import sector_theme
from graphmodel.importers.hxl import read_hxl
from graphmodel.importers.themes import theme_key, theme_of, themes, vocabulary_theme
from graphmodel.synth import THEMES as SYNTH_THEMES

from paths import SEED

SEED_THEMES = {"community_welfare", "community_organization", "community_finance", "community_planning",
               "poverty_data", "farmer_groups", "occupation", "health", "learning", "local_research"}


def test_the_vocabulary_holds_the_seed_and_generator_themes():
    codes = [t.code for t in themes()]
    assert len(codes) == len(set(codes))
    assert set(codes) == SEED_THEMES | set(SYNTH_THEMES)
    with (SEED / "programs.csv").open(encoding="utf-8", newline="") as fh:
        seed = {t for row in csv.DictReader(fh) for t in row["themes"].split(";")}
    assert seed == SEED_THEMES
    assert all(vocabulary_theme(code) == code for code in codes)


def test_every_spelling_names_one_theme():
    owner: dict[str, str] = {}
    for theme in themes():
        assert theme.name and theme.name_en, theme.code  # Thai and English names
        for text in (theme.code, theme.name, theme.name_en, *theme.synonyms):
            key = theme_key(text)
            assert owner.setdefault(key, theme.code) == theme.code, (text, owner[key], theme.code)


@pytest.mark.parametrize("text", ["Livelihoods", "livelihood", "อาชีพ", "LIVELIHOODS ", "Occupation",
                                  "income generation", "การประกอบอาชีพ"])
def test_livelihoods_livelihood_and_the_thai_word_meet(text):
    assert theme_of(text) == "occupation"


@pytest.mark.parametrize("text, code", [
    ("Farmers groups", "farmer_groups"), ("Poverty_Data", "poverty_data"), ("สาธารณสุข", "health"),
    ("Basket weaving", "basket_weaving"), ("Community-based research", "local_research"),
])
def test_free_text(text, code):
    assert theme_of(text) == code


def test_sector_codes_still_go_through_the_dac_table():
    assert sector_theme("1", "43040") == "community_planning"
    assert sector_theme("1", "99810") == "dac_99810"
    assert sector_theme("99", "Livelihoods") == "occupation"


def test_an_hxl_sheet_with_three_spellings_gives_one_theme(tmp_path):
    sheet = tmp_path / "3w.csv"
    sheet.write_text(
        "#org+funder,#activity+code,#activity+name,#sector,#date+start,#adm3+code\n"
        "CODI,A,Weaving,Livelihoods,2567,TH550102\n"
        "CODI,B,Goats,livelihood,2567,TH550102\n"
        "CODI,C,Rice,อาชีพ,2567,TH550102\n", encoding="utf-8")
    activities, report = read_hxl(sheet)
    assert [a.themes for a in activities] == [["occupation"]] * 3
    assert report == []
