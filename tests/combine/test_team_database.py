"""A combined folder loaded into the real Neo4j test server is the team database docs/neo4j.md describes:
the same findings from Cypher as from the folder, and every node still says which source it came from."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from graphmodel.combine import combine

from folders import EXAMPLE

pytestmark = pytest.mark.neo4j


def test_load_a_combined_folder_and_ask_the_server(empty_neo4j, neo4j_driver, tmp_path):
    out = tmp_path / "nan"
    combine([EXAMPLE / "nan-office", EXAMPLE / "partners-3w.csv"], out, aliases=EXAMPLE / "aliases.csv")
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", str(out), "--dataset", "nan"])
    assert loaded.exit_code == 0, loaded.output
    from_server = runner.invoke(main, ["overlaps", "--format", "json"])
    from_folder = runner.invoke(main, ["overlaps", str(out), "--format", "json"])
    assert from_server.exit_code == from_folder.exit_code == 0, from_server.output + from_folder.output
    assert from_server.stdout == from_folder.stdout
    sources = {r["id"]: r["source"] for r in neo4j_driver.execute_query(
        "MATCH (p:Program) RETURN p.id AS id, p.source AS source").records}
    assert sources["NCD-SCREEN"] == "nan-office" and sources["p_dm"] == "hxl:partners-3w.csv"
    [office] = neo4j_driver.execute_query("MATCH (a:Agency {id: 'PHO-NAN'}) RETURN count(a) AS n").records
    assert office["n"] == 1  # one node for the office both sources name
