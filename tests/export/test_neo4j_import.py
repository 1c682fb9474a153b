"""``--format neo4j-import``: the bulk importer's folder, checked against files written by hand.

The input is the seed's Kalo subset: the rows of seed/nst-2006 that concern
tambon 802103 (the life plan and the poverty survey, their funds, agencies,
group, locations and the dopa - yamna link), with the seed's Buddhist-era
years. The expected files follow docs/neo4j.md ("Bulk first load") and
docs/import-export.md ("Exports"), worked out by hand: years in CE
(2549 - 543 = 2006), themes sorted and joined by ';', typed headers, empty
values as empty cells, ``_key`` as graphmodel.model.rel_key defines it
(``FUNDS|<fiscal_year>``, else the type), Tambon 802103 with district 8021
นบพิตำ (Nopphitam) and province 80 from the gazetteer.

The last test imports the whole seed's export with Neo4j's own importer
(``scripts/neo4j-dev import``) and asks the server the questions the folder answers.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from paths import SEED

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.export import ExportError, export
from graphmodel.model import Agency, Dataset, Program

KALO = {
    "agencies.csv": """\
id,name,name_en,kind,parent,source
codi,สถาบันพัฒนาองค์กรชุมชน (พอช.),Community Organizations Development Institute (CODI),special_agency,,seed
nst_governor,ผู้ว่าราชการจังหวัดนครศรีธรรมราช (ผู้ว่าฯ ซีอีโอ),Governor of Nakhon Si Thammarat (CEO governor),provincial,,seed
dopa,กรมการปกครอง,Department of Provincial Administration (DOPA),line_agency,,seed
yamna,เครือข่ายยมนา,Yamna network,community_network,,seed
""",
    "funds.csv": """\
id,name,name_en,agency,channel,amount_thb,fiscal_year,source
codi_nst,งบสนับสนุนของ พอช. ในจังหวัดนครศรีธรรมราช,CODI support budget in Nakhon Si Thammarat,codi,special,,2549,seed
ceo_budget,งบผู้ว่าราชการจังหวัดแบบบูรณาการ (งบซีอีโอ),Governor's integrated (CEO) budget,nst_governor,ceo,,2549,seed
""",
    "programs.csv": """\
id,name,name_en,themes,start_year,end_year,pilot,source
codi_life_plan,แผนชีวิตชุมชน (ทุกตำบล),Community life plans (every tambon),community_planning;poverty_data,2549,2549,true,seed
dopa_poverty_survey,โครงการสำรวจคนจน 400 หมู่บ้าน,400-village poverty survey,poverty_data;community_planning,2549,2549,true,seed
""",
    "groups.csv": """\
id,name,name_en,kind,tambon,source
kalo_village_fund_network,เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ,Kalo village fund network,village fund network,802103,seed
""",
    "funding.csv": """\
fund,program,amount_thb,fiscal_year,source
codi_nst,codi_life_plan,,2549,seed
ceo_budget,dopa_poverty_survey,50000,2549,seed
""",
    "implementation.csv": """\
implementer,program,role,source
kalo_village_fund_network,codi_life_plan,lead in Kalo,seed
dopa,dopa_poverty_survey,lead,seed
yamna,dopa_poverty_survey,partner network,seed
""",
    "locations.csv": """\
program,tambon,source
codi_life_plan,802103,seed
dopa_poverty_survey,802103,illustrative
""",
    "coordination.csv": """\
a,b,mechanism,tambon,source
dopa,yamna,joint poverty survey,,seed
dopa,codi,tambon meeting,802103,
""",
}

# One amount (50000 on the survey's funding row) and one tambon-scoped link are added to the
# seed's rows so that a double column and a COORDINATES_WITH|<tambon> key appear. The last column,
# :LABEL or :TYPE, is added below: each row of nodes-<Label>.csv has <Label>, each row of
# relationships-<TYPE>.csv <TYPE>.
WITHOUT_KIND = {
    "nodes-Agency.csv": [
        ["id:ID(Entity)", "name", "name_en", "kind", "source"],
        ["codi", "สถาบันพัฒนาองค์กรชุมชน (พอช.)", "Community Organizations Development Institute (CODI)",
         "special_agency", "seed"],
        ["nst_governor", "ผู้ว่าราชการจังหวัดนครศรีธรรมราช (ผู้ว่าฯ ซีอีโอ)",
         "Governor of Nakhon Si Thammarat (CEO governor)", "provincial", "seed"],
        ["dopa", "กรมการปกครอง", "Department of Provincial Administration (DOPA)", "line_agency", "seed"],
        ["yamna", "เครือข่ายยมนา", "Yamna network", "community_network", "seed"],
    ],
    "nodes-Fund.csv": [
        ["id:ID(Entity)", "name", "name_en", "channel", "fiscal_year:int", "source"],
        ["codi_nst", "งบสนับสนุนของ พอช. ในจังหวัดนครศรีธรรมราช", "CODI support budget in Nakhon Si Thammarat",
         "special", "2006", "seed"],
        ["ceo_budget", "งบผู้ว่าราชการจังหวัดแบบบูรณาการ (งบซีอีโอ)", "Governor's integrated (CEO) budget",
         "ceo", "2006", "seed"],
    ],
    "nodes-Program.csv": [
        ["id:ID(Entity)", "name", "name_en", "themes:string[]", "start_year:int", "end_year:int",
         "pilot:boolean", "source"],
        ["codi_life_plan", "แผนชีวิตชุมชน (ทุกตำบล)", "Community life plans (every tambon)",
         "community_planning;poverty_data", "2006", "2006", "true", "seed"],
        ["dopa_poverty_survey", "โครงการสำรวจคนจน 400 หมู่บ้าน", "400-village poverty survey",
         "community_planning;poverty_data", "2006", "2006", "true", "seed"],
    ],
    "nodes-Group.csv": [
        ["id:ID(Entity)", "name", "name_en", "kind", "source"],
        ["kalo_village_fund_network", "เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ", "Kalo village fund network",
         "village fund network", "seed"],
    ],
    "nodes-Tambon.csv": [["id:ID(Area)", "code", "name", "name_en", "abolished:boolean"],
                         ["802103", "802103", "กะหรอ", "Karo", "false"]],
    "nodes-District.csv": [["id:ID(Area)", "code", "name", "name_en"], ["8021", "8021", "นบพิตำ", "Nopphitam"]],
    "nodes-Province.csv": [["id:ID(Area)", "code", "name", "name_en"],
                           ["80", "80", "นครศรีธรรมราช", "Nakhon Si Thammarat"]],
    "relationships-MANAGES.csv": [[":START_ID(Entity)", ":END_ID(Entity)", "_key"],
                                  ["codi", "codi_nst", "MANAGES"], ["nst_governor", "ceo_budget", "MANAGES"]],
    "relationships-FUNDS.csv": [
        [":START_ID(Entity)", ":END_ID(Entity)", "amount_thb:double", "fiscal_year:int", "source", "_key"],
        ["codi_nst", "codi_life_plan", "", "2006", "seed", "FUNDS|2006"],
        ["ceo_budget", "dopa_poverty_survey", "50000.0", "2006", "seed", "FUNDS|2006"],
    ],
    "relationships-IMPLEMENTS.csv": [
        [":START_ID(Entity)", ":END_ID(Entity)", "role", "source", "_key"],
        ["kalo_village_fund_network", "codi_life_plan", "lead in Kalo", "seed", "IMPLEMENTS"],
        ["dopa", "dopa_poverty_survey", "lead", "seed", "IMPLEMENTS"],
        ["yamna", "dopa_poverty_survey", "partner network", "seed", "IMPLEMENTS"],
    ],
    "relationships-LOCATED_IN.csv": [
        [":START_ID(Entity)", ":END_ID(Area)", "source", "_key"],
        ["codi_life_plan", "802103", "seed", "LOCATED_IN"],
        ["dopa_poverty_survey", "802103", "illustrative", "LOCATED_IN"],
    ],
    "relationships-IN_DISTRICT.csv": [[":START_ID(Area)", ":END_ID(Area)", "_key"],
                                      ["802103", "8021", "IN_DISTRICT"]],
    "relationships-IN_PROVINCE.csv": [[":START_ID(Area)", ":END_ID(Area)", "_key"], ["8021", "80", "IN_PROVINCE"]],
    "relationships-BASED_IN.csv": [[":START_ID(Entity)", ":END_ID(Area)", "_key"],
                                   ["kalo_village_fund_network", "802103", "BASED_IN"]],
    "relationships-COORDINATES_WITH.csv": [
        [":START_ID(Entity)", ":END_ID(Entity)", "mechanism", "tambon", "source", "_key"],
        ["dopa", "yamna", "joint poverty survey", "", "seed", "COORDINATES_WITH"],
        ["dopa", "codi", "tambon meeting", "802103", "", "COORDINATES_WITH|802103"],
    ],
}



def _with_kind(name: str, rows: list[list[str]]) -> list[list[str]]:
    kind, value = name[:-len(".csv")].split("-", 1)
    column = ":LABEL" if kind == "nodes" else ":TYPE"
    return [rows[0] + [column], *(row + [value] for row in rows[1:])]


EXPECTED = {name: _with_kind(name, rows) for name, rows in WITHOUT_KIND.items()}


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def kalo(tmp_path) -> Path:
    return write_folder(tmp_path / "kalo", KALO)


def test_kalo_subset_gives_the_hand_written_files(kalo, tmp_path):
    out = tmp_path / "bulk"
    result = export(EmbeddedBackend(read_dataset(kalo)), "neo4j-import", out)
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPECTED)  # no PART_OF: no parent given
    for name, rows in EXPECTED.items():
        assert read_rows(out / name) == rows, name
    assert result.files == {name: len(rows) - 1 for name, rows in EXPECTED.items()}
    assert (result.nodes, result.relationships) == (4 + 2 + 2 + 1 + 1 + 1 + 1, 2 + 2 + 3 + 2 + 1 + 1 + 1 + 2)
    assert result.multiline_values == 0


def test_files_are_plain_utf8_with_crlf_rows(kalo, tmp_path):
    out = tmp_path / "bulk"
    export(EmbeddedBackend(read_dataset(kalo)), "neo4j-import", out)
    raw = (out / "nodes-Tambon.csv").read_bytes()
    assert raw == "id:ID(Area),code,name,name_en,abolished:boolean,:LABEL\r\n802103,802103,กะหรอ,Karo,false,Tambon\r\n".encode()


def test_each_label_and_type_is_read_once(kalo, tmp_path):
    class Counting(EmbeddedBackend):
        def __init__(self, dataset):
            super().__init__(dataset)
            self.reads: list[str] = []

        def nodes(self, label):
            self.reads.append(label)
            return super().nodes(label)

        def relationships(self, rtype):
            self.reads.append(rtype)
            return super().relationships(rtype)

    backend = Counting(read_dataset(kalo))
    export(backend, "neo4j-import", tmp_path / "bulk")
    assert sorted(backend.reads) == sorted(["Agency", "Fund", "Program", "Group", "Tambon", "District",
                                            "Province", "MANAGES", "FUNDS", "IMPLEMENTS", "LOCATED_IN",
                                            "IN_DISTRICT", "IN_PROVINCE", "BASED_IN", "PART_OF",
                                            "COORDINATES_WITH"])


def test_cells_are_written_exactly_not_neutralised(tmp_path):
    """Machine input: a name starting with = or - reaches the database as it is; a line
    break is counted (the importer then needs --multiline-fields); odd extra-column names get
    a header the importer reads as a name."""
    ds = Dataset(agencies=[
        Agency(id="a", name='=HYPERLINK("http://x","y")', name_en="-1+2", kind="provincial",
               extra={"note:th": "two\nlines", "zone": "@SUM(1)"}),
        Agency(id="b", name="x, \"quoted\"", kind="provincial")])
    out = tmp_path / "bulk"
    result = export(EmbeddedBackend(ds), "neo4j-import", out)
    assert read_rows(out / "nodes-Agency.csv") == [
        ["id:ID(Entity)", "name", "name_en", "kind", "note:th:string", "zone", ":LABEL"],
        ["a", '=HYPERLINK("http://x","y")', "-1+2", "provincial", "two\nlines", "@SUM(1)", "Agency"],
        ["b", 'x, "quoted"', "", "provincial", "", "", "Agency"],
    ]
    assert result.multiline_values == 1


@pytest.mark.parametrize("column, reason", [("_datasets", "'_datasets'"), ("zone(1)", "'zone(1)'"),
                                            ("{x}", "'{x}'")])
def test_property_names_the_importer_cannot_read_are_refused(tmp_path, column, reason):
    ds = Dataset(agencies=[Agency(id="a", name="A", kind="provincial", extra={column: "v"})])
    with pytest.raises(ExportError) as err:
        export(EmbeddedBackend(ds), "neo4j-import", tmp_path / "bulk")
    assert str(err.value) == (
        f"Agency has a property {reason}, which a bulk-import header cannot name (names starting "
        "with '_' are the loader's bookkeeping; '(', ')', '{', '}' and ',' are header syntax); "
        "rename that column")
    assert list(tmp_path.iterdir()) == []  # nothing half-written, no temporary folder left


def test_a_list_item_holding_the_array_delimiter_is_refused(tmp_path):
    ds = Dataset(programs=[Program(id="p", name="P", themes=("a;b",), start_year=2006, end_year=2006)])
    with pytest.raises(ExportError, match=r"^Program 'p': property 'themes' has an item holding ';'"):
        export(EmbeddedBackend(ds), "neo4j-import", tmp_path / "bulk")
    assert list(tmp_path.iterdir()) == []


def test_force_replaces_import_files_and_removes_stale_ones(kalo, tmp_path):
    out = tmp_path / "bulk"
    out.mkdir()
    (out / "nodes-Agency.csv").write_text("old\n", encoding="utf-8")
    (out / "relationships-PART_OF.csv").write_text("stale\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    backend = EmbeddedBackend(read_dataset(kalo))
    with pytest.raises(ExportError) as err:
        export(backend, "neo4j-import", out)
    assert str(err.value) == (f"{out}: the folder is not empty; give a new or empty folder, or --force "
                              "to replace the nodes-*.csv and relationships-*.csv files in it")
    assert (out / "nodes-Agency.csv").read_text(encoding="utf-8") == "old\n"
    export(backend, "neo4j-import", out, force=True)
    assert sorted(p.name for p in out.iterdir()) == sorted([*EXPECTED, "notes.txt"])
    assert read_rows(out / "nodes-Agency.csv") == EXPECTED["nodes-Agency.csv"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_in_the_way_is_refused(tmp_path):
    (tmp_path / "bulk").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="bulk: not a folder; give a new or empty folder"):
        export(EmbeddedBackend(Dataset()), "neo4j-import", tmp_path / "bulk")


# --- the round trip through Neo4j's own importer ---------------------------------------------

#: Formula-like names (OWASP's CSV-injection starts) put into the seed: the import files keep
#: them exactly (no guarding ``'``), so the database holds what a load of the folder holds.
FORMULA_NAMES = {("agencies.csv", "codi", "name_en"): '=HYPERLINK("http://127.0.0.1:9/x","CODI")',
                 ("programs.csv", "codi_welfare", "name_en"): "-1+2",
                 ("groups.csv", "kalo_village_fund_network", "name_en"): "@SUM(A1:A2)",
                 ("agencies.csv", "trf", "name_en"): "+66 81 000 0000"}


def _seed_with_formula_names(folder: Path) -> Path:
    shutil.copytree(SEED, folder)
    for (file, row_id, column), value in FORMULA_NAMES.items():
        with open(folder / file, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            if row["id"] == row_id:
                row[column] = value
        with open(folder / file, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.mark.neo4j
def test_seed_export_imported_by_neo4j_answers_like_the_folder(tmp_path):
    """graphmodel export --format neo4j-import, then scripts/neo4j-dev import, which makes the
    plain neo4j-admin call (--nodes=FILE, --relationships=FILE: the labels and types come from the
    files' :LABEL and :TYPE columns), of the seed with formula-like names: the server's overlaps
    (Cypher twin) and counts equal the folder's, the names are in the database exactly as in the
    folder (why the import files are not guarded like the CSV files for people), and a later load
    adds nothing."""
    import neo4j
    from click.testing import CliRunner

    from graphmodel.cli import main
    from neo4j_server import run_neo4j_dev, stop_server

    seed = _seed_with_formula_names(tmp_path / "seed")
    out = tmp_path / "import"
    runner = CliRunner()
    exported = runner.invoke(main, ["export", str(seed), "--format", "neo4j-import", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    home = tmp_path / "server"
    proc = run_neo4j_dev(["import", str(out), "--home", str(home)], timeout=900)
    assert proc.returncode == 0, proc.stderr
    uri = proc.stdout.strip().splitlines()[-1]
    env = {"NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": (home / "password").read_text().strip()}
    try:
        for args in (["info"], ["overlaps", "--format", "json"]):
            from_server = runner.invoke(main, args, env=env)
            from_folder = runner.invoke(main, [args[0], str(seed), *args[1:]], env={**env, "NEO4J_URI": ""})
            assert from_server.exit_code == from_folder.exit_code == 0, from_server.output + from_folder.output
            assert from_server.stdout == from_folder.stdout
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", env["NEO4J_PASSWORD"])) as driver:
            names = {r["id"]: r["name_en"] for r in driver.execute_query(
                "MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, n.name_en AS name_en",
                ids=[row_id for _, row_id, _ in FORMULA_NAMES]).records}
        assert names == {row_id: value for (_, row_id, _), value in FORMULA_NAMES.items()}
        loaded = runner.invoke(main, ["load", str(seed)], env=env)
        assert loaded.exit_code == 0, loaded.output
        assert runner.invoke(main, ["info"], env=env).stdout == runner.invoke(main, ["info", str(seed)]).stdout
    finally:
        stop_server(home)
