"""``graphmodel recommend``, ``pilots``, ``index`` and ``overlaps --explain/--sort`` in-process.

Expected values are the hand-worked ones of tests/analysis (the seed's Hu
Long and Kalo, the greedy trap); the last tests run every command from a
folder and from a real Neo4j server (after ``graphmodel load``) and compare
what they print.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings

from graphmodel.cli import main

from paths import SEED, SEED_COORDINATED
from strategies import dataset_folders, trap_folder, write_dataset

HU_LONG_PLACE = "tambon 801208 หูล่อง (Hu Long)"


def run(*args: str, env: dict | None = None) -> Result:
    result = CliRunner(env={"NEO4J_URI": None, **(env or {})}).invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def ok(*args: str, env: dict | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- recommend -------------------------------------------------------------------------------------

def test_recommend_hu_long_table():
    out = ok("recommend", str(SEED), "--tambon", "801208").splitlines()
    assert out[0] == f"Links to add in {HU_LONG_PLACE}: 7 uncoordinated pairs, 7 candidate links."
    steps = [line.split()[:3] + line.split()[-2:] for line in out[4:9]]
    assert steps == [["1", "cdd", "doae", "1", "6"], ["2", "cdd", "nfe", "2", "4"], ["3", "codi", "dopa", "1", "3"],
                     ["4", "codi", "tao_hulong", "2", "1"], ["5", "moph", "thaihealth", "1", "0"]]
    assert out[10] == (
        "1. พัฒนาชุมชน (กรมการพัฒนาชุมชน) (Community development (Community Development Department)) -- "
        "เกษตร (กรมส่งเสริมการเกษตร) (Agriculture (Department of Agricultural Extension)), "
        f"{HU_LONG_PLACE}: resolves 1 pair, 6 remain. coordination.csv row: 'cdd,doae,recommended link,801208'")
    assert out[-2:] == ["5 links resolve 7 of the 7 uncoordinated pairs.",
                        "Greedy is optimal here: even all 7 candidate links together resolve no more than 7 pairs."]


def test_recommend_one_link_for_hu_long():
    out = ok("recommend", str(SEED), "--tambon", "801208", "-k", "1").splitlines()
    assert out[-2:] == ["1 link resolves 1 of the 7 uncoordinated pairs.",
                        "Greedy is optimal here: no 1 of the 7 candidate links resolve more than 1 pair "
                        "(every combination tried)."]


def test_recommend_json_province():
    steps = json.loads(ok("recommend", str(SEED), "--province", "80", "-k", "2", "--format", "json"))
    assert steps == [{"a": "codi", "b": "dopa", "tambon": None, "resolves": 2, "remaining": 6},
                     {"a": "codi", "b": "tao_hulong", "tambon": "801208", "resolves": 2, "remaining": 4}]


def test_recommend_says_when_greedy_is_not_optimal(tmp_path):
    folder = str(trap_folder(tmp_path))
    assert ok("recommend", folder, "-k", "2").splitlines()[-1] == (
        "Greedy is not optimal here: the best 2 of the 6 candidate links resolve 7 pairs, these 2 resolve 6 "
        "(every combination tried).")
    result = run("recommend", folder, "-k", "2", "--format", "json")
    assert [s["resolves"] for s in json.loads(result.stdout)] == [3, 3]
    assert result.stderr.startswith("Note: Greedy is not optimal here: the best 2")


def test_recommend_many_candidates_are_not_searched(synth_dir):
    out = ok("recommend", str(synth_dir), "--tambon", "830101", "-k", "2").splitlines()
    assert out[-1].startswith("Not checked against every combination: ")
    assert out[-1].endswith("candidate links, more than 12; greedy may fall short of the best choice.")


def test_recommend_nothing_to_do():
    assert ok("recommend", str(SEED_COORDINATED)) == "No uncoordinated parallel programs found.\n"
    assert json.loads(ok("recommend", str(SEED_COORDINATED), "--format", "json")) == []


# --- pilots ------------------------------------------------------------------------------------------

def test_pilots_hu_long():
    out = ok("pilots", str(SEED), "--tambon", "801208").splitlines()
    assert out[0] == f"Pilots with no coordination path to the normal system, in {HU_LONG_PLACE}:"
    assert [line.split()[4:] for line in out[4:6]] == [
        ["thaihealth_healthy_tambon", "pilot", "special", "thaihealth", "5"],
        ["trf_local_research", "pilot", "special", "trf", "5"]]
    assert "  trf_local_research         งานวิจัยเพื่อท้องถิ่นตำบลหูล่อง (Community-based research in Hu Long)" in out


def test_pilots_json():
    found = json.loads(ok("pilots", str(SEED), "--district", "8021", "--format", "json"))
    assert [(r["tambon"], r["program"]) for r in found["pilots"]] == [
        (t, "codi_life_plan") for t in ("802101", "802102", "802103", "802104")]
    assert [g for g in found["gaps"] if g["tambon"] == "802103"] == [
        {"theme": "community_planning", "tambon": "802103", "pilots": ["codi_life_plan", "dopa_poverty_survey"],
         "normal_programs": 0},
        {"theme": "poverty_data", "tambon": "802103", "pilots": ["codi_life_plan", "dopa_poverty_survey"],
         "normal_programs": 0}]


def test_pilots_none_with_the_remedy():
    out = ok("pilots", str(SEED_COORDINATED), "--tambon", "801208").splitlines()
    assert out[2] == "None: every pilot reaches the normal system where it runs."


# --- index -------------------------------------------------------------------------------------------

def test_index_coordinated_hu_long():
    result = run("index", str(SEED_COORDINATED), "--tambon", "801208")
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout.splitlines()
    assert out[0] == f"Coordination index of {HU_LONG_PLACE}, by tambon:"
    assert out[4].split()[4:] == ["1", "11", "11.0", "8", "0", "100.0", "%", "0", "0", "0"]
    broker = [line for line in out if line.startswith("nst_planning  Agency: provincial")]
    assert broker[0].split()[3:6] == ["8", "0", "8"]


def test_index_json_default_level():
    found = json.loads(ok("index", str(SEED), "--province", "80", "--format", "json"))
    assert found["by"] == "district" and len(found["areas"]) == 23
    (pak_phanang,) = [a for a in found["areas"] if a["area"] == "8012"]
    assert (pak_phanang["pairs"], pak_phanang["uncoordinated"], pak_phanang["share_coordinated"]) == (8, 7, 0.125)
    assert found["brokers"] == []
    assert found["betweenness"]["method"] == "igraph" and found["betweenness"]["skipped"] is None
    assert found["betweenness"]["actors"][0] == {"id": "codi", "score": 16.0}


# --- overlaps --explain / --sort severity ---------------------------------------------------------------

def test_default_overlaps_output_is_unchanged_by_the_new_options():
    plain = ok("overlaps", str(SEED))
    assert ok("overlaps", str(SEED), "--sort", "tambon") == plain
    explained = ok("overlaps", str(SEED), "--explain")
    extra = ("   Severity ", "   A ", "   B ", "   Linked ")
    assert "\n".join(line for line in explained.splitlines() if not line.startswith(extra)) + "\n" == plain


def test_explain_lines_for_kalo():
    out = ok("overlaps", str(SEED), "--tambon", "802103", "--explain").splitlines()
    assert out[6:9] == [
        "   Severity 2.00 = 1 overlap year × 2 shared themes × (1 + log10(1 + 0)); money: none known, "
        "2 funding links without an amount (not guessed).",
        "   A codi_life_plan: codi (special_agency); groups: kalo_village_fund_network (village fund network); "
        "channels: special; budget unknown, 1 funding link without an amount",
        "   B dopa_poverty_survey: dopa (line_agency), nst_governor (provincial), yamna (community_network); "
        "channels: ceo; budget unknown, 1 funding link without an amount"]


def test_explain_json_adds_one_key():
    plain = json.loads(ok("overlaps", str(SEED), "--format", "json"))
    explained = json.loads(ok("overlaps", str(SEED), "--format", "json", "--explain"))
    for a, b in zip(plain, explained):
        for pa, pb in zip(a["pairs"], b["pairs"]):
            assert {k: v for k, v in pb.items() if k != "explain"} == pa
            assert (pb["explain"] is None) == pa["coordinated"]
    (kalo,) = [t for t in explained if t["tambon"] == "802103"]
    assert kalo["pairs"][0]["explain"]["severity"] == 2.0
    assert kalo["pairs"][0]["explain"]["sides"][1]["channels"] == ["ceo"]


def test_sort_severity_puts_the_two_theme_pairs_first():
    out = ok("overlaps", str(SEED), "--sort", "severity").splitlines()
    assert [line.split()[0] for line in out[2:4]] == ["801208", "802103"]
    assert all(line.split()[-9:-7] == ["codi_life_plan", "dopa_poverty_survey"] for line in out[2:4])
    found = json.loads(ok("overlaps", str(SEED), "--sort", "severity", "--format", "json"))
    assert [t["tambon"] for t in found] == ["801208", "802103"]
    assert found[0]["pairs"][0]["programs"] == ["codi_life_plan", "dopa_poverty_survey"]


def test_explain_csv_adds_columns():
    lines = ok("overlaps", str(SEED), "--tambon", "802103", "--explain", "--format", "csv").splitlines()
    assert lines[0].endswith(",explanation,fix,severity,known_thb,unknown_amounts,linked_in,via")
    assert lines[1].endswith(",2.0,,2,,")


# --- bad input, help -------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["recommend", "pilots", "index"])
def test_two_areas_are_a_usage_error(command):
    result = run(command, str(SEED), "--tambon", "801208", "--province", "80")
    assert result.exit_code == 2
    assert "give at most one of --tambon, --district, --province; got --tambon, --province" in result.stderr


@pytest.mark.parametrize("command", ["recommend", "pilots", "index"])
def test_bad_area_code_exits_2_with_one_line(command):
    result = run(command, str(SEED), "--district", "80")
    assert result.exit_code == 2
    assert result.stderr == "Error: district '80' is not a 4-digit DOPA district code (e.g. 8021 for Nopphitam)\n"


def test_k_must_be_at_least_one():
    result = run("recommend", str(SEED), "-k", "0")
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.stderr


def test_no_source_is_a_usage_error():
    result = run("pilots")
    assert result.exit_code == 2
    assert "give a dataset folder DIR, or --neo4j URI to read from Neo4j" in result.stderr


@pytest.mark.parametrize("command, example", [
    ("recommend", "graphmodel recommend seed/nst-2006 --tambon 801208"),
    ("pilots", "graphmodel pilots seed/nst-2006 --tambon 801208"),
    ("index", "graphmodel index seed/nst-2006-coordinated --tambon 801208"),
    ("overlaps", "graphmodel overlaps seed/nst-2006 --explain --sort severity"),
])
def test_help_shows_examples(command, example):
    assert example in ok(command, "--help")


# --- the same output from a folder and from Neo4j ----------------------------------------------------------

COMMANDS = [
    ("recommend",), ("recommend", "--tambon", "801208", "--format", "json"), ("recommend", "--district", "8012"),
    ("pilots",), ("pilots", "--province", "80", "--format", "json"),
    ("index",), ("index", "--province", "80", "--by", "tambon", "--format", "json"),
    ("overlaps", "--explain"), ("overlaps", "--sort", "severity", "--format", "json", "--explain"),
    ("overlaps", "--explain", "--format", "csv"),
]


def server_env(server) -> dict:
    return {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password}


def assert_same_output(server, folder: Path, commands=COMMANDS) -> None:
    env = server_env(server)
    ok("load", str(folder), "--replace", env=env)
    for command in commands:
        from_folder = run(*command, str(folder))
        from_server = run(*command, env=env)
        assert (from_folder.exit_code, from_server.exit_code) == (0, 0), from_server.output
        assert from_server.stdout == from_folder.stdout, command
        if command[0] == "index":
            assert from_server.stderr == ("Note: the Graph Data Science library is not available on this server: "
                                          "betweenness computed here with igraph from the network the server "
                                          "returned.\n")


@pytest.mark.neo4j
@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_seeds_from_a_folder_and_from_neo4j(empty_neo4j, folder):
    assert_same_output(empty_neo4j, folder)


@pytest.mark.neo4j
def test_generated_province_from_a_folder_and_from_neo4j(empty_neo4j, synth_dir):
    assert_same_output(empty_neo4j, synth_dir, [
        ("recommend", "--district", "8301", "-k", "3"), ("pilots", "--district", "8302"),
        ("index", "--province", "83"), ("overlaps", "--tambon", "830101", "--explain", "--sort", "severity")])


@pytest.mark.neo4j
@settings(max_examples=15, deadline=None)
@given(files=dataset_folders())
def test_random_datasets_from_a_folder_and_from_neo4j(neo4j_server, neo4j_driver, files):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "random", files)
        assert_same_output(neo4j_server, folder, [("recommend", "--format", "json"), ("pilots",), ("index",),
                                                  ("overlaps", "--explain", "--sort", "severity")])


@pytest.mark.neo4j
def test_index_on_a_gds_server_agrees_with_the_folder(neo4j_gds_server):
    """graphmodel index --neo4j on a server with GDS: betweenness by gds.betweenness.stream (the
    library's own query, past the read-only fence that refuses an analyst's gds.* calls), the same
    scores as igraph from the folder."""
    env = server_env(neo4j_gds_server)
    ok("load", str(SEED_COORDINATED), "--replace", env=env)
    for args in (("--tambon", "801208"), ("--province", "80")):
        from_folder = run("index", str(SEED_COORDINATED), *args, "--format", "json")
        from_server = run("index", *args, "--format", "json", env=env)
        assert (from_folder.exit_code, from_server.exit_code) == (0, 0), from_server.output
        assert json.loads(from_folder.stdout)["betweenness"]["method"] == "igraph"
        server = json.loads(from_server.stdout)
        assert server["betweenness"]["method"] == "gds"
        assert server == {**json.loads(from_folder.stdout), "betweenness": {
            **json.loads(from_folder.stdout)["betweenness"], "method": "gds"}}
        assert from_server.stderr == "Note: betweenness computed on the server by the Graph Data Science library.\n"
