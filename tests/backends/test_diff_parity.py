"""``graphmodel diff`` prints the same from two folders and from two datasets of one Neo4j database.

Both snapshots are loaded into one database (``graphmodel load --dataset``);
``--old-dataset``/``--new-dataset`` read each one's nodes and relationships
(:class:`~graphmodel.neo4j.backend.Neo4jDataset`). Every format, areas and
``--recommended``: the seed's before and after, the small case of
tests/analysis/diff_cases.py (without what one database cannot hold twice: a
program's changed years, themes or name), and a generated province with a
year's changes (``graphmodel synth --evolve``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.model import NodeLabel, RelType
from graphmodel.neo4j.backend import Neo4jDataset

from analysis.diff_cases import files, snapshot
from paths import SEED, SEED_COORDINATED
from strategies import write_dataset

pytestmark = pytest.mark.neo4j

OPTIONS = (
    (),
    ("--format", "json"),
    ("--format", "jsonl"),
    ("--format", "csv"),
    ("--tambon", "801208", "--format", "json"),
    ("--district", "8012"),
    ("--province", "80", "--format", "csv"),
    ("--recommended",),
    ("--recommended", "--format", "json"),
)


def run(env: dict[str, str | None], *args: str) -> str:
    result = CliRunner(env=env).invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def server_env(server) -> dict[str, str]:
    return {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password}


def unlabelled(text: str, old: str, new: str) -> str:
    """Output with the snapshots' names (folders, or 'dataset NAME') taken out (the longer first:
    one may begin with the other)."""
    for name, tag in sorted(((old, "OLD"), (new, "NEW")), key=lambda x: -len(x[0])):
        text = text.replace(name, tag)
    return text


def assert_same_diff(env, old: Path, new: Path, old_name: str, new_name: str, options=OPTIONS) -> None:
    for option in options:
        folders = run({"NEO4J_URI": None}, "diff", old, new, *option)
        datasets = run(env, "diff", "--old-dataset", old_name, "--new-dataset", new_name, *option)
        assert unlabelled(datasets, f"dataset {old_name}", f"dataset {new_name}") == unlabelled(
            folders, str(old), str(new)), option


def assert_dataset_reads_its_folder(driver, name: str, folder: Path) -> None:
    """The nodes and relationships read for dataset ``name`` are those of its folder."""
    backend, embedded = Neo4jDataset.open(driver, None, name), EmbeddedBackend(read_dataset(folder))
    for label in NodeLabel:
        assert sorted(backend.nodes(label.value)) == sorted(embedded.nodes(label.value)), label
    for rtype in RelType:
        key = lambda r: (r.start, r.end, sorted(r.props.items()))  # noqa: E731
        assert sorted(backend.relationships(rtype.value), key=key) == sorted(
            embedded.relationships(rtype.value), key=key), rtype
    assert backend.counts() == embedded.counts()


def test_seed_before_and_after_as_two_datasets(empty_neo4j, neo4j_driver):
    env = server_env(empty_neo4j)
    run(env, "load", SEED, "--dataset", "nst-2006")
    run(env, "load", SEED_COORDINATED, "--dataset", "nst-2006-coordinated")
    assert_dataset_reads_its_folder(neo4j_driver, "nst-2006", SEED)
    assert_dataset_reads_its_folder(neo4j_driver, "nst-2006-coordinated", SEED_COORDINATED)
    assert_same_diff(env, SEED, SEED_COORDINATED, "nst-2006", "nst-2006-coordinated")
    # The other way round, and a folder against a dataset.
    assert_same_diff(env, SEED_COORDINATED, SEED, "nst-2006-coordinated", "nst-2006", OPTIONS[:2])
    mixed = run(env, "diff", SEED, "--new-dataset", "nst-2006-coordinated", "--format", "jsonl")
    assert mixed == run({"NEO4J_URI": None}, "diff", SEED, SEED_COORDINATED, "--format", "jsonl")


def test_small_case_as_two_datasets(empty_neo4j, neo4j_driver, tmp_path):
    env = server_env(empty_neo4j)
    old = write_dataset(tmp_path / "old", files(snapshot(new=False, properties=False)))
    new = write_dataset(tmp_path / "new", files(snapshot(new=True, properties=False)))
    run(env, "load", old, "--dataset", "old")
    run(env, "load", new, "--dataset", "new")
    assert_dataset_reads_its_folder(neo4j_driver, "old", old)
    assert_dataset_reads_its_folder(neo4j_driver, "new", new)
    assert_same_diff(env, old, new, "old", "new")
    reasons = {x["how"] for x in json.loads(run(env, "diff", "--old-dataset", "old", "--new-dataset", "new",
                                                   "--format", "json"))["resolved"]}
    assert reasons == {"coordinated", "program_removed", "no_longer_parallel"}


def test_one_database_holds_one_value_per_property(empty_neo4j, neo4j_driver, tmp_path):
    """What docs/diff.md says a database cannot tell: a program both datasets hold has the years of
    the load written last, so reading OLD from the database gives NEW's years for it."""
    env = server_env(empty_neo4j)
    old = write_dataset(tmp_path / "old", files(snapshot(new=False)))
    new = write_dataset(tmp_path / "new", files(snapshot(new=True)))
    run(env, "load", old, "--dataset", "old")
    run(env, "load", new, "--dataset", "new")
    late_b = dict(Neo4jDataset.open(neo4j_driver, None, "old").nodes("Program"))["late_b"]
    assert (late_b["start_year"], late_b["end_year"]) == (2008, 2009)  # NEW's, loaded last


def test_a_generated_province_and_its_next_year(empty_neo4j, neo4j_driver, synth_dir, tmp_path):
    """Phuket from graphmodel synth, and the same evolved a year (links added, programs ended and added)."""
    env = server_env(empty_neo4j)
    evolved = tmp_path / "phuket-next"
    run({"NEO4J_URI": None}, "synth", "--evolve", synth_dir, "-o", evolved)
    run(env, "load", synth_dir, "--dataset", "phuket")
    run(env, "load", evolved, "--dataset", "phuket-next")
    assert_dataset_reads_its_folder(neo4j_driver, "phuket-next", evolved)
    assert_same_diff(env, synth_dir, evolved, "phuket", "phuket-next",
                     ((), ("--format", "jsonl"), ("--district", "8301", "--format", "json")))
    counts = json.loads(run(env, "diff", "--old-dataset", "phuket", "--new-dataset", "phuket-next",
                            "--format", "json"))["summary"]
    assert counts["resolved"]["coordinated"] and counts["resolved"]["program_removed"]
    assert counts["appeared"]["program_added"]


def test_an_unknown_dataset_names_those_there(empty_neo4j):
    env = server_env(empty_neo4j)
    run(env, "load", SEED, "--dataset", "nst-2006")
    result = CliRunner(env=env).invoke(main, ["diff", "--old-dataset", "nst-2006", "--new-dataset", "nst-2007"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: dataset 'nst-2007' is not in the database "
                                     "(datasets there: 'nst-2006')")
    assert re.search("Traceback", result.output) is None
