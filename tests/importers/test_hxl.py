"""``graphmodel import hxl`` on tests/data/hxl-3w-nst.csv, worked out by hand.

Line 1 of the sample is a header row for people, line 2 the HXL tag row, data from line 3:

- P1 (lines 3, 4, 14): CODI (type 15) funds; อบต.หูล่อง (local_government) and the Kalo village
  fund network (no type) implement; community planning + poverty data; 2006 (line 4 in BE:
  2549); 100,000 + 50,000 THB in 2006 (line 14's "about 5000" is not a number); tambons
  TH801208 (P-code) and 802103 (bare code).
- P2 (lines 5, 6): the governor ("Government" -> line_agency) funds 80,000; DOPA implements;
  the Yamna network is the programming partner; community planning; 2006; Hu Long by Thai
  names (หูล่อง, ปากพนัง, นครศรีธรรมราช), Kalo by English names (Karo, Nopphitam, ...).
- P3 (line 7): DOAE funds; Yamna network implements; community planning; 2006; TH802103.
- P4 (line 8): ThaiHealth; no location cell at all.
- P5 (lines 9, 10): MOPH; TH809999 (no such tambon); then a district only (Pak Phanang).
- P6 (lines 11, 12): no funder; Walailak University; "Tha Sala" alone fits five tambons;
  with the province นครศรีธรรมราช, ท่าศาลา is 800801.
- P7 (line 13): start "soon", no end: no year at all -> left out.
- line 15 is empty (skipped, not data); line 16 names no activity.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import DATA, invoke, rows, summary_lines

SHEET = DATA / "hxl-3w-nst.csv"

COUNTS = {
    # by normalised name: codi, อบต_หูล่อง, the Kalo network, governor, dopa, yamna_network
    # (P2's programming partner and P3's implementer: one agency), doae, thaihealth, the
    # Hu Long volunteers, moph (funder and implementer of P5: one agency), walailak_university
    "agencies.csv": 11,
    "funds.csv": 5,            # codi, governor, doae, thaihealth, moph
    "programs.csv": 6,         # P1-P6
    "groups.csv": 0,
    "funding.csv": 5,          # one row per funded program, P1 and P2 with a 2006 amount
    "implementation.csv": 8,   # P1 x2, P2 x2 (dopa, yamna), P3, P4, P5, P6
    "locations.csv": 6,        # P1 x2, P2 x2, P3, P6
    "coordination.csv": 0,     # HXL 3W sheets state no coordination
    "import-report.csv": 9,
}

# The five current tambons named Tha Sala (geothai data): Lop Buri, Khon Kaen, Loei,
# Chiang Mai and Nakhon Si Thammarat.
THA_SALA = "160115, 401710, 420702, 500112, 800801"

REPORT = [
    ["file", "line", "item", "field", "value", "slug", "problem", "action"],
    ["{f}", "8", "P4", "#adm3+code", "", "no-location",
     "a tambon code or name (a sub-national location)", "row's location left out"],
    ["{f}", "9", "P5", "#adm3+code", "TH809999", "unknown-tambon",
     "a 6-digit DOPA tambon code known to geothai (e.g. 801208 or TH801208 for Hu Long)",
     "row's location left out"],
    ["{f}", "10", "P5", "#adm2+name", "Pak Phanang", "not-tambon-level",
     "a tambon; this row names only the district Pak Phanang", "row's location left out"],
    ["{f}", "11", "P6", "#adm3+name", "Tha Sala", "ambiguous-tambon-name",
     f"a name that fits one tambon; it fits 5: {THA_SALA} (give the district and province, "
     "or the code)", "row's location left out"],
    ["{f}", "11", "P6", "#org+funder", "", "no-funder", "a funder in a row of this activity",
     "program written without funding"],
    ["{f}", "13", "P7", "#date+start", "soon", "bad-date",
     "a date or year such as 2006-10-01, 2006 or 2549 (1900-2200 CE)", "date left out"],
    ["{f}", "13", "P7", "#date", "", "no-dates",
     "a start or end date in a row of this activity (or give --year)", "activity left out"],
    ["{f}", "14", "P1", "#value+thb", "about 5000", "bad-amount",
     "a number of baht such as 100000 or 100,000.50", "amount left out"],
    ["{f}", "16", "", "#activity+code", "", "no-activity", "an activity code or name",
     "row left out"],
]


@pytest.fixture
def imported(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = invoke("import", "hxl", str(SHEET), "-o", "out")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == summary_lines(COUNTS, "out", 9)
    return tmp_path / "out"


def test_report_lists_every_row_not_placed(imported):
    assert rows(imported / "import-report.csv") == [
        [c.replace("{f}", str(SHEET)) for c in line] for line in REPORT]


def test_rows_become_programs_agencies_and_links(imported):
    assert [r[:7] for r in rows(imported / "programs.csv")] == [
        ["id", "name", "name_en", "themes", "start_year", "end_year", "activity_id"],
        ["p1", "แผนชีวิตชุมชน", "Community life plans", "community_planning;poverty_data", "2006",
         "2006", "P1"],
        ["p2", "สำรวจคนจน", "Poverty survey", "community_planning", "2006", "2006", "P2"],
        ["p3", "Farmer groups", "", "community_planning", "2006", "2006", "P3"],
        ["p4", "ตำบลสุขภาวะ", "Healthy tambon", "health", "2006", "2006", "P4"],
        ["p5", "เมืองไทยแข็งแรง", "Strong Thailand", "health", "2006", "2006", "P5"],
        ["p6", "งานวิจัยเพื่อท้องถิ่น", "Community-based research", "local_research", "2006", "2006",
         "P6"],
    ]
    assert [(r[0], r[3]) for r in rows(imported / "agencies.csv")] == [
        ("id", "kind"), ("codi", "special_agency"), ("อบต_หูล่อง", "local_government"),
        ("เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ", "civil_society"),
        ("governor_of_nakhon_si_thammarat", "line_agency"), ("dopa", "line_agency"),
        ("yamna_network", "civil_society"), ("doae", "line_agency"),
        ("thaihealth", "special_agency"), ("hu_long_health_volunteers", "civil_society"),
        ("moph", "line_agency"), ("walailak_university", "academic"),
    ]
    assert [r[:4] for r in rows(imported / "funding.csv")] == [
        ["fund", "program", "amount_thb", "fiscal_year"],
        ["codi_fund", "p1", "150000", "2006"],
        ["governor_of_nakhon_si_thammarat_fund", "p2", "80000", "2006"],
        ["doae_fund", "p3", "", ""],
        ["thaihealth_fund", "p4", "", ""],
        ["moph_fund", "p5", "", ""],
    ]
    assert [r[:3] for r in rows(imported / "implementation.csv")] == [
        ["implementer", "program", "role"],
        ["อบต_หูล่อง", "p1", "implementing"],
        ["เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ", "p1", "implementing"],
        ["dopa", "p2", "implementing"],
        ["yamna_network", "p2", "programming"],
        ["yamna_network", "p3", "implementing"],
        ["hu_long_health_volunteers", "p4", "implementing"],
        ["moph", "p5", "implementing"],
        ["walailak_university", "p6", "implementing"],
    ]
    assert [r[:3] for r in rows(imported / "locations.csv")] == [
        ["program", "tambon", "matched_from"],
        ["p1", "801208", "code TH801208"],
        ["p1", "802103", "code 802103"],
        ["p2", "801208", "name หูล่อง, ปากพนัง, นครศรีธรรมราช"],
        ["p2", "802103", "name Karo, Nopphitam, Nakhon Si Thammarat"],
        ["p3", "802103", "code TH802103"],
        ["p6", "800801", "name ท่าศาลา, นครศรีธรรมราช"],
    ]


# The overlaps rule on the imported folder, by hand:
# - Hu Long 801208: P1 and P2, both 2006, share community_planning; Agencies(P1) = {codi,
#   อบต_หูล่อง, the Kalo network}, Agencies(P2) = {governor, dopa, yamna_network}: disjoint
#   -> parallel; there are no coordination links and no groups -> uncoordinated.
# - Kalo 802103: P1, P2, P3. P1-P2 as above. P1-P3: 2006, community_planning, {doae,
#   yamna_network} is disjoint from P1's agencies -> parallel, uncoordinated. P2-P3 share
#   yamna_network (programming partner of P2, implementer of P3) -> not parallel.
# - Tha Sala 800801 has only P6; P4 and P5 are in no tambon.
def test_overlaps_on_the_imported_folder(imported):
    result = invoke("overlaps", str(imported), "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    found = json.loads(result.stdout)
    assert [(f["tambon"], f["uncoordinated_pairs"], [p["coordinated"] for p in f["pairs"]])
            for f in found] == [
        ("801208", [["p1", "p2"]], [False]),
        ("802103", [["p1", "p2"], ["p1", "p3"]], [False, False]),
    ]
    assert [p["shared_themes"] for p in found[1]["pairs"]] == [["community_planning"]] * 2


def test_imported_folder_validates(imported):
    result = invoke("validate", str(imported))
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, f"{imported}: valid")


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


HOSTILE = ("Project,Funder,Implementer,Tambon,Budget\n"
           "#activity+name,#org+funder,#org+impl,#adm3+code,#value+thb\n"
           '"=HYPERLINK(""http://x"",""y"")",@SUM(1+1),-2+3,,-100\n')


def test_hostile_names_are_inert_in_the_report_and_verbatim_in_the_data(tmp_path):
    sheet = write(tmp_path, "evil.csv", HOSTILE)
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out"), "--year", "2549")
    assert result.exit_code == 0
    report = rows(tmp_path / "out" / "import-report.csv")
    # Line 3 (a row is read left to right: the amount before the place), then the activity:
    # an amount that is not a number of baht, no location, no sector. The item (the activity
    # name) and the value "-100" are text starting with = and -: one ' in front of each.
    evil = '\'=HYPERLINK("http://x","y")'
    assert report[1:] == [
        [str(sheet), "3", evil, "#value+thb", "'-100", "bad-amount",
         "a number of baht such as 100000 or 100,000.50", "amount left out"],
        [str(sheet), "3", evil, "#adm3+code", "", "no-location",
         "a tambon code or name (a sub-national location)", "row's location left out"],
        [str(sheet), "3", evil, "#sector", "", "no-sector", "a sector in a row of this activity",
         "theme set to 'unspecified'"],
    ]
    # The dataset files are graphmodel's input: names kept exactly, ids made of letters and _.
    assert [r[:2] for r in rows(tmp_path / "out" / "agencies.csv")] == [
        ["id", "name"], ["sum_1_1", "@SUM(1+1)"], ["2_3", "-2+3"]]
    assert [r[:2] for r in rows(tmp_path / "out" / "programs.csv")] == [
        ["id", "name"], ["hyperlink_http_x_y", '=HYPERLINK("http://x","y")']]


def test_year_option_for_sheets_without_dates_and_be_years(tmp_path):
    sheet = write(tmp_path, "3w.csv", "#org+impl,#activity+name,#sector,#adm3+code\n"
                                      "อบต.หูล่อง,แผนพัฒนาตำบล,Community planning,TH801208\n")
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out"), "--year", "2549")
    assert result.exit_code == 0
    assert [r[4:6] for r in rows(tmp_path / "out" / "programs.csv")] == [
        ["start_year", "end_year"], ["2006", "2006"]]
    # no funder column: the one report line says so
    assert [r[5] for r in rows(tmp_path / "out" / "import-report.csv")[1:]] == ["no-funder"]


def test_currency_column_and_foreign_currency(tmp_path):
    sheet = write(tmp_path, "3w.csv",
                  "#org+funder,#activity+code,#date+start,#value,#currency,#adm3+code\n"
                  "CODI,A,2006,1000,USD,801208\n"
                  "CODI,A,2006,2000,thb,801208\n")
    assert invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out")).exit_code == 0
    assert rows(tmp_path / "out" / "funding.csv")[1][:4] == ["codi_fund", "a", "2000", "2006"]
    report = rows(tmp_path / "out" / "import-report.csv")
    assert [(r[1], r[3], r[4], r[5]) for r in report[1:]] == [
        ("2", "#value", "1000 USD", "not-thb"), ("2", "#sector", "", "no-sector")]


def test_cp874_sheet(tmp_path):
    text = ("#org+funder,#activity+name,#date+start,#adm3+name,#adm1+name\n"
            "พอช.,แผนชีวิต,2549,หูล่อง,นครศรีธรรมราช\n")
    sheet = write(tmp_path, "3w.csv", text, encoding="cp874")
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out"), "--encoding", "cp874")
    assert result.exit_code == 0
    assert rows(tmp_path / "out" / "locations.csv")[1][:2] == ["แผนชีวิต", "801208"]
    # the same file read as UTF-8: one clear line, nothing written
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out2"))
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: {sheet}:2: value '0xbe': text in utf-8: byte 61 cannot be decoded (Thai Windows "
        "files need --encoding cp874) [wrong-encoding]\n"))
    assert not (tmp_path / "out2").exists()


BAD_SHEETS = [
    ("no tag row", "Funder,Project\nCODI,Life plans\n",
     "an HXL tag row (hashtags such as #org+impl, #activity+name, #adm3+code) in the first 25 "
     "rows [no-hxl-tags]"),
    ("missing tags", "Note\n#meta+note\nhello\n",
     "an HXL tag row with #activity+name or #activity+code; #org+funder, #org+impl or #org+prog; "
     "#adm3+code or #adm3+name (or #adm1/#adm2); #date+start or #date+end (or give --year) "
     "[missing-tags]"),
    ("value without currency", "#org+funder,#activity+name,#date+start,#adm3+code,#value\n",
     "an HXL tag row with a currency for #value: #value+thb, or a #currency column [missing-tags]"),
]


@pytest.mark.parametrize("case, text, message", BAD_SHEETS, ids=[b[0] for b in BAD_SHEETS])
def test_bad_sheets_are_one_error_line_and_nothing_written(tmp_path, case, text, message):
    sheet = write(tmp_path, "bad.csv", text)
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {sheet}: {message}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_unclosed_quote_is_bad_csv_at_its_line(tmp_path):
    sheet = write(tmp_path, "bad.csv", '#org+funder,#activity+name,#adm3+code\n'
                                       'CODI,Life plans,801208\nCODI,"Life plans\n\n')
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out"), "--year", "2006")
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {sheet}:3: valid CSV (unexpected end of data) [bad-csv]\n")
    assert not (tmp_path / "out").exists()


# A quoted cell with a line break (lines 2-3), a blank line (4), then a row in trouble
# starting on physical line 5 (counted by hand: the tag row is line 1).
MULTILINE = ('#org+funder,#activity+name,#sector,#date+start,#adm3+code,#value+thb\n'
             'CODI,"Life plans\n(two lines)",43040,2006,801208,100000\n'
             '\n')


def test_a_row_after_a_quoted_line_break_is_reported_at_its_physical_line(tmp_path):
    sheet = write(tmp_path, "3w.csv", MULTILINE + "CODI,Other,43040,2006,801208,about 5000\n")
    assert invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out")).exit_code == 0
    assert rows(tmp_path / "out" / "import-report.csv")[1:] == [
        [str(sheet), "5", "Other", "#value+thb", "about 5000", "bad-amount",
         "a number of baht such as 100000 or 100,000.50", "amount left out"]]
    assert [r[1] for r in rows(tmp_path / "out" / "programs.csv")[1:]] == ["Life plans (two lines)", "Other"]


def test_bad_csv_after_a_quoted_line_break_names_its_physical_line(tmp_path):
    sheet = write(tmp_path, "3w.csv", MULTILINE + 'CODI,"Other"x,43040,2006,801208,1\n')
    result = invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {sheet}:5: valid CSV (',' expected after '\"') [bad-csv]\n")
    assert not (tmp_path / "out").exists()


def test_names_without_letters_or_digits_still_make_one_agency_each(tmp_path):
    sheet = write(tmp_path, "3w.csv", "#org+funder,#org+impl,#activity+name,#date+start,#adm3+code\n"
                                      "---,***,A,2006,801208\n---,***,B,2006,801208\n")
    assert invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out")).exit_code == 0
    assert [r[:2] for r in rows(tmp_path / "out" / "agencies.csv")] == [
        ["id", "name"], ["agency", "---"], ["agency_2", "***"]]
    assert [r[:2] for r in rows(tmp_path / "out" / "funding.csv")] == [
        ["fund", "program"], ["agency_fund", "a"], ["agency_fund", "b"]]


def test_code_type_and_acronym_columns_describe_the_organisation_of_the_name_column(tmp_path):
    sheet = write(tmp_path, "3w.csv",
                  "#org+funder,#org+funder+acronym,#org+funder+code,#org+funder+type,"
                  "#activity+name,#date+start,#adm3+code\n"
                  "Community Organizations Development Institute,CODI,TH-EX-CODI,15,A,2006,801208\n")
    assert invoke("import", "hxl", str(sheet), "-o", str(tmp_path / "out")).exit_code == 0
    assert [r[:6] for r in rows(tmp_path / "out" / "agencies.csv")] == [
        ["id", "name", "name_en", "kind", "org_ref", "org_type"],
        ["th_ex_codi", "Community Organizations Development Institute", "", "special_agency",
         "TH-EX-CODI", "15"]]
