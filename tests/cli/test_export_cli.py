"""``graphmodel export`` in-process: messages, exit codes, and no partial file on a write fault.

Counts in the messages are the seed's, from the rows of its files (233 nodes:
13 agencies, 9 funds, 11 programs, 6 groups, 170 tambons, 23 districts, 1
province; 413 relationships), as tests/cli/test_dataset_cli.py and
``graphmodel validate`` list them.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from faults import in_child, read_only_folder, remove, seal
from graphmodel.cli import main
from paths import SEED


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("fmt, name", [("graphml", "nst.graphml"), ("gexf", "nst.gexf"), ("json", "nst.json")])
def test_graph_formats_say_what_they_wrote(tmp_path, fmt, name):
    result = invoke("export", str(SEED), "--format", fmt, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {tmp_path / name} ({fmt}): 233 nodes, 413 relationships.\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_neo4j_import_lists_the_files_and_the_next_step(tmp_path):
    out = tmp_path / "bulk"
    result = invoke("export", str(SEED), "--format", "neo4j-import", "-o", str(out))
    assert result.exit_code == 0, result.output
    counts = {"nodes-Agency.csv": 13, "nodes-Fund.csv": 9, "nodes-Program.csv": 11, "nodes-Group.csv": 6,
              "nodes-Tambon.csv": 170, "nodes-District.csv": 23, "nodes-Province.csv": 1,
              "relationships-MANAGES.csv": 9, "relationships-FUNDS.csv": 11,
              "relationships-IMPLEMENTS.csv": 11, "relationships-LOCATED_IN.csv": 181,
              "relationships-IN_DISTRICT.csv": 170, "relationships-IN_PROVINCE.csv": 23,
              "relationships-BASED_IN.csv": 6, "relationships-PART_OF.csv": 1,
              "relationships-COORDINATES_WITH.csv": 1}
    width = max(map(len, counts))
    assert result.stdout.splitlines() == [
        f"Wrote {out} (neo4j-import): 233 nodes, 413 relationships.",
        f"{'file'.ljust(width)}  rows", f"{'-' * width}  ----",
        *[f"{name.ljust(width)}  {n}" for name, n in counts.items()],
        f"Next: scripts/neo4j-dev import {out} (see docs/neo4j.md)",
    ]


def test_line_breaks_in_values_call_for_multiline_fields(tmp_path):
    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "agencies.csv").write_text('id,name,kind\na,"two\nlines",provincial\n', encoding="utf-8")
    (ds / "programs.csv").write_text("id,name,themes,start_year,end_year\n", encoding="utf-8")
    result = invoke("export", str(ds), "--format", "neo4j-import", "-o", str(tmp_path / "bulk"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        "1 value holds a line break: the importer needs --multiline-fields.",
        f"Next: scripts/neo4j-dev import {tmp_path / 'bulk'} --multiline-fields (see docs/neo4j.md)",
    ]


def test_a_folder_as_output_file_is_one_error(tmp_path):
    result = invoke("export", str(SEED), "--format", "gexf", "-o", str(tmp_path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {tmp_path}: is a folder; give the file to write, e.g. {tmp_path / 'graph.gexf'}\n"


def test_a_non_empty_folder_needs_force(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = invoke("export", str(SEED), "--format", "neo4j-import", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path}: the folder is not empty; give a new or empty folder, or "
                             "--force to replace the nodes-*.csv and relationships-*.csv files in it\n")
    assert invoke("export", str(SEED), "--format", "neo4j-import", "-o", str(tmp_path), "--force").exit_code == 0


def test_format_is_required_and_checked(tmp_path):
    result = invoke("export", str(SEED), "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "Missing option '--format'" in result.stderr
    result = invoke("export", str(SEED), "--format", "dot", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "'dot' is not one of 'graphml', 'gexf', 'json', 'neo4j-import'" in result.stderr


def test_a_bad_folder_is_reported_and_nothing_is_written(tmp_path):
    result = invoke("export", str(tmp_path / "missing"), "--format", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'missing'}")
    assert [p.name for p in tmp_path.iterdir()] == []


def test_the_overwritten_file_is_replaced_whole(tmp_path):
    path = tmp_path / "nst.graphml"
    path.write_text("old", encoding="utf-8")
    assert invoke("export", str(SEED), "--format", "graphml", "-o", str(path)).exit_code == 0
    assert nx.read_graphml(path).number_of_nodes() == 233


def _export_in_child(fmt: str, out: Path) -> str:
    result = invoke("export", str(SEED), "--format", fmt, "-o", str(out))
    return f"{result.exit_code} {result.stdout}{result.stderr}"


@pytest.mark.parametrize("fmt, name", [("graphml", "nst.graphml"), ("gexf", "nst.gexf"), ("json", "nst.json"),
                                       ("neo4j-import", "bulk")])
def test_read_only_folder_is_one_clear_error(fmt, name):
    folder = read_only_folder()
    try:
        seal(folder)
        outcome = in_child(lambda: _export_in_child(fmt, folder / name), unprivileged=True)
        assert outcome == (f"2 Error: {folder / name}: cannot write: Permission denied (is the folder "
                           "writable, and is there space on the disk?)\n")
        assert list(folder.iterdir()) == []
    finally:
        remove(folder)


@pytest.mark.parametrize("fmt, name, failing", [
    ("graphml", "nst.graphml", "nst.graphml"), ("gexf", "nst.gexf", "nst.gexf"), ("json", "nst.json", "nst.json"),
    # nodes-Agency.csv (about 1.5 kB) is the first file of the folder and no longer fits
    ("neo4j-import", "bulk", "bulk/nodes-Agency.csv")])
def test_full_disk_leaves_nothing_behind(tmp_path, fmt, name, failing):
    outcome = in_child(lambda: _export_in_child(fmt, tmp_path / name), max_file_bytes=1000)
    assert outcome == (f"2 Error: {tmp_path / failing}: cannot write: File too large (is the folder "
                       "writable, and is there space on the disk?)\n")
    assert list(tmp_path.iterdir()) == []
