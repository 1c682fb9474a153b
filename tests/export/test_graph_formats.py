"""GraphML, GEXF and node-link JSON read back with networkx: counts, Thai names, types, pair counts.

Expected values are worked out from the seed's CSV files and the rule in
docs/analysis.md, not read off an export:

- counts: the table ``graphmodel info`` prints, and for a few types the
  rows of the CSV files counted here with the ``csv`` module;
- pair counts (parallel, uncoordinated) per program, worked by hand:
  Kalo (802103) has life plan + survey (parallel, uncoordinated). Hu Long
  (801208) has eight parallel pairs: community_planning gives life plan,
  survey and the TAO plan (3 pairs); community_finance gives revival + OTOP,
  coordinated because hulong_savings_group implements both; occupation
  gives farmer groups, OTOP and NFE learning (3 pairs); health gives
  Strong Thailand + healthy tambon. The one link, dopa - yamna, lies on the
  survey's side only. In the coordinated seed nst_planning is linked to an
  agency of every one of these programs, so every pair is coordinated.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.export import export
from graphmodel.geo import with_areas
from graphmodel.model import Agency, Coordination, Dataset, Funding, Fund, Location, Program
from paths import SEED, SEED_COORDINATED
from readback import read_back

FORMATS = ("graphml", "gexf", "json")

#: (parallel, uncoordinated) pairs per program in seed/nst-2006, by hand (module docstring).
SEED_PROGRAM_PAIRS = {
    "codi_life_plan": (3, 3), "dopa_poverty_survey": (3, 3), "tao_hulong_plan": (2, 2),
    "codi_revival": (1, 0), "cdd_otop_finance": (3, 2), "doae_farmer_groups": (2, 2),
    "nfe_occupation_learning": (2, 2), "moph_strong_thailand": (1, 1),
    "thaihealth_healthy_tambon": (1, 1), "codi_welfare": (0, 0), "trf_local_research": (0, 0),
}


def exported(folder: Path, fmt: str, tmp_path: Path) -> nx.MultiDiGraph:
    path = tmp_path / f"graph.{fmt}"
    export(EmbeddedBackend(read_dataset(folder)), fmt, path)
    return read_back(path, fmt)


def counts_of(g: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes by their ``type`` attribute and edges by their ``label`` (the relationship type)."""
    out = Counter(t for _, t in g.nodes(data="type")) + Counter(t for *_, t in g.edges(data="label"))
    return dict(sorted(out.items()))


def info_counts(folder: Path) -> dict[str, int]:
    """The type/count table of ``graphmodel info`` (up to its blank line)."""
    result = CliRunner().invoke(main, ["info", str(folder)])
    assert result.exit_code == 0, result.output
    table = result.output.split("\n\n")[0].splitlines()[2:]
    return {line.split()[0]: int(line.split()[1]) for line in table}


def csv_rows(name: str) -> int:
    with (SEED / name).open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


@pytest.mark.parametrize("fmt", FORMATS)
def test_counts_equal_graphmodel_info(fmt, tmp_path):
    got = counts_of(exported(SEED, fmt, tmp_path))
    assert got == info_counts(SEED)
    # and, independently of graphmodel, the rows of the seed's files
    assert (got["Agency"], got["Program"], got["LOCATED_IN"], got["FUNDS"], got["COORDINATES_WITH"]) == (
        csv_rows("agencies.csv"), csv_rows("programs.csv"), csv_rows("locations.csv"),
        csv_rows("funding.csv"), csv_rows("coordination.csv"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_thai_names_and_types_intact(fmt, tmp_path):
    g = exported(SEED, fmt, tmp_path)
    kalo = g.nodes["Tambon:802103"]
    assert (kalo["type"], kalo["name"], kalo["name_en"], kalo["label"], kalo["code"]) == (
        "Tambon", "กะหรอ", "Karo", "กะหรอ (Karo)", "802103")
    codi = g.nodes["Agency:codi"]
    assert codi["name"] == "สถาบันพัฒนาองค์กรชุมชน (พอช.)"
    assert codi["label"] == ("สถาบันพัฒนาองค์กรชุมชน (พอช.) (Community Organizations Development "
                             "Institute (CODI))")
    assert codi["kind"] == "special_agency"
    assert g.nodes["Fund:ceo_budget"]["channel"] == "ceo"
    welfare = g.nodes["Program:codi_welfare"]
    assert welfare["name"] == "สวัสดิการชุมชน (สมทบตำบลละ 100,000 บาท)"  # the comma inside the name kept
    assert (welfare["start_year"], welfare["end_year"], welfare["pilot"]) == (2006, 2006, True)
    assert g.nodes["Program:doae_farmer_groups"]["pilot"] is False
    themes = g.nodes["Program:codi_revival"]["themes"]
    want = ["community_finance", "community_organization"]  # the reader sorts a program's themes
    assert themes == (want if fmt == "json" else ";".join(want))
    funds = g.get_edge_data("Fund:codi_nst", "Program:codi_revival")
    [funding] = funds.values()
    assert (funding["label"], funding["amount_thb"], funding["fiscal_year"], funding["data_source"]) == (
        "FUNDS", 200000.0, 2006, "seed")
    assert isinstance(funding["amount_thb"], float)
    [link] = g.get_edge_data("Agency:dopa", "Agency:yamna").values()
    assert (link["label"], link["mechanism"]) == ("COORDINATES_WITH", "joint poverty survey")


@pytest.mark.parametrize("fmt", FORMATS)
def test_pair_counts_per_program_and_tambon(fmt, tmp_path):
    g = exported(SEED, fmt, tmp_path)
    got = {n[len("Program:"):]: (d["parallel_pairs"], d["uncoordinated_pairs"])
           for n, d in g.nodes(data=True) if d["type"] == "Program"}
    assert got == SEED_PROGRAM_PAIRS
    tambons = {n: (d["parallel_pairs"], d["uncoordinated_pairs"])
               for n, d in g.nodes(data=True) if d["type"] == "Tambon"}
    assert tambons.pop("Tambon:802103") == (1, 1)
    assert tambons.pop("Tambon:801208") == (8, 7)
    assert set(tambons.values()) == {(0, 0)}  # the other 168 tambons
    assert all("parallel_pairs" not in d for _, d in g.nodes(data=True) if d["type"] not in ("Program", "Tambon"))


def test_coordinated_seed_has_no_uncoordinated_pair(tmp_path):
    g = exported(SEED_COORDINATED, "graphml", tmp_path)
    got = {n[len("Program:"):]: (d["parallel_pairs"], d["uncoordinated_pairs"])
           for n, d in g.nodes(data=True) if d["type"] == "Program"}
    assert got == {p: (n, 0) for p, (n, _) in SEED_PROGRAM_PAIRS.items()}


def test_node_link_json_keys_edges_as_the_embedded_graph_does(tmp_path):
    """networkx reads the JSON back as the embedded backend's own MultiDiGraph (keys = rel_key)."""
    backend = EmbeddedBackend(read_dataset(SEED))
    g = exported(SEED, "json", tmp_path)
    want = sorted((f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}", k) for a, b, k in backend.graph.edges(keys=True))
    assert sorted(g.edges(keys=True)) == want
    assert g.has_edge("Fund:codi_nst", "Program:codi_life_plan", key="FUNDS|2006")


# A dataset built in code (the reader would refuse some of these values): markup, quotes,
# line breaks, a control character XML cannot carry, and extra columns whose names the
# formats use for something else.
ODD = with_areas(Dataset(
    agencies=[Agency(id="a&b", name='<b>"พอช."</b> & co', name_en="line\nbreak\ttab", kind="special_agency",
                     extra={"label": "mine", "x": "1", "zone": "=1+1"}),
              Agency(id="ctl", name="bell\x07here", kind="line_agency")],
    funds=[Fund(id="f", name="กองทุน", agency="a&b", amount_thb=1e20)],
    programs=[Program(id="p", name="แผน", themes=("a",), start_year=2006, end_year=2006)],
    funding=[Funding(fund="f", program="p", extra={"source": "gazette", "id": "7", "key": "k"})],
    locations=[Location(program="p", tambon="802103")],
    coordination=[Coordination(a="a&b", b="ctl", mechanism="ประชุม <ร่วม>")],
))


@pytest.mark.parametrize("fmt", FORMATS)
def test_odd_text_survives_and_reserved_names_are_prefixed(fmt, tmp_path):
    path = tmp_path / f"odd.{fmt}"
    export(EmbeddedBackend(ODD), fmt, path)
    g = read_back(path, fmt)
    ab = g.nodes["Agency:a&b"]
    assert (ab["name"], ab["name_en"]) == ('<b>"พอช."</b> & co', "line\nbreak\ttab")
    assert ab["label"] == '<b>"พอช."</b> & co (line\nbreak\ttab)'
    assert (ab["data_label"], ab["data_x"], ab["zone"]) == ("mine", "1", "=1+1")  # not neutralised
    # XML 1.0 cannot carry U+0007 at all; JSON can.
    assert g.nodes["Agency:ctl"]["name"] == ("bell\x07here" if fmt == "json" else "bell\ufffdhere")
    assert g.nodes["Fund:f"]["amount_thb"] == 1e20
    [funding] = g.get_edge_data("Fund:f", "Program:p").values()
    assert (funding["data_source"], funding["data_id"], funding["data_key"]) == ("gazette", "7", "k")
    [link] = g.get_edge_data("Agency:a&b", "Agency:ctl").values()
    assert link["mechanism"] == "ประชุม <ร่วม>"


def test_a_property_with_several_types_is_declared_as_the_wider_one(tmp_path):
    """fiscal_year is a whole number on funds; an extra column of programs with the same
    name holds text, so one GraphML key must hold both: string."""
    ds = Dataset(funds=[Fund(id="f", name="F", agency="a", fiscal_year=2006)],
                 agencies=[Agency(id="a", name="A", kind="provincial")],
                 programs=[Program(id="p", name="P", start_year=2006, end_year=2006,
                                   extra={"fiscal_year": "2549-2550"})])
    path = tmp_path / "mixed.graphml"
    export(EmbeddedBackend(ds), "graphml", path)
    g = nx.read_graphml(path)
    assert (g.nodes["Fund:f"]["fiscal_year"], g.nodes["Program:p"]["fiscal_year"]) == ("2006", "2549-2550")
    assert 'attr.name="fiscal_year" attr.type="string"' in path.read_text(encoding="utf-8")


def test_an_empty_graph_is_a_valid_file(tmp_path):
    for fmt in FORMATS:
        path = tmp_path / f"empty.{fmt}"
        assert export(EmbeddedBackend(Dataset()), fmt, path).nodes == 0
        assert read_back(path, fmt).number_of_nodes() == 0
