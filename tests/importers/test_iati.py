"""``graphmodel import iati`` on tests/data/iati-nst.xml, worked out by hand.

The sample has seven activities (line of the <iati-activity> start tag):

- A1 TH-EX-CODI-LIFEPLAN (6): CODI funds (budget 200,000 THB in 2006), Hu Long TAO
  (no ref) implements; 2006; sectors 43040 Rural development -> community_planning and
  16062 Statistical capacity building -> poverty_data; tambons TH801208 (P-code) and
  802103 (a bare DOPA code); a *sibling* link to A2, which does not count.
- A2 TH-EX-NSTGOV-SURVEY (36): the governor funds (a commitment of 150,000 THB in
  2006; the disbursement is not funding), DOPA and the Yamna network (no ref) implement;
  2006; 15112 Decentralisation -> community_planning, 16062 -> poverty_data; tambons by
  name: a Thai address for Hu Long and "Karo, Nopphitam, Nakhon Si Thammarat".
- A3 TH-EX-DOAE-FARMERS (74): DOAE funds and implements; 2006; 31166 -> farmer_groups;
  tambon TH802103; a child link to A4.
- A4 TH-EX-CDD-GROUPS (86): CDD funds and implements; 2006-2007; 31120 -> farmer_groups
  and category 240 (not in the table) -> dac_240; tambon by the name กะหรอ inside district
  TH8021; budgets: 2006 original 300,000 replaced by the revised 350,000, 2007 100,000.50;
  a parent link back to A3 (the same link as A3's).
- A5 TH-EX-TRF-RESEARCH (117): TRF funds, Walailak University implements; only the
  country TH (no sub-national location); a USD budget (not converted).
- A6 TH-EX-MOPH-HEALTH (136): MOPH funds, DOPA is accountable (-> an implementer with
  role "accountable"), a hospital with role 9 (no such role); only a planned start 2006;
  12220 -> health; tambon code TH809999 (unknown) and district code TH8012; a child
  TH-EX-ELSEWHERE-1 that is not in the file.
- A7 TH-EX-CODI-NODATES (149): no dates: left out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import DATA, invoke, rows, summary_lines
from faults import in_child, read_only_folder, remove, seal

IATI = DATA / "iati-nst.xml"
SRC = "iati:iati-nst.xml"

COUNTS = {
    # 7 agencies with a ref (codi, nstgov, dopa, doae, cdd, trf, moph) + 3 by name
    # (Hu Long TAO, Yamna, Walailak); the hospital of A6 and A7's CODI add nothing.
    "agencies.csv": 10,
    "funds.csv": 6,            # one per funding agency of A1-A6
    "programs.csv": 6,         # A1-A6
    "groups.csv": 0,
    "funding.csv": 7,          # A1, A2, A3, A4 x2 (2006, 2007), A5, A6
    "implementation.csv": 7,   # TAO-A1, DOPA-A2, Yamna-A2, DOAE-A3, CDD-A4, Walailak-A5, DOPA-A6
    "locations.csv": 6,        # A1 x2, A2 x2, A3, A4
    "coordination.csv": 1,     # A3-A4 (stated from both sides, written once)
    "import-report.csv": 9,
}

REPORT = [
    ["file", "line", "item", "field", "value", "slug", "problem", "action"],
    ["{f}", "34", "TH-EX-CODI-LIFEPLAN", "related-activity", "TH-EX-NSTGOV-SURVEY",
     "related-not-counted", "a related-activity of type 1, 2, 4 or 5 (parent, child, co-funded, "
     "third party); type 3 (sibling) does not say the two work together", "no coordination link"],
    ["{f}", "117", "TH-EX-TRF-RESEARCH", "location", "TH", "no-location",
     "a location element naming a tambon (a sub-national location)",
     "program written without a tambon"],
    ["{f}", "133", "TH-EX-TRF-RESEARCH", "budget/value", "5000 USD", "not-thb",
     "an amount in THB (@currency or the activity's @default-currency); other currencies are "
     "not converted", "amount left out"],
    ["{f}", "136", "TH-EX-MOPH-HEALTH", "activity-date", "2006", "no-end-date",
     "an activity-date for the end (3 or 4)", "end year set to 2006"],
    ["{f}", "142", "TH-EX-MOPH-HEALTH", "participating-org/@role", "9", "unknown-role",
     "an IATI OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing",
     "organisation District hospital left out of this activity"],
    ["{f}", "144", "TH-EX-MOPH-HEALTH", "location/administrative/@code", "TH809999",
     "unknown-tambon", "a 6-digit DOPA tambon code known to geothai (e.g. 801208 or TH801208 "
     "for Hu Long)", "location left out"],
    ["{f}", "145", "TH-EX-MOPH-HEALTH", "location/administrative/@code", "TH8012",
     "not-tambon-level", "a tambon; this is the district 8012 ปากพนัง (Pak Phanang), which does "
     "not say which of its tambons", "location left out"],
    ["{f}", "147", "TH-EX-MOPH-HEALTH", "related-activity", "TH-EX-ELSEWHERE-1",
     "related-not-in-file", "the identifier of an activity imported from this file",
     "no coordination link"],
    ["{f}", "149", "TH-EX-CODI-NODATES", "activity-date", "", "no-dates",
     "an activity-date of type 1 or 2 (start) and 3 or 4 (end)", "activity left out"],
]


@pytest.fixture
def imported(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = invoke("import", "iati", str(IATI), "-o", "out")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == summary_lines(COUNTS, "out", 9)
    return tmp_path / "out"


def test_report_lists_every_element_not_placed(imported):
    assert rows(imported / "import-report.csv") == [
        [c.replace("{f}", str(IATI)) for c in line] for line in REPORT]


def test_agencies_by_ref_or_name_with_kinds_from_the_org_type(imported):
    got = [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows(imported / "agencies.csv")]
    assert got == [
        ("id", "name", "name_en", "kind", "org_ref", "org_type"),
        ("th_ex_codi", "สถาบันพัฒนาองค์กรชุมชน (พอช.)",
         "Community Organizations Development Institute (CODI)", "special_agency", "TH-EX-CODI", "15"),
        ("th_ex_nstgov", "ผู้ว่าราชการจังหวัดนครศรีธรรมราช",
         "Governor of Nakhon Si Thammarat (CEO governor)", "line_agency", "TH-EX-NSTGOV", "10"),
        # English only: the one name goes in `name`, no copy in name_en
        ("th_ex_dopa", "Department of Provincial Administration", "", "line_agency", "TH-EX-DOPA", "10"),
        ("th_ex_doae", "Department of Agricultural Extension", "", "line_agency", "TH-EX-DOAE", "10"),
        ("th_ex_cdd", "Community Development Department", "", "line_agency", "TH-EX-CDD", "10"),
        ("th_ex_trf", "Thailand Research Fund", "", "special_agency", "TH-EX-TRF", "15"),
        ("th_ex_moph", "Ministry of Public Health", "", "line_agency", "TH-EX-MOPH", "10"),
        ("องค์การบริหารส่วนตำบลหูล่อง", "องค์การบริหารส่วนตำบลหูล่อง", "", "local_government", "", "11"),
        ("เครือข่ายยมนา", "เครือข่ายยมนา", "Yamna network", "civil_society", "", "22"),
        ("มหาวิทยาลัยวลัยลักษณ์", "มหาวิทยาลัยวลัยลักษณ์", "Walailak University", "academic", "", "80"),
    ]
    assert {r[6] for r in rows(imported / "agencies.csv")[1:]} == {SRC}


def test_programs_funding_implementation_locations_coordination(imported):
    assert [r[:7] for r in rows(imported / "programs.csv")] == [
        ["id", "name", "name_en", "themes", "start_year", "end_year", "activity_id"],
        ["th_ex_codi_lifeplan", "แผนชีวิตชุมชน", "Community life plans",
         "community_planning;poverty_data", "2006", "2006", "TH-EX-CODI-LIFEPLAN"],
        ["th_ex_nstgov_survey", "โครงการสำรวจคนจน 400 หมู่บ้าน", "400-village poverty survey",
         "community_planning;poverty_data", "2006", "2006", "TH-EX-NSTGOV-SURVEY"],
        ["th_ex_doae_farmers", "Farmer groups through tambon technology transfer centres", "",
         "farmer_groups", "2006", "2006", "TH-EX-DOAE-FARMERS"],
        ["th_ex_cdd_groups", "Farmer and savings groups", "", "farmer_groups;dac_240", "2006",
         "2007", "TH-EX-CDD-GROUPS"],
        ["th_ex_trf_research", "Community-based research", "", "local_research", "2006", "2006",
         "TH-EX-TRF-RESEARCH"],
        ["th_ex_moph_health", "Strong Thailand through village health volunteers", "", "health",
         "2006", "2006", "TH-EX-MOPH-HEALTH"],
    ]
    assert [r[:4] for r in rows(imported / "funding.csv")] == [
        ["fund", "program", "amount_thb", "fiscal_year"],
        ["th_ex_codi_fund", "th_ex_codi_lifeplan", "200000", "2006"],
        ["th_ex_nstgov_fund", "th_ex_nstgov_survey", "150000", "2006"],
        ["th_ex_doae_fund", "th_ex_doae_farmers", "", ""],
        ["th_ex_cdd_fund", "th_ex_cdd_groups", "350000", "2006"],
        ["th_ex_cdd_fund", "th_ex_cdd_groups", "100000.5", "2007"],
        ["th_ex_trf_fund", "th_ex_trf_research", "", ""],
        ["th_ex_moph_fund", "th_ex_moph_health", "", ""],
    ]
    assert [r[:4] for r in rows(imported / "funds.csv")][:2] == [
        ["id", "name", "name_en", "agency"],
        ["th_ex_codi_fund", "เงินทุนจาก สถาบันพัฒนาองค์กรชุมชน (พอช.)",
         "Funding from Community Organizations Development Institute (CODI)", "th_ex_codi"],
    ]
    assert [r[:3] for r in rows(imported / "implementation.csv")] == [
        ["implementer", "program", "role"],
        ["องค์การบริหารส่วนตำบลหูล่อง", "th_ex_codi_lifeplan", "implementing"],
        ["th_ex_dopa", "th_ex_nstgov_survey", "implementing"],
        ["เครือข่ายยมนา", "th_ex_nstgov_survey", "implementing"],
        ["th_ex_doae", "th_ex_doae_farmers", "implementing"],
        ["th_ex_cdd", "th_ex_cdd_groups", "implementing"],
        ["มหาวิทยาลัยวลัยลักษณ์", "th_ex_trf_research", "implementing"],
        ["th_ex_dopa", "th_ex_moph_health", "accountable"],
    ]
    assert [r[:3] for r in rows(imported / "locations.csv")] == [
        ["program", "tambon", "matched_from"],
        ["th_ex_codi_lifeplan", "801208", "code TH801208"],
        ["th_ex_codi_lifeplan", "802103", "code 802103"],
        ["th_ex_nstgov_survey", "801208", "name ตำบลหูล่อง, อำเภอปากพนัง, จังหวัดนครศรีธรรมราช"],
        ["th_ex_nstgov_survey", "802103", "name Karo, Nopphitam, Nakhon Si Thammarat"],
        ["th_ex_doae_farmers", "802103", "code TH802103"],
        ["th_ex_cdd_groups", "802103", "name กะหรอ, 8021"],
    ]
    assert rows(imported / "coordination.csv") == [
        ["a", "b", "mechanism", "source"],
        ["th_ex_doae_farmers", "th_ex_cdd_groups", "IATI related activity (child)", SRC],
    ]
    assert rows(imported / "groups.csv") == [["id", "name", "kind", "tambon"]]


def test_imported_folder_validates(imported):
    result = invoke("validate", str(imported))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{imported}: valid"


# The overlaps rule on the imported folder, by hand (docs/analysis.md):
# - Hu Long 801208: A1 and A2 are both there, both 2006, share community_planning and
#   poverty_data; Agencies(A1) = {th_ex_codi (fund), Hu Long TAO} and Agencies(A2) =
#   {th_ex_nstgov (fund), th_ex_dopa, Yamna} are disjoint -> parallel. Their only relation
#   is the sibling link, which is not imported, and no other link touches them ->
#   uncoordinated.
# - Kalo 802103: A1, A2, A3, A4 are there. A1-A2 as in Hu Long: uncoordinated. A3 (2006,
#   farmer_groups, {doae}) and A4 (2006-2007, farmer_groups, {cdd}) overlap in 2006 and share
#   farmer_groups with disjoint agencies -> parallel; the parent/child link joins A3 and A4
#   themselves (members of their stakes) -> coordinated by a direct link. A1/A2 share no theme
#   with A3/A4 -> not parallel.
# - A5 and A6 are in no tambon, so they are in no pair.
def test_overlaps_on_the_imported_folder(imported):
    result = invoke("overlaps", str(imported), "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    found = json.loads(result.stdout)
    assert [(f["tambon"], f["uncoordinated_pairs"]) for f in found] == [
        ("801208", [["th_ex_codi_lifeplan", "th_ex_nstgov_survey"]]),
        ("802103", [["th_ex_codi_lifeplan", "th_ex_nstgov_survey"]]),
    ]
    kalo = [(p["programs"], p["coordinated"], p["coordinated_by"], p["shared_themes"],
             p["overlap_years"]) for p in found[1]["pairs"]]
    assert kalo == [
        (["th_ex_cdd_groups", "th_ex_doae_farmers"], True, ["direct_link"], ["farmer_groups"],
         [2006, 2006]),
        (["th_ex_codi_lifeplan", "th_ex_nstgov_survey"], False, [],
         ["community_planning", "poverty_data"], [2006, 2006]),
    ]


def test_without_the_related_activity_link_a3_a4_would_be_a_finding(imported):
    # The coordinated pair above is parallel: drop the link and it becomes a finding.
    (imported / "coordination.csv").write_text("a,b\n", encoding="utf-8")
    found = json.loads(invoke("overlaps", str(imported), "--format", "json").stdout)
    assert found[1]["uncoordinated_pairs"] == [["th_ex_cdd_groups", "th_ex_doae_farmers"],
                                               ["th_ex_codi_lifeplan", "th_ex_nstgov_survey"]]


def test_non_empty_output_folder_is_refused_without_force(imported):
    (imported / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in imported.iterdir()}
    result = invoke("import", "iati", str(IATI), "-o", str(imported))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {imported}: the folder is not empty; give a new or empty "
                             "folder, or --force to replace the dataset files and the import "
                             "report in it\n")
    assert {p.name: p.read_bytes() for p in imported.iterdir()} == before


def test_force_replaces_the_dataset_files_and_keeps_other_files(imported):
    (imported / "notes.txt").write_text("mine", encoding="utf-8")
    (imported / "programs.csv").write_text("id,name,themes,start_year,end_year\n", encoding="utf-8")
    result = invoke("import", "iati", str(IATI), "-o", str(imported), "--force")
    assert result.exit_code == 0
    assert len(rows(imported / "programs.csv")) == 7
    assert (imported / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in imported.iterdir()) == sorted([*COUNTS, "notes.txt"])


BAD_INPUT = [
    ("not-xml.xml", "hello", "1: well-formed XML (syntax error, column 1) [bad-xml]"),
    ("empty.xml", "", "1: well-formed XML (no element found, column 1) [bad-xml]"),
    ("bomb.xml",
     '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
     "<iati-activities>&lol2;</iati-activities>\n",
     "2: XML without entity declarations or external references (refused: they can make an XML "
     "bomb or read other files) [xml-entities]"),
    ("page.xml", "<html><body/></html>",
     "1: value 'html': an IATI activity file, whose root element is <iati-activities> [not-iati]"),
    ("old.xml", '<iati-activities version="1.05"><iati-activity/></iati-activities>',
     "1: value '1.05': IATI version 2.01, 2.02 or 2.03 (the version attribute of "
     "<iati-activities>) [iati-version]"),
]


@pytest.mark.parametrize("name, text, message", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_one_error_line_and_nothing_written(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke("import", "iati", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {path}:{message}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_no_activities(tmp_path):
    path = tmp_path / "none.xml"
    path.write_text('<iati-activities version="2.03"></iati-activities>', encoding="utf-8")
    result = invoke("import", "iati", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {path}: at least one <iati-activity> in <iati-activities> [no-activities]\n")
    assert not (tmp_path / "out").exists()


def test_missing_input_file_is_a_usage_error(tmp_path):
    result = invoke("import", "iati", str(tmp_path / "nope.xml"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for 'FILE': File "
                                              f"'{tmp_path / 'nope.xml'}' does not exist.")


def _import_in_child(out: Path) -> str:
    result = invoke("import", "iati", str(IATI), "-o", str(out))
    return f"{result.exit_code} {result.stderr}"


def test_read_only_place_for_the_output_is_one_clear_error():
    folder = read_only_folder()
    try:
        seal(folder)
        outcome = in_child(lambda: _import_in_child(folder / "out"), unprivileged=True)
        assert outcome == (f"2 Error: {folder / 'out'}: cannot write: Permission denied (is the "
                           "folder writable, and is there space on the disk?)\n")
        assert list(folder.iterdir()) == []
    finally:
        remove(folder)


def test_full_disk_leaves_nothing_behind(tmp_path):
    outcome = in_child(lambda: _import_in_child(tmp_path / "out"), max_file_bytes=600)
    # agencies.csv (the first file, about 1.2 kB) is the one that no longer fits
    assert outcome == (f"2 Error: {tmp_path / 'out' / 'agencies.csv'}: cannot write: File too "
                       "large (is the folder writable, and is there space on the disk?)\n")
    assert list(tmp_path.iterdir()) == []


HOSTILE_IATI = """<iati-activities version="2.03">
  <iati-activity xml:lang="en" default-currency="THB">
    <iati-identifier>TH-EX-EVIL</iati-identifier>
    <title><narrative>-1+2 plan</narrative></title>
    <participating-org role="1"><narrative>@SUM(1+1)</narrative></participating-org>
    <activity-date type="1" iso-date="2006-01-01"/>
    <location><administrative vocabulary="A3" code="TH801208"/></location>
    <sector code="43040"/>
    <transaction>
      <transaction-type code="11"/>
      <transaction-date iso-date="2006-02-01"/>
      <value>1000</value>
      <provider-org><narrative>=HYPERLINK("http://x","y")</narrative></provider-org>
    </transaction>
  </iati-activity>
</iati-activities>
"""


def test_hostile_org_names_are_inert_in_the_report_and_verbatim_in_the_data(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text(HOSTILE_IATI, encoding="utf-8")
    assert invoke("import", "iati", str(path), "-o", str(tmp_path / "out")).exit_code == 0
    # Line 2 (the activity): only a start date, so the end year is 2006; line 9: the provider of the
    # commitment is not the funder, so the amount has no funder. The provider's name is the
    # value: text starting with =, so one ' goes in front of it.
    assert rows(tmp_path / "out" / "import-report.csv")[1:] == [
        [str(path), "2", "TH-EX-EVIL", "activity-date", "2006", "no-end-date",
         "an activity-date for the end (3 or 4)", "end year set to 2006"],
        [str(path), "9", "TH-EX-EVIL", "transaction/provider-org", '\'=HYPERLINK("http://x","y")',
         "unattributed-amount", "a provider-org that is a funding participating-org",
         "amount left out"],
    ]
    assert [r[:2] for r in rows(tmp_path / "out" / "agencies.csv")] == [
        ["id", "name"], ["sum_1_1", "@SUM(1+1)"]]
    assert [r[:2] for r in rows(tmp_path / "out" / "programs.csv")] == [
        ["id", "name"], ["th_ex_evil", "-1+2 plan"]]
