"""Two loads of different datasets into one database at the same time (issue 12, section 2).

Dataset ``a`` is the seed; dataset ``b`` is the coordinated seed with an
extra ``website`` column on its agencies: the two share every agency, fund,
program, group and area, so the loads fight over the same nodes (locks,
deadlocks the driver retries, and each one's bookkeeping on the same node:
``_datasets``, and ``_keys`` with ``a/name``, ``b/name``, ``b/website``).

Each ends with its own counts (what holds its name equals its folder, by
the embedded backend), the graph is the union of the two, and taking one
out (``--replace`` with an edited folder, or ``unload``) leaves the other
exactly as its folder says. The loads run as two threads with the loader's
checkpoint hook making their batched loads alternate batch by batch (so
they overlap for certain, without a clock), and as two ``graphmodel load``
processes started together.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graphmodel.backends.base import payload
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset
from graphmodel.neo4j.load import DATASETS_PROPERTY, KEYS_PROPERTY, LOAD_LABEL, load_dataset

from paths import SEED, SEED_COORDINATED

pytestmark = pytest.mark.neo4j


@pytest.fixture
def folders(tmp_path) -> dict[str, Path]:
    """``a``: the seed; ``b``: the coordinated seed, its agencies with a ``website`` column."""
    a = shutil.copytree(SEED, tmp_path / "a")
    b = shutil.copytree(SEED_COORDINATED, tmp_path / "b")
    with (b / "agencies.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (b / "agencies.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*rows[0], "website"])
        writer.writeheader()
        writer.writerows({**row, "website": f"https://example.org/{row['id']}"} for row in rows)
    return {"a": a, "b": b}


def graph_of(backend) -> dict[tuple, str]:
    """Each node (label, id) and relationship (type, start, end, key props) -> its properties as text."""
    p = payload(backend)
    out = {("node", n.label.value, n.id): json.dumps(n.properties, sort_keys=True) for n in p.nodes}
    for r in p.relationships:
        key = json.dumps(r.model_dump(mode="json", exclude={"properties"}), sort_keys=True)
        out[("rel", key, json.dumps(r.properties, sort_keys=True))] = ""
    return out


def held_by(driver, dataset: str) -> dict[str, int]:
    """Nodes by label and relationships by type that hold ``dataset``'s name."""
    nodes = driver.execute_query(
        f"MATCH (n) WHERE $d IN n.{DATASETS_PROPERTY} UNWIND labels(n) AS label "
        "RETURN label, count(*) AS n", d=dataset).records
    rels = driver.execute_query(
        f"MATCH ()-[r]->() WHERE $d IN r.{DATASETS_PROPERTY} RETURN type(r) AS label, count(*) AS n",
        d=dataset).records
    return dict(sorted((r["label"], r["n"]) for r in [*nodes, *rels]))


def keys_missing(driver, dataset: str, folder: Path) -> list[str]:
    """Properties the folder sets on a node whose ``_keys`` do not record them for ``dataset``
    (what a lost update of the bookkeeping would look like)."""
    missing = []
    records = driver.execute_query(
        f"MATCH (n) WHERE $d IN n.{DATASETS_PROPERTY} RETURN labels(n)[0] AS label, n.id AS id, "
        f"n.{KEYS_PROPERTY} AS keys", d=dataset).records
    recorded = {(r["label"], r["id"]): {k.split("/", 1)[1] for k in r["keys"] if k.startswith(dataset + "/")}
                for r in records}
    for n in read_dataset(folder).to_graph().nodes:
        lost = set(n.properties) - recorded.get((n.label.value, n.id), set())
        missing += [f"{n.label.value} {n.id}: {k}" for k in sorted(lost)]
    return missing


def assert_each_has_its_own(driver, folders: dict[str, Path]) -> None:
    from graphmodel.neo4j.backend import Neo4jBackend

    expected = {}
    for name, folder in folders.items():
        embedded = EmbeddedBackend(read_dataset(folder))
        assert held_by(driver, name) == embedded.counts(), name
        assert keys_missing(driver, name, folder) == [], name
        expected.update(graph_of(embedded))
    assert graph_of(Neo4jBackend(driver)) == expected
    leftovers = driver.execute_query(f"MATCH (n:{LOAD_LABEL}) RETURN count(n) AS n").records
    assert leftovers[0]["n"] == 0


class Turnstile:
    """Two batched loads take turns: a load that has committed batch n waits until the other
    one has committed batch n too, or has ended. Waits on events only."""

    def __init__(self, names):
        self.at = dict.fromkeys(names, 0)
        self.done: set[str] = set()
        self.cond = threading.Condition()

    def hook(self, name: str):
        other = next(n for n in self.at if n != name)

        def checkpoint(step: str, number: int) -> None:
            with self.cond:
                if step != "batch":  # the gate opening, removals: not a turn
                    return
                self.at[name] = number
                self.cond.notify_all()
                self.cond.wait_for(lambda: self.at[other] >= number or other in self.done)
        return checkpoint

    def finished(self, name: str) -> None:
        with self.cond:
            self.done.add(name)
            self.cond.notify_all()


def test_two_batched_loads_taking_turns(empty_neo4j, neo4j_driver, folders):
    turns = Turnstile(folders)
    errors: dict[str, BaseException] = {}
    results = {}

    def load(name: str) -> None:
        try:
            results[name] = load_dataset(neo4j_driver, read_dataset(folders[name]), dataset_name=name,
                                         batch_size=50, single_transaction_max=0, progress=False,
                                         checkpoint=turns.hook(name))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors[name] = exc
        finally:
            turns.finished(name)

    threads = [threading.Thread(target=load, args=(name,)) for name in folders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == {}
    assert {r.mode for r in results.values()} == {"batched"} and min(r.batches for r in results.values()) > 10
    assert_each_has_its_own(neo4j_driver, folders)


def _graphmodel(*args: str, server) -> subprocess.Popen:
    env = {**os.environ, "NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password}
    return subprocess.Popen([sys.executable, "-c", "from graphmodel.cli import main; main()", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _all_succeed(*processes: subprocess.Popen) -> None:
    for p in processes:
        out, err = p.communicate()
        assert p.returncode == 0, err
        assert "Traceback" not in err


def test_two_cli_loads_at_once_then_replace_one_while_the_other_reloads(empty_neo4j, neo4j_driver, folders):
    _all_succeed(*[_graphmodel("load", str(folder), "--dataset", name, server=empty_neo4j)
                   for name, folder in folders.items()])
    assert_each_has_its_own(neo4j_driver, folders)
    # a drops a program (b still has it) and its rows; replace a while b is loaded again
    programs = folders["a"] / "programs.csv"
    gone = "codi_revival"
    for file in ("programs", "funding", "implementation", "locations", "coordination"):
        path = folders["a"] / f"{file}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(x for x in lines if gone not in x) + "\n", encoding="utf-8")
    assert gone not in programs.read_text(encoding="utf-8")
    _all_succeed(_graphmodel("load", str(folders["a"]), "--dataset", "a", "--replace", server=empty_neo4j),
                 _graphmodel("load", str(folders["b"]), "--dataset", "b", server=empty_neo4j))
    assert_each_has_its_own(neo4j_driver, folders)
    # and a taken out altogether leaves b exactly as its folder says
    _all_succeed(_graphmodel("unload", "--dataset", "a", server=empty_neo4j))
    assert_each_has_its_own(neo4j_driver, {"b": folders["b"]})


def _blocked(driver, other: threading.Thread) -> None:
    """Return once a transaction of the server waits for a lock (or ``other`` has ended: then the
    test below fails on its own assertion). Asks the server; no clock."""
    while other.is_alive():
        rows = driver.execute_query("SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' "
                                    "RETURN count(*) AS n").records
        if rows[0]["n"]:
            return


def _while_holding_the_first_batch(driver, folder: Path, name: str, other) -> dict[str, BaseException]:
    """Load ``folder`` as ``name``; with its first batch (every agency) written and not committed,
    run ``other()`` in a thread and go on once that waits for a lock. The errors of ``other``."""
    errors: dict[str, BaseException] = {}

    def run_other() -> None:
        try:
            other()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors["other"] = exc

    thread = threading.Thread(target=run_other)

    def hold(step: str, number: int) -> None:
        # once: a deadlock the server breaks makes the driver run the load's transaction again
        if (step, number) == ("write", 1) and thread.ident is None:
            thread.start()
            _blocked(driver, thread)

    load_dataset(driver, read_dataset(folder), dataset_name=name, progress=False, checkpoint=hold)
    thread.join()
    return errors


def test_a_load_that_reads_while_another_writes_keeps_both_records(empty_neo4j, neo4j_driver, folders):
    """The lost update, forced: ``b`` is loaded; ``a`` loads and, holding its first batch
    uncommitted, lets ``b`` load again; ``b`` must wait for ``a`` and then see what ``a`` wrote,
    not overwrite ``a``'s bookkeeping with what it read before ``a`` committed."""
    load_dataset(neo4j_driver, read_dataset(folders["b"]), dataset_name="b", progress=False)
    assert _while_holding_the_first_batch(neo4j_driver, folders["a"], "a", lambda: load_dataset(
        neo4j_driver, read_dataset(folders["b"]), dataset_name="b", progress=False)) == {}
    assert_each_has_its_own(neo4j_driver, folders)
    # and taking b out now leaves a whole (with a's records lost, it would take a's names with it)
    load_dataset(neo4j_driver, read_dataset(folders["b"]), dataset_name="b", replace=True, progress=False)
    from graphmodel.neo4j.load import unload_dataset

    unload_dataset(neo4j_driver, "b")
    assert_each_has_its_own(neo4j_driver, {"a": folders["a"]})


@pytest.mark.parametrize("only_agencies", [True, False], ids=["agencies-only", "whole"])
def test_an_unload_while_another_dataset_loads_the_same_nodes(empty_neo4j, neo4j_driver, folders, tmp_path,
                                                             only_agencies):
    """``a`` is loaded; ``b`` loads and, holding its first batch (the agencies ``a`` holds alone
    so far) uncommitted, lets ``a`` be unloaded. Whichever way the server orders the two (it
    may break a deadlock by running one again), ``a`` is gone and ``b`` whole. With ``b`` just
    the agencies (no parent links), its load is that one batch: the unload has read the
    agencies as ``a``'s alone and waits to delete them; it must look again once it has them."""
    from graphmodel.neo4j.load import unload_dataset

    b = folders["b"]
    if only_agencies:
        b = tmp_path / "b-agencies"
        b.mkdir()
        with (folders["b"] / "agencies.csv").open(encoding="utf-8", newline="") as fh:
            rows = [{k: v for k, v in row.items() if k != "parent"} for row in csv.DictReader(fh)]
        with (b / "agencies.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        (b / "programs.csv").write_text("id,name,themes,start_year,end_year\n", encoding="utf-8")
    load_dataset(neo4j_driver, read_dataset(folders["a"]), dataset_name="a", progress=False)
    assert _while_holding_the_first_batch(neo4j_driver, b, "b", lambda: unload_dataset(neo4j_driver, "a")) == {}
    assert held_by(neo4j_driver, "a") == {}
    assert_each_has_its_own(neo4j_driver, {"b": b})
