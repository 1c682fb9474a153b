"""``graphmodel overlaps``/``info`` print the same bytes from a folder and from Neo4j.

Every output format and option: table, json, csv, jsonl, --summary at each level, --limit
(its note on stderr too).

The folder goes through the embedded backend (networkx, the Python twin of
the rule); ``--neo4j`` through the Cypher twins of the library, after
``graphmodel load``. Seeds, then random datasets (hypothesis).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from graphmodel.cli import main

from paths import SEED, SEED_COORDINATED
from strategies import TAMBONS, dataset_folders, write_dataset

pytestmark = pytest.mark.neo4j

COMMANDS = (
    ("overlaps",),
    ("overlaps", "--format", "json"),
    ("overlaps", "--format", "csv"),
    ("overlaps", "--tambon", "802103"),
    ("overlaps", "--province", "80", "--format", "json"),
    ("overlaps", "--format", "jsonl"),
    ("overlaps", "--summary", "tambon", "--format", "csv"),
    ("overlaps", "--summary", "district"),
    ("overlaps", "--summary", "province", "--format", "json"),
    ("overlaps", "--format", "jsonl", "--limit", "3"),
    ("overlaps", "--format", "json", "--limit", "2"),
    ("info",),
)


def run(env: dict[str, str], *args: str) -> tuple[str, str]:
    """stdout and stderr (``--limit`` says on stderr where it stopped)."""
    result = CliRunner(env=env).invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def server_env(server) -> dict[str, str]:
    return {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password}


def assert_same_output(env: dict[str, str], folder: Path, commands=COMMANDS) -> None:
    """Each command prints the same from ``folder`` (NEO4J_URI unset) and from the server."""
    for command in commands:
        embedded = run({"NEO4J_URI": None}, *command, str(folder))
        assert run(env, *command) == embedded, command


def wipe(driver) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")


@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED], ids=lambda p: p.name)
def test_seed_into_an_emptied_database(empty_neo4j, folder):
    env = server_env(empty_neo4j)
    run(env, "load", str(folder))
    assert_same_output(env, folder)


def test_seed_then_coordinated_seed_with_replace(empty_neo4j):
    """The coordinated seed loaded over the seed as the same dataset, with --replace."""
    env = server_env(empty_neo4j)
    run(env, "load", str(SEED), "--dataset", "nst")
    assert_same_output(env, SEED)
    run(env, "load", str(SEED_COORDINATED), "--dataset", "nst", "--replace")
    assert_same_output(env, SEED_COORDINATED)
    run(env, "load", str(SEED), "--dataset", "nst", "--replace")
    assert_same_output(env, SEED)


@settings(max_examples=30, deadline=None)
@given(files=dataset_folders())
def test_random_datasets(neo4j_server, neo4j_driver, files):
    wipe(neo4j_driver)
    env = server_env(neo4j_server)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "random", files)
        run(env, "load", str(folder))
        tambon = sorted({row["tambon"] for row in files["locations"]})[0]
        assert tambon in TAMBONS
        assert_same_output(env, folder, COMMANDS[:3] + COMMANDS[5:7] + (("overlaps", "--tambon", tambon), ("info",)))


def test_a_generated_province(empty_neo4j, synth_dir, synth_rule):
    """Phuket from graphmodel synth: every command the same from the folder and from the server,
    and the server's pairs those of the brute-force oracle."""
    env = server_env(empty_neo4j)
    run(env, "load", str(synth_dir))
    assert_same_output(env, synth_dir, COMMANDS + (("overlaps", "--tambon", "830101", "--format", "json"),))
    lines = run(env, "overlaps", "--format", "jsonl")[0].splitlines()
    assert [(x["tambon"], *x["programs"]) for x in map(json.loads, lines)] == sorted(
        k for k, coordinated in synth_rule.items() if not coordinated)


def test_a_generated_province_loaded_in_batches(empty_neo4j, neo4j_driver, synth_dir):
    """Phuket as generated (3,217 rows) in batches of at most 500 rows, each its own
    transaction (a batched load): every command prints what the embedded backend prints."""
    from graphmodel.dataset import read_dataset
    from graphmodel.neo4j.load import load_dataset

    result = load_dataset(neo4j_driver, read_dataset(synth_dir), dataset_name="phuket", batch_size=500,
                          single_transaction_max=0)
    assert result.mode == "batched" and result.batches > 7
    assert_same_output(server_env(empty_neo4j), synth_dir,
                       COMMANDS[:3] + (("overlaps", "--tambon", "830101", "--format", "json"),
                                       ("overlaps", "--province", "83", "--format", "csv"), ("info",)))
