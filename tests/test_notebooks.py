"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel (nbclient), and shows what it says.

A notebook is stored without outputs; the test executes it with the
project's own kernel (ipykernel in this environment), in ``notebooks/``,
and fails when any cell raises. Then check cells, kept here rather than in
the notebooks (a reader's own database may hold more than the seed), run in
the same kernel after the notebook's cells and assert what its variables
hold, against values worked out by hand from the seed (docs/analysis.md)
or found independently (``graphmodel info`` on the generated province).

``02-cypher-for-analysts`` talks to the real Neo4j test server: the test
empties it and hands its URI and password to the kernel through
``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``, as a reader's shell would.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from paths import REPO

NOTEBOOKS = REPO / "notebooks"

CHECKS = {
    "01-seed-case.ipynb": '''
assert [(p["program_a"], p["program_b"], p["coordinated_by"]) for p in kalo_pairs] == [
    ("codi_life_plan", "dopa_poverty_survey", "")]
assert [(p["program_a"], p["program_b"], p["coordinated_by"]) for p in kalo_after] == [
    ("codi_life_plan", "dopa_poverty_survey", "shared_coordinator")]
assert left == []
# Hu Long: 8 parallel pairs, revival + OTOP coordinated by a shared group; after the two links the
# life plan + survey pair is coordinated too; the TAO plan's two pairs and the line agencies' four are not.
assert before_counts == {"801208": 7, "802103": 1}
assert after_counts == {"801208": 6}
assert uncoordinated_by_tambon(full) == {}
''',
    "02-cypher-for-analysts.ipynb": '''
assert (loaded.counts["Program"], loaded.counts["LOCATED_IN"], loaded.counts["COORDINATES_WITH"]) == (11, 181, 1)
assert sorted(map(tuple, stakeholders[["program", "id", "role"]].fillna("-").values.tolist())) == sorted([
    ("codi_life_plan", "kalo_village_fund_network", "implements: lead in Kalo"),
    ("codi_life_plan", "codi_nst", "funds"), ("codi_life_plan", "codi", "manages fund codi_nst"),
    ("dopa_poverty_survey", "dopa", "implements: lead"),
    ("dopa_poverty_survey", "yamna", "implements: partner network"),
    ("dopa_poverty_survey", "ceo_budget", "funds"),
    ("dopa_poverty_survey", "nst_governor", "manages fund ceo_budget"),
    ("-", "kalo_village_fund_network", "based here")])
assert overlaps[["tambon", "program_a", "program_b", "coordinated"]].values.tolist() == [
    ["802103", "codi_life_plan", "dopa_poverty_survey", False]]
per_channel = flows.groupby("channel").agg(links=("program", "size"), known=("amount_thb", "sum"),
                                           unknown=("amount_thb", lambda a: int(a.isna().sum())))
assert per_channel.to_dict("index") == {"ceo": {"links": 1, "known": 0.0, "unknown": 1},
                                        "normal": {"links": 5, "known": 0.0, "unknown": 5},
                                        "special": {"links": 5, "known": 300000.0, "unknown": 3}}
assert channels.to_dict("index") == {"ceo": {"programs": 1, "tambons": 2}, "normal": {"programs": 5, "tambons": 1},
                                     "special": {"programs": 5, "tambons": 170}}
''',
    "03-province-at-scale.ipynb": '''
from click.testing import CliRunner
from graphmodel.cli import main
info = CliRunner().invoke(main, ["info", str(generated.folder)]).output.splitlines()[-1]
uncoordinated_tambons = found[~found.coordinated].tambon.nunique()
assert info == (f"parallel program pairs: {by_district.parallel_pairs.sum()} ({by_district.uncoordinated_pairs.sum()} "
                f"uncoordinated, in {uncoordinated_tambons} tambons)"), info
assert len(found) == by_district.parallel_pairs.sum() and (~found.coordinated).sum() == by_district.uncoordinated_pairs.sum()
assert list(by_district.index) == [f"81{d:02d}" for d in range(1, 9)]  # Krabi's 8 districts
assert found.tambon.nunique() <= 53
assert len(worst_pairs) == per_tambon.max() and {p["tambon"] for p in worst_pairs} == {worst}
assert len(ranked) == 5 and ranked.severity.is_monotonic_decreasing
assert ranked.severity.iloc[0] == max(p["severity"] for p in g.overlaps(explain=True))
assert list(recommended.step) == list(range(1, len(recommended) + 1))
assert list(recommended.remaining) == list((~found.coordinated).sum() - recommended.resolves.cumsum())
assert index.pairs.sum() == len(found) and index.uncoordinated.sum() == (~found.coordinated).sum()
''',
    # The Nan example, worked out by hand in tests/combine/test_findings.py (docs/combine.md).
    "04-combining-sources.ipynb": '''
pairs_of = lambda frame: {(r.tambon, r.program_a, r.program_b): r.coordinated for r in frame.itertuples()}
assert pairs_of(before) == {("550102", "LIFE-PLAN", "TAO-BO-PLAN"): False, ("550102", "NCD-SCREEN", "p_dm"): False,
                            ("550102", "OCC-GROUPS", "p_weave"): False, ("550103", "OCC-GROUPS", "p_goat"): False}
assert pairs_of(after) == {("550102", "ELDER-CARE", "p_elder"): False, ("550102", "LIFE-PLAN", "TAO-BO-PLAN"): False,
                           ("550102", "OCC-GROUPS", "p_weave"): True, ("550103", "OCC-GROUPS", "p_goat"): True}
assert set(after[after.coordinated].by) == {"shared_coordinator"}
assert list(suggested.same_as) == ["PHO-NAN", "HC-BO", "CODI", "elderly_care", "CDD-NAN"]
assert list(reviewed.decision) == ["same", "same", "same", "same", "different"]
assert (second.conflicts, second.aliases, second.suggestions) == (1, 4, 1)
''',
}
#: Run after the whole notebook (its last cell removes the generated folder).
AFTER = {"03-province-at-scale.ipynb": "assert not work.exists()",
         "04-combining-sources.ipynb": "assert not work.exists()"}


def _outputs(nb, cell_id: str) -> list[dict]:
    return next(c for c in nb.cells if c.get("id") == cell_id)["outputs"]


def _text(outputs: list[dict], name: str = "stdout") -> str:
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == name)


def _run(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code), \
        f"{path.name} is stored with outputs; clear them (Jupyter: Edit > Clear Outputs of All Cells)"
    assert all("id" in c for c in nb.cells)
    check = CHECKS.get(path.name)
    if check:
        at = next((i for i, c in enumerate(nb.cells) if c.get("id") == "cleanup"), len(nb.cells))
        nb.cells.insert(at, new_code_cell(check))
    if path.name in AFTER:
        nb.cells.append(new_code_cell(AFTER[path.name]))
    # Raises CellExecutionError (naming the cell and the exception) when a cell raises.
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(
        [*CHECKS, "view.ipynb"])


def test_seed_case(tmp_path):
    nb = _run(NOTEBOOKS / "01-seed-case.ipynb")
    printed = _text(_outputs(nb, "kalo-findings"))
    assert printed.startswith("802103 กะหรอ (Karo)\n")
    assert "\nWhy: แผนชีวิตชุมชน (ทุกตำบล) (Community life plans (every tambon))" in printed
    assert "\nFix: Link the two sides in this tambon: add the row 'codi,dopa,joint tambon plan,802103'" in printed
    for cell in ("view-before", "resolved"):
        [shown] = [o for o in _outputs(nb, cell) if o["output_type"] == "execute_result"]
        assert shown["data"]["text/html"].startswith('<div><iframe srcdoc="&lt;!DOCTYPE html&gt;')
        assert "tambon 802103 กะหรอ (Karo)" in shown["data"]["text/html"]
    assert _text(_outputs(nb, "resolved")) == "uncoordinated pairs in Kalo: 0\n"
    assert all(_text(c.outputs, "stderr") == "" for c in nb.cells if c.cell_type == "code")  # no warnings


@pytest.mark.neo4j
def test_cypher_for_analysts(empty_neo4j):
    nb = _run(NOTEBOOKS / "02-cypher-for-analysts.ipynb")
    [chart] = [o for o in _outputs(nb, "chart") if o["output_type"] == "display_data"]
    assert chart["data"]["image/png"]  # a picture was drawn
    [table] = [o for o in _outputs(nb, "library") if o["output_type"] == "execute_result"]
    assert "tambon_stakeholders" in table["data"]["text/html"]


def test_province_at_scale():
    nb = _run(NOTEBOOKS / "03-province-at-scale.ipynb")
    printed = _text(_outputs(nb, "totals"))
    assert printed.endswith(" tambons\n") and "uncoordinated" in printed


def test_combining_sources():
    nb = _run(NOTEBOOKS / "04-combining-sources.ipynb")
    printed = _text(_outputs(nb, "report"))
    assert printed == "before: 4 uncoordinated pairs; after: 2; conflicts 1, new suggestions 1\n"
    assert all(_text(c.outputs, "stderr") == "" for c in nb.cells if c.cell_type == "code")  # no warnings


def test_view():
    nb = _run(NOTEBOOKS / "view.ipynb")
    [shown] = [o for o in nb.cells[-1].outputs if o["output_type"] == "execute_result"]
    assert shown["data"]["text/html"].startswith('<div><iframe srcdoc="&lt;!DOCTYPE html&gt;')
