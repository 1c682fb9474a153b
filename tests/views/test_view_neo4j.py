"""``graphmodel view --neo4j`` draws what ``graphmodel view DIR`` draws (real Neo4j server)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_writer import write_payload
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from paths import SEED

pytestmark = pytest.mark.neo4j


def view_data(path: Path) -> dict:
    """The JSON data block of a written view (its ``\\u003c`` escapes are plain JSON)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="graphmodel-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def drawn(data: dict) -> tuple[list, list, list]:
    """Nodes, edges and pairs of a view, in an order that does not depend on the backend."""
    nodes = sorted(json.dumps({k: v for k, v in n.items()}, sort_keys=True) for n in data["nodes"])
    edges = sorted(json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True)
                   for e in data["edges"])
    return nodes, edges, data["pairs"]


@pytest.mark.parametrize("scope", [["--tambon", "802103"], ["--agency", "codi"], ["--province", "80", "--detail"],
                                   ["--province", "80"], ["--district", "8012"], ["--nation"]])
def test_neo4j_view_equals_folder_view(empty_neo4j, neo4j_driver, tmp_path, scope):
    write_payload(neo4j_driver, read_dataset(SEED).to_graph())
    runner = CliRunner()
    dir_page, neo4j_page = tmp_path / "dir" / "view.html", tmp_path / "neo4j" / "view.html"
    dir_page.parent.mkdir(), neo4j_page.parent.mkdir()
    from_dir = runner.invoke(main, ["view", str(SEED), *scope, "-o", str(dir_page)])
    from_neo4j = runner.invoke(main, ["view", "--neo4j", empty_neo4j.uri, *scope, "-o", str(neo4j_page)])
    assert (from_dir.exit_code, from_neo4j.exit_code) == (0, 0), from_neo4j.stderr
    want, got = drawn(view_data(dir_page)), drawn(view_data(neo4j_page))
    assert len(got[0]) == len(want[0]) and len(got[1]) == len(want[1])
    assert got == want
    # aggregated views: the same figures and agency matrix, and the same detailed pages beside them
    assert view_data(neo4j_page).get("overview") == view_data(dir_page).get("overview")
    pages = sorted(p.name for p in dir_page.parent.glob("view.files/*.html"))
    assert pages == sorted(p.name for p in neo4j_page.parent.glob("view.files/*.html"))
    assert pages == (["tambon-801208.html", "tambon-802103.html"] if scope[0] in ("--province", "--nation")
                     and "--detail" not in scope else ["tambon-801208.html"] if scope[0] == "--district" else [])
    for name in pages:
        assert drawn(view_data(neo4j_page.parent / "view.files" / name)) == \
            drawn(view_data(dir_page.parent / "view.files" / name))


def test_neo4j_view_of_an_unknown_tambon_exits_2(empty_neo4j, neo4j_driver, tmp_path):
    write_payload(neo4j_driver, read_dataset(SEED).to_graph())
    result = CliRunner().invoke(main, ["view", "--neo4j", empty_neo4j.uri, "--tambon", "100101",
                                       "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: tambon 100101 (พระบรมมหาราชวัง")
