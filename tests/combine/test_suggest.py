"""aliases-suggested.csv: every reason, the places that tell names apart, and the order.

Each agency of the second source below was written to meet exactly one agency of the first
for exactly one reason (the comment says why); scores are the table of
graphmodel/combine/suggest.py (and docs/combine.md). The health centre of Nong Daeng and the
community development office of Phrae must meet nothing: their names place them apart.
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz

from graphmodel.combine import combine
from graphmodel.combine.suggest import FUZZY_CUTOFF

from folders import PROGRAMS, folder, read, table

FIRST = """id,name,name_en,kind,org_ref
org1,มูลนิธิหนึ่ง,,civil_society,TH-ORG-1
pho,สำนักงานสาธารณสุขจังหวัดน่าน,,provincial,
wu,Walailak University,,academic,
tao_bo,องค์การบริหารส่วนตำบลบ่อ,,local_government,
TH-GOV-9,หน่วยงานเก้า,,line_agency,
CDD-NAN,สำนักงานพัฒนาชุมชนจังหวัดน่าน,,provincial,
unicef,UNICEF Thailand Country Office,,civil_society,
codi,สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน),,special_agency,
gov,ผู้ว่าราชการจังหวัดน่าน (ผู้ว่าฯ ซีอีโอ),,provincial,
doae,เกษตร (กรมส่งเสริมการเกษตร),,line_agency,
trf,สำนักงานกองทุนสนับสนุนการวิจัย (สกว.),Thailand Research Fund (TRF),special_agency,
dopa,กรมการปกครอง,Department of Provincial Administration,line_agency,
cdd,กรมการพัฒนาชุมชน,,line_agency,
hc_bo,โรงพยาบาลส่งเสริมสุขภาพตำบลบ่อ,,line_agency,
"""
SECOND = """id,name,name_en,kind,org_ref
b_org1,Foundation One,,civil_society,TH-ORG-1
b_pho,สำนักงานสาธารณสุขจังหวัดน่าน,,provincial,
b_pho_typo,สำนักงานสาธารณะสุขจังหวัดน่าน,,provincial,
b_wu,มหาวิทยาลัยวลัยลักษณ์,Walailak University,academic,
b_tao_bo,อบต.บ่อ,,local_government,
nine,Agency Nine,,line_agency,TH-GOV-9
cdd_nan,Nan CDD office,,provincial,
b_unicef,UNICEF Thailand Contry Office,,civil_society,
b_codi,สถาบันพัฒนาองค์กรชุมชน (พอช.),,special_agency,
b_gov,ผู้ว่าราชการจังหวัดน่าน (ผู้ว่าราชการ),,provincial,
b_doae,กรมส่งเสริมการเกษตร,,line_agency,
b_trf,Thailand Science Research and Innovation (TRF),,special_agency,
b_dopa,DOPA,,line_agency,
b_cdd_phrae,สำนักงานพัฒนาชุมชนจังหวัดแพร่,,provincial,
b_hc_bo,รพ.สต.บ่อ,,line_agency,
b_hc_nd,โรงพยาบาลส่งเสริมสุขภาพตำบลหนองแดง,,line_agency,
"""
EXPECTED = [  # best first: score (unrounded), then type, id, same_as
    ["agency", "b_org1", "org1", "1.00", "same org_ref"],  # same reference, names in two languages
    ["agency", "b_pho", "pho", "1.00", "same Thai name"],
    ["agency", "b_unicef", "unicef", "0.98", "similar English name"],  # Contry: ratio 98.3 (ranked unrounded)
    ["agency", "b_pho_typo", "pho", "0.98", "similar Thai name"],  # สาธารณะสุข: ratio 98.2
    ["agency", "b_wu", "wu", "0.98", "same English name"],
    ["agency", "b_hc_bo", "hc_bo", "0.95", "same Thai name, abbreviation written out"],  # รพ.สต.
    ["agency", "b_tao_bo", "tao_bo", "0.95", "same Thai name, abbreviation written out"],  # อบต.
    ["agency", "cdd_nan", "CDD-NAN", "0.95", "same id, written differently"],
    ["agency", "nine", "TH-GOV-9", "0.95", "org_ref is the other's id"],
    ["agency", "b_codi", "codi", "0.90", "same name, acronym differs"],  # (องค์การมหาชน) / (พอช.)
    ["agency", "b_doae", "doae", "0.90", "one name is the other's name in brackets"],
    ["agency", "b_gov", "gov", "0.90", "same name, words in brackets differ"],
    ["agency", "b_dopa", "dopa", "0.85", "name is the other's acronym"],
    ["agency", "b_trf", "trf", "0.85", "same acronym"],
    ["agency", "b_cdd_phrae", "cdd", "0.30", "a department and its provincial office (usually not the same)"],
]


def _two(tmp_path: Path, first: str, second: str, **more: dict[str, str]) -> Path:
    one = folder(tmp_path / "one", **{"agencies": first, "programs": PROGRAMS, **more.get("one", {})})
    two = folder(tmp_path / "two", **{"agencies": second, "programs": PROGRAMS, **more.get("two", {})})
    combine([one, two], tmp_path / "out")
    return tmp_path / "out" / "aliases-suggested.csv"


def test_every_reason_once_best_first(tmp_path):
    assert table(_two(tmp_path, FIRST, SECOND)) == [["type", "id", "same_as", "score", "reason"], *EXPECTED]


def test_two_health_centres_of_two_tambons_are_never_one(tmp_path):
    bo, nong_daeng = "โรงพยาบาลส่งเสริมสุขภาพตำบลบ่อ", "โรงพยาบาลส่งเสริมสุขภาพตำบลหนองแดง"
    assert fuzz.ratio(bo, nong_daeng) >= FUZZY_CUTOFF  # similar enough: only the place names tell them apart
    suggested = read(_two(tmp_path, f"id,name,kind\nhc_bo,{bo},line_agency\n",
                          f"id,name,kind\nhc_nd,{nong_daeng},line_agency\nhc_bo2,{bo} อำเภอเมืองน่าน,line_agency\n"))
    assert [(r["id"], r["same_as"], r["reason"]) for r in suggested] == [
        ("hc_bo2", "hc_bo", "same name, one adds its district or province")]


def test_one_tambon_name_in_two_provinces_by_where_the_programs_are(tmp_path):
    name = "องค์การบริหารส่วนตำบลหนองบัว"  # a tambon name of many provinces (Lop Buri 160207, Chai Nat 180304 ...)
    one = {"programs": PROGRAMS + "p1,แผน,community_planning,2567,2567\n",
           "implementation": "implementer,program\ntao_nb,p1\n", "locations": "program,tambon\np1,160207\n"}
    two = {"programs": PROGRAMS + "p2,แผน,community_planning,2567,2567\np3,แผน,health,2567,2567\n",
           "implementation": "implementer,program\ntao_nb_cn,p2\ntao_nb_lb,p3\n",
           "locations": "program,tambon\np2,180304\np3,160207\n"}
    suggested = read(_two(tmp_path, f"id,name,kind\ntao_nb,{name},local_government\n",
                          f"id,name,kind\ntao_nb_cn,{name},local_government\ntao_nb_lb,{name},local_government\n",
                          one=one, two=two))
    assert [(r["id"], r["same_as"], r["reason"]) for r in suggested] == [("tao_nb_lb", "tao_nb", "same Thai name")]


def test_a_misspelt_name_of_another_tambon_is_told_apart_by_where_it_works(tmp_path):
    # บ้านแพน (Ban Phaen, 141202) misspelt บ้านแพ is the name of another tambon (Ban Phae, 310203)
    one = {"programs": PROGRAMS + "p1,แผน,health,2567,2567\n",
           "implementation": "implementer,program\nhc_ban_phae,p1\n", "locations": "program,tambon\np1,310203\n"}
    two = {"programs": PROGRAMS + "p2,แผน,health,2567,2567\n",
           "implementation": "implementer,program\nhc_typo,p2\n", "locations": "program,tambon\np2,141202\n"}
    name = "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านแพ"
    suggested = read(_two(tmp_path, f"id,name,kind\nhc_ban_phae,{name},line_agency\n",
                          f"id,name,kind\nhc_typo,{name},line_agency\n", one=one, two=two))
    assert suggested == []


def test_of_two_alike_the_one_working_in_the_same_tambon(tmp_path):
    # Trat has two tambons คลองใหญ่ (230201, 230507); a misspelt name (คลองหญ่) names neither
    name = "โรงพยาบาลส่งเสริมสุขภาพตำบลคลองใหญ่"
    one = {"programs": PROGRAMS + "p1,แผน,health,2567,2567\np2,แผน,health,2567,2567\n",
           "implementation": "implementer,program\nhc_a,p1\nhc_b,p2\n",
           "locations": "program,tambon\np1,230201\np2,230507\n"}
    two = {"programs": PROGRAMS + "p3,แผน,health,2567,2567\n",
           "implementation": "implementer,program\nhc_x,p3\n", "locations": "program,tambon\np3,230507\n"}
    suggested = read(_two(tmp_path, f"id,name,kind\nhc_a,{name},line_agency\nhc_b,{name},line_agency\n",
                          "id,name,kind\nhc_x,โรงพยาบาลส่งเสริมสุขภาพตำบลคลองหญ่,line_agency\n", one=one, two=two))
    assert [(r["id"], r["same_as"], r["reason"]) for r in suggested] == [("hc_x", "hc_b", "similar Thai name")]


def test_groups_are_compared_within_their_tambon(tmp_path):
    one = {"groups": "id,name,kind,tambon\ng1,กลุ่มออมทรัพย์บ้านบ่อ,savings,550102\n"}
    two = {"groups": "id,name,kind,tambon\nh1,กลุ่มออมทรัพย์บ้านบ่อ,savings,550103\n"
                     "h2,กลุ่มออมทรัพย์ บ้านบ่อ,savings,550102\n"}
    suggested = read(_two(tmp_path, "id,name,kind\n", "id,name,kind\n", one=one, two=two))
    assert [(r["type"], r["id"], r["same_as"], r["reason"]) for r in suggested] == [
        ("group", "h2", "g1", "same Thai name")]


def test_funds_and_themes(tmp_path):
    one = {"funds": "id,name,agency\nf1,งบพัฒนาจังหวัด,a1\n",
           "programs": PROGRAMS + "p1,แผน,elderly_care;community_planning,2567,2567\n"}
    two = {"funds": "id,name,agency\nf2,เงินอุดหนุน,a1\n",
           "programs": PROGRAMS + "p2,แผน,eldercare;Community_Plannings,2567,2567\n"}
    suggested = table(_two(tmp_path, "id,name,kind\na1,กรม,line_agency\n", "id,name,kind\n", one=one, two=two))
    assert suggested[1:] == [
        ["theme", "eldercare", "elderly_care", "0.86", "theme spelled differently"],  # ratio 85.7
        ["fund", "f2", "f1", "0.50", "the only fund of the same agency in each source"],
    ]  # Community_Plannings is community_planning through the vocabulary: nothing to suggest


def test_ids_both_sources_hold_are_not_suggested(tmp_path):
    same = "id,name,kind\npho,สำนักงานสาธารณสุขจังหวัดน่าน,provincial\n"
    assert read(_two(tmp_path, same, same)) == []
