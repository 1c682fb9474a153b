#!/usr/bin/env python3
"""Neo4j at national scale: loading 1 %, 10 % and 100 % of Thailand, and asking it.

For each generated dataset (``graphmodel synth``; the sizes of
graphmodel.synth.BENCHMARK_PROVINCES and ``--all``), in one run on one
machine, this measures:

- **incremental**: ``graphmodel load DIR`` into an empty database (the
  ``seconds`` the command reports, which leave out reading the folder), with
  the client's peak RSS and its RSS after reading the folder;
- **bulk**: the import folder of docs/neo4j.md "Bulk first load" written from
  the dataset (:func:`write_import_folder`, standing in for
  ``graphmodel export --format neo4j-import`` until that is on main), then
  ``scripts/neo4j-dev import`` (importer, server start, constraints online);
- **naive**: one ``MERGE`` per row, one transaction per row, on a small
  sample dataset (rows/s), and the batched loader on the same sample;
- **overlaps**: the whole country's findings streamed from Neo4j (the
  Cypher twin paged by tambon, sides described per batch, one CSV line per
  uncoordinated pair written as it comes: wall time, client peak RSS)
  against the same streamed from the folder (read, validate, rule,
  describe) and against the rule alone
  (:func:`graphmodel.analysis.overlaps.parallel_pairs` on an
  :class:`EmbeddedBackend`); the Python twin over the Neo4j backend's
  paging; one tambon's ``overlaps`` query, warm, server time from the
  result summary; at 1 % and 10 % also ``graphmodel overlaps [--neo4j]
  --format csv`` as on main, which holds every finding before printing;
- **parity**: the pairs of both twins, counted and hashed (SHA-256 of the
  sorted rows as JSON); they must be equal.

Then rows/s and the ratios between them, and the growth exponent of each
time from 1 % to 100 % (``log(t100 / t1) / log(rows100 / rows1)``).

With ``--rust-python`` (an interpreter whose environment has the driver's
optional Rust extension, ``pip install 'graphmodel[fast]'``) every load is
measured with and without it.

Every function returns a dict of figures, so a wider benchmark
(benchmarks/national.py) can call them; run alone::

    python benchmarks/neo4j_national.py --json /tmp/neo4j-national.json          # 1 %, 10 %, 100 %
    python benchmarks/neo4j_national.py --sizes 1% --json /tmp/one.json
    python3 -m venv .venv-rust && .venv-rust/bin/pip install -e '.[fast,devserver]'
    python benchmarks/neo4j_national.py --rust-python .venv-rust/bin/python --json /tmp/both.json

It starts its own servers (``scripts/neo4j-dev``, default settings: 1 GiB
heap) in homes under ``--work`` and deletes everything in them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graphmodel.model import AREA_LABELS, REL_KEY_PROPERTY, Dataset, NodeLabel, RelType  # noqa: E402
from graphmodel.synth import BENCHMARK_PROVINCES  # noqa: E402

NEO4J_DEV = REPO / "scripts" / "neo4j-dev"
#: The data folders, generated with ``graphmodel synth`` where missing.
SIZES = {"1%": ("--provinces", ",".join(BENCHMARK_PROVINCES["1%"])),
         "10%": ("--provinces", ",".join(BENCHMARK_PROVINCES["10%"])),
         "100%": ("--all",)}
#: The sample the naive loader writes: one province at a tenth of the counts.
NAIVE_SAMPLE = ("--provinces", "85", "--scale", "0.1")
#: A tambon with many programs in every size (Phang-nga's Mueang district is in all three).
ONE_TAMBON = "820101"


# --- measuring ------------------------------------------------------------------------------

def measured(args: list[str], *, env: dict[str, str] | None = None, stdout=subprocess.DEVNULL) -> dict[str, Any]:
    """Run a command; its wall time, CPU time (user + system), peak RSS (MiB, from wait4), exit code and stderr."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=stdout, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024,
            "exit": proc.returncode,
            "stderr": stderr}


def load_average() -> float:
    return os.getloadavg()[0]


def graphmodel(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from graphmodel.cli import main; main(sys.argv[1:])", *args]


# --- servers --------------------------------------------------------------------------------

class Server:
    """A dev server of its own (``scripts/neo4j-dev``) in ``home``, default settings."""

    def __init__(self, home: Path):
        self.home = home
        self.uri = ""

    def start(self) -> "Server":
        out = subprocess.run([sys.executable, str(NEO4J_DEV), "start", "--home", str(self.home)],
                             capture_output=True, text=True, check=True)
        self.uri = out.stdout.strip().splitlines()[-1]
        return self

    def stop(self) -> None:
        subprocess.run([sys.executable, str(NEO4J_DEV), "stop", "--home", str(self.home)],
                       capture_output=True, text=True, check=False)

    @property
    def password(self) -> str:
        return (self.home / "password").read_text().strip()

    def env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_URI": self.uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": self.password}

    def driver(self):
        import neo4j

        return neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", self.password),
                                          notifications_min_severity="OFF")

    def wipe(self) -> None:
        """Delete every node and relationship (in batches: any size fits the default heap)."""
        with self.driver() as driver, driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


# --- the data ---------------------------------------------------------------------------------

def dataset_folder(size: str, data: Path) -> Path:
    """The folder of ``size`` under ``data`` (``synth-1pct``, ``synth-10pct``, ``synth-all``), made if missing."""
    name = {"1%": "synth-1pct", "10%": "synth-10pct", "100%": "synth-all"}[size]
    folder = data / name
    if not (folder / "programs.csv").exists():
        subprocess.run(graphmodel("synth", *SIZES[size], "-o", str(folder), "--force"), check=True)
    return folder


def read(folder: Path) -> Dataset:
    from graphmodel.dataset import read_dataset

    return read_dataset(folder)


# --- the bulk path -----------------------------------------------------------------------------

_ENTITY = frozenset({"Agency", "Fund", "Program", "Group"})


def _space(label: str) -> str:
    return "Area" if label in AREA_LABELS else "Entity"


def _typed(key: str, kinds: set[type]) -> str:
    """``key:type`` for the importer, from the Python types of the values the model holds."""
    kinds = kinds - {type(None)}
    if kinds == {bool}:
        return f"{key}:boolean"
    if kinds == {int}:
        return f"{key}:int"
    if kinds and kinds <= {int, float}:
        return f"{key}:double"
    if kinds == {list}:
        return f"{key}:string[]"
    return key


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def _write_file(path: Path, fixed: list[str], rows: Callable[[], Iterable[tuple[list, dict]]]) -> int:
    """One import file: the ``fixed`` columns, then every property key found, typed; two passes."""
    seen: dict[str, set] = {}
    for _, props in rows():
        for k, v in props.items():
            seen.setdefault(k, set()).add(type(v))
    keys = sorted(seen)
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(fixed + [_typed(k, seen[k]) for k in keys])
        for values, props in rows():
            out.writerow(values + [_cell(props.get(k)) for k in keys])
            n += 1
    return n


def write_import_folder(dataset: Dataset, out: Path) -> dict[str, Any]:
    """The folder ``scripts/neo4j-dev import`` reads (docs/neo4j.md, "Bulk first load").

    One ``nodes-<Label>.csv`` per label (``id:ID(Entity)`` or ``id:ID(Area)``,
    then the properties, typed from their values), one
    ``relationships-<TYPE>.csv`` per type (``:START_ID``/``:END_ID`` in the
    ends' id spaces, the properties, ``_key``). Values are the model's
    (:meth:`Dataset.node_rows`, :meth:`Dataset.relationship_rows`), so the
    imported graph is the one ``graphmodel load`` writes, without the
    loader's ``_datasets``/``_keys``.
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    rows = 0
    for label in NodeLabel:
        if not any(True for _ in dataset.node_rows(label)):
            continue
        rows += _write_file(out / f"nodes-{label.value}.csv", [f"id:ID({_space(label.value)})"],
                            lambda label=label: (([i], p) for i, p in dataset.node_rows(label)))
    for rtype in RelType:
        if not any(True for _ in dataset.relationship_rows(rtype)):
            continue
        start, end = ("Area", "Area") if rtype in (RelType.IN_DISTRICT, RelType.IN_PROVINCE) else (
            ("Entity", "Area") if rtype in (RelType.LOCATED_IN, RelType.BASED_IN) else ("Entity", "Entity"))
        key = REL_KEY_PROPERTY.get(rtype)

        def rel_rows(rtype=rtype, key=key):
            for _, s, _, e, props in dataset.relationship_rows(rtype):
                value = props.get(key) if key else None
                yield [s, e], {**props, "_key": rtype.value if value is None else f"{rtype.value}|{value}"}

        rows += _write_file(out / f"relationships-{rtype.value}.csv",
                            [f":START_ID({start})", f":END_ID({end})"], rel_rows)
    return {"rows": rows, "seconds": time.perf_counter() - started}


def bulk_figures(dataset: Dataset, work: Path) -> dict[str, Any]:
    """Export (:func:`write_import_folder`), then ``scripts/neo4j-dev import`` into a fresh home."""
    folder, home = work / "import", work / "bulk-home"
    shutil.rmtree(folder, ignore_errors=True)
    Server(home).stop()
    shutil.rmtree(home, ignore_errors=True)
    export = write_import_folder(dataset, folder)
    run = measured([sys.executable, str(NEO4J_DEV), "import", str(folder), "--home", str(home)])
    if run["exit"] != 0:
        raise RuntimeError(f"neo4j-dev import failed: {run['stderr'][-2000:]}")
    importer = re.search(r"imported .* in ([\d.]+)s", run["stderr"])
    total = export["seconds"] + run["seconds"]
    shutil.rmtree(folder, ignore_errors=True)
    from graphmodel.neo4j.backend import Neo4jBackend

    server = Server(home).start()  # running already: import starts it
    try:
        with server.driver() as driver:
            same = Neo4jBackend(driver).counts() == dataset.counts()
    finally:
        server.stop()
    return {"rows": export["rows"], "export_s": export["seconds"], "import_command_s": run["seconds"],
            "importer_s": float(importer[1]) if importer else None, "seconds": total,
            "rows_per_s": export["rows"] / total, "counts_equal_embedded": same,
            "load_average": load_average()}


# --- the incremental loader --------------------------------------------------------------------

_CHILD = """
import json, resource, sys, time
from graphmodel.dataset import read_dataset
from graphmodel.neo4j import connect
from graphmodel.neo4j.load import load_dataset
folder, uri, password, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
from neo4j._codec.packstream import RUST_AVAILABLE
ds = read_dataset(folder)
rss_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
driver, db = connect(uri, password=password)
result = load_dataset(driver, ds, dataset_name="synth", database=db, batch_size=batch, progress=False)
print(json.dumps({"rows": result.rows, "seconds": result.seconds, "mode": result.mode, "batches": result.batches,
                  "rss_after_read_mib": rss_read, "rust_extension": RUST_AVAILABLE}))
"""


def load_once(folder: Path, server: Server, *, python: str = sys.executable,
              batch_size: int = 5_000) -> dict[str, Any]:
    """``load_dataset`` into an empty database, in a child process (its own peak RSS)."""
    server.wipe()
    with tempfile.TemporaryFile() as out:
        run = measured([python, "-c", _CHILD, str(folder), server.uri, server.password, str(batch_size)],
                       stdout=out)
        out.seek(0)
        text = out.read().decode()
    if run["exit"] != 0:
        raise RuntimeError(f"load failed: {run['stderr'][-2000:]}")
    figures = json.loads(text.strip().splitlines()[-1])
    figures.update(rows_per_s=figures["rows"] / figures["seconds"], peak_rss_mib=run["peak_rss_mib"],
                   wall_s=run["seconds"], load_average=load_average())
    figures["rss_beyond_dataset_mib"] = figures["peak_rss_mib"] - figures["rss_after_read_mib"]
    return figures


def load_figures(folder: Path, server: Server, *, python: str = sys.executable, repeat: int = 1,
                 **kwargs: Any) -> dict[str, Any]:
    """:func:`load_once` ``repeat`` times: the run of median time, with every time taken."""
    runs = sorted((load_once(folder, server, python=python, **kwargs) for _ in range(repeat)),
                  key=lambda r: r["seconds"])
    return {**runs[len(runs) // 2], "all_seconds": [r["seconds"] for r in runs]}


def naive_load(driver, dataset: Dataset, name: str) -> tuple[int, float]:
    """One row per transaction (a round trip and a commit each), the loader's own MERGE
    statements with a one-row list; rows written and seconds taken."""
    from graphmodel.neo4j.load.plan import LoadPlan
    from graphmodel.neo4j.load.statements import node_statement, rel_statement

    p = {"dataset": name, "prefix": name + "/", "token": "naive"}
    started, rows = time.perf_counter(), 0
    with driver.session() as session:
        for batch in LoadPlan(dataset, name).batches(1):
            g = batch.group
            for start, end, one in batch.parts():
                text = (node_statement(g.name, replace=False) if g.kind == "node"
                        else rel_statement(g.name, start, end, replace=False))
                session.execute_write(lambda tx: tx.run(text, p, rows=one).consume())
            rows += 1
    return rows, time.perf_counter() - started


def naive_figures(sample: Path, server: Server) -> dict[str, Any]:
    """:func:`naive_load` of ``sample`` into an empty database; and the batched loader on it."""
    from graphmodel.neo4j.load import load_dataset

    dataset = read(sample)
    with server.driver() as driver:
        server.wipe()
        load_dataset(driver, dataset, dataset_name="warm-up", progress=False)  # plans compiled
        server.wipe()
        rows, naive = naive_load(driver, dataset, "naive")
        server.wipe()
        batched = load_dataset(driver, dataset, dataset_name="naive", progress=False)
    return {"rows": rows, "seconds": naive, "rows_per_s": rows / naive,
            "batched_seconds": batched.seconds, "batched_rows_per_s": rows / batched.seconds,
            "load_average": load_average()}


# --- asking it ------------------------------------------------------------------------------------

def pair_digest(rows: Iterable[dict]) -> dict[str, Any]:
    """How many pairs, how many uncoordinated, and a SHA-256 of the sorted rows as JSON."""
    lines = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return {"pairs": len(lines), "uncoordinated": sum('"coordinated": false' in x for x in lines),
            "sha256": digest}


_STREAM = """
import csv, os, sys
from graphmodel.analysis import findings, pairs
from graphmodel.reports.words import pair_fix, pair_why
source = sys.argv[1]
if source.startswith(("bolt", "neo4j")):
    from graphmodel.neo4j import Neo4jBackend, connect
    driver, db = connect(source, password=sys.argv[2])
    backend = Neo4jBackend(driver, db)
else:
    from graphmodel.backends.embedded import EmbeddedBackend
    from graphmodel.dataset import read_dataset
    backend = EmbeddedBackend(read_dataset(source))
n = 0
with open(os.devnull, "w", newline="") as fh:
    out = csv.writer(fh)
    for f in findings(backend, pairs(backend)):
        for p in f.uncoordinated:
            out.writerow([f.tambon.id, f.tambon.name, p.a.program.id, p.a.program.name, p.b.program.id,
                          p.b.program.name, p.shared_themes, *p.overlap_years, [a.id for a in p.a.agencies],
                          [a.id for a in p.b.agencies], pair_why(p), pair_fix(p)])
            n += 1
print(n)
"""


def streamed(source: str, password: str = "", env: dict[str, str] | None = None) -> dict[str, Any]:
    """Every uncoordinated pair described and written as a CSV line as it comes (the findings
    streamed, as ``overlaps --format jsonl`` will print them): time, peak RSS, pairs written."""
    with tempfile.TemporaryFile() as out:
        run = measured([sys.executable, "-c", _STREAM, source, password], stdout=out, env=env)
        out.seek(0)
        written = out.read().decode().strip()
    if run["exit"] != 0:
        raise RuntimeError(f"streamed overlaps failed: {run['stderr'][-2000:]}")
    return {"seconds": run["seconds"], "peak_rss_mib": run["peak_rss_mib"], "written": int(written)}


def embedded_figures(folder: Path, dataset: Dataset, *, cli: bool = True) -> dict[str, Any]:
    """The rule alone in this process; the findings streamed from the folder (read, validate,
    rule, describe, write); with ``cli``, ``graphmodel overlaps DIR --format csv`` as well."""
    from graphmodel.analysis.overlaps import parallel_pairs
    from graphmodel.backends.embedded import EmbeddedBackend

    started = time.perf_counter()
    rows = [p.to_row() for p in parallel_pairs(EmbeddedBackend(dataset))]
    figures = {"rule_s": time.perf_counter() - started, **pair_digest(rows)}
    del rows
    stream = streamed(str(folder))
    figures.update(streamed_s=stream["seconds"], streamed_peak_rss_mib=stream["peak_rss_mib"])
    if cli:
        run = measured(graphmodel("overlaps", str(folder), "--format", "csv"))
        figures.update(cli_s=run["seconds"], cli_peak_rss_mib=run["peak_rss_mib"])
    return figures


def neo4j_overlaps_figures(server: Server, *, repeat: int = 20, cli: bool = True) -> dict[str, Any]:
    """The Cypher twin's pairs (paged by tambon); the findings streamed from Neo4j (pages of
    tambons, sides described per batch); the Python twin over the backend's paging; one
    tambon's query, warm; with ``cli``, ``graphmodel overlaps --neo4j --format csv`` as well."""
    from graphmodel.analysis.overlaps import pairs
    from graphmodel.neo4j.backend import Neo4jBackend
    from graphmodel.queries import load_library

    figures: dict[str, Any] = {}
    with server.driver() as driver:
        query = load_library()["overlaps"]
        server_ms = []
        for _ in range(repeat + 1):  # the first run plans the query and warms the cache
            summary = driver.execute_query(query.text, query.bind({"tambon": ONE_TAMBON}),
                                           routing_="r").summary
            server_ms.append(summary.result_available_after + summary.result_consumed_after)
        profile = driver.execute_query("PROFILE " + query.text, query.bind({"tambon": ONE_TAMBON})).summary.profile
        started = time.perf_counter()
        rows = [p.to_row() for p in pairs(Neo4jBackend(driver))]
        figures["twin_s"] = time.perf_counter() - started
        figures.update(pair_digest(rows))
        del rows
    warm = sorted(server_ms[1:])
    figures.update(one_tambon_ms_median=warm[len(warm) // 2], one_tambon_ms_min=warm[0], one_tambon_ms_all=server_ms,
                   one_tambon_db_hits=_db_hits(profile), one_tambon_leaves=_leaf_operators(profile))
    stream = streamed(server.uri, server.password)
    figures.update(streamed_s=stream["seconds"], streamed_peak_rss_mib=stream["peak_rss_mib"])
    # The backend's questions (every node and relationship, paged by id) and the Python rule here.
    python_twin = measured(graphmodel("overlaps", "--neo4j", server.uri, "--twin", "python", "--format", "csv"),
                           env=server.env())
    figures.update(python_twin_cli_s=python_twin["seconds"], python_twin_peak_rss_mib=python_twin["peak_rss_mib"],
                   python_twin_exit=python_twin["exit"])
    if cli:
        run = measured(graphmodel("overlaps", "--neo4j", server.uri, "--format", "csv"), env=server.env())
        figures.update(cli_s=run["seconds"], cli_peak_rss_mib=run["peak_rss_mib"])
    figures["load_average"] = load_average()
    return figures


def _db_hits(plan: dict) -> int:
    return plan.get("dbHits", 0) + sum(_db_hits(c) for c in plan.get("children", []))


def _leaf_operators(plan: dict) -> list[str]:
    children = plan.get("children", [])
    if not children:
        return [plan["operatorType"].split("@")[0]]
    return [op for c in children for op in _leaf_operators(c)]


# --- one size, and the whole run ----------------------------------------------------------------

def size_figures(size: str, folder: Path, work: Path, server: Server, *, repeat: int = 1,
                 rust_python: str | None = None) -> dict[str, Any]:
    """Every figure for one dataset folder; loads ``repeat`` times (median), with and without
    the driver's Rust extension (``rust_python``: an interpreter that has it)."""
    print(f"== {size}: {folder}", file=sys.stderr, flush=True)
    dataset = read(folder)
    out: dict[str, Any] = {"folder": str(folder), "rows": sum(dataset.counts().values())}
    if rust_python:
        out["incremental_rust"] = load_figures(folder, server, python=rust_python, repeat=repeat)
        print(f"   incremental (Rust extension): {out['incremental_rust']}", file=sys.stderr, flush=True)
    out["incremental"] = load_figures(folder, server, repeat=repeat)
    print(f"   incremental: {out['incremental']}", file=sys.stderr, flush=True)
    # The commands as they are on main hold every finding before printing: not at 100 %.
    cli = size != "100%"
    out["neo4j_overlaps"] = neo4j_overlaps_figures(server, cli=cli)  # on the graph graphmodel load wrote
    print(f"   neo4j overlaps: {out['neo4j_overlaps']}", file=sys.stderr, flush=True)
    out["bulk"] = bulk_figures(dataset, work)
    print(f"   bulk: {out['bulk']}", file=sys.stderr, flush=True)
    out["embedded"] = embedded_figures(folder, dataset, cli=cli)
    print(f"   embedded: {out['embedded']}", file=sys.stderr, flush=True)
    inc, blk, ovl, emb = out["incremental"], out["bulk"], out["neo4j_overlaps"], out["embedded"]
    out["ratios"] = {
        "overlaps streamed: Neo4j / embedded (time)": ovl["streamed_s"] / emb["streamed_s"],
        "overlaps streamed from Neo4j / embedded rule alone (time)": ovl["streamed_s"] / emb["rule_s"],
        "incremental / bulk (rows/s)": inc["rows_per_s"] / blk["rows_per_s"],
        **({"incremental, Rust extension / bulk (rows/s)": out["incremental_rust"]["rows_per_s"] / blk["rows_per_s"],
            "Rust extension / pure Python (load rows/s)": out["incremental_rust"]["rows_per_s"] / inc["rows_per_s"]}
           if rust_python else {}),
        "Cypher twin / Python twin (time)": ovl["twin_s"] / emb["rule_s"],
        **({"overlaps --neo4j / embedded overlaps (CLI time)": ovl["cli_s"] / emb["cli_s"]} if cli else {}),
    }
    out["parity"] = {k: ovl[k] == emb[k] for k in ("pairs", "uncoordinated", "sha256")}
    return out


def growth(figures: dict[str, dict], path: tuple[str, ...], rows_path: tuple[str, ...] = ("rows",)) -> float | None:
    """``log(t100 / t1) / log(rows100 / rows1)`` of the figure at ``path``."""
    if "1%" not in figures or "100%" not in figures:
        return None

    def at(size: str, keys: tuple[str, ...]) -> float:
        value: Any = figures[size]
        for k in keys:
            value = value[k]
        return float(value)

    return (math.log(at("100%", path) / at("1%", path))
            / math.log(at("100%", rows_path) / at("1%", rows_path)))


GROWTH = {
    "graphmodel load (s)": ("incremental", "seconds"),
    "graphmodel load, client RSS": ("incremental", "peak_rss_mib"),
    "bulk path (s)": ("bulk", "seconds"),
    "overlaps from Neo4j, streamed (s)": ("neo4j_overlaps", "streamed_s"),
    "overlaps from Neo4j, streamed, client RSS": ("neo4j_overlaps", "streamed_peak_rss_mib"),
    "Cypher twin's pairs (s)": ("neo4j_overlaps", "twin_s"),
    "one tambon (ms, median)": ("neo4j_overlaps", "one_tambon_ms_median"),
    "one tambon (ms, fastest)": ("neo4j_overlaps", "one_tambon_ms_min"),
    "embedded overlaps, streamed (s)": ("embedded", "streamed_s"),
    "embedded rule alone (s)": ("embedded", "rule_s"),
}


def run(sizes: list[str], data: Path, work: Path, *, rust_python: str | None = None) -> dict[str, Any]:
    """Every size, the naive baseline, and the growth exponents; servers started and stopped here.

    Loads of 1 % and 10 % run three times (the median is kept), 100 % once.
    """
    work.mkdir(parents=True, exist_ok=True)
    server = Server(work / "load-home").start()
    figures: dict[str, Any] = {"machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
                               "sizes": {}}
    try:
        sample = work / "naive-sample"
        if not (sample / "programs.csv").exists():
            subprocess.run(graphmodel("synth", *NAIVE_SAMPLE, "-o", str(sample), "--force"), check=True)
        figures["naive"] = naive_figures(sample, server)
        print(f"== naive: {figures['naive']}", file=sys.stderr, flush=True)
        for size in sizes:
            figures["sizes"][size] = size_figures(size, dataset_folder(size, data), work, server,
                                                  repeat=1 if size == "100%" else 3, rust_python=rust_python)
            inc = figures["sizes"][size]["incremental"]
            figures["sizes"][size]["ratios"]["incremental / naive (rows/s)"] = (
                inc["rows_per_s"] / figures["naive"]["rows_per_s"])
    finally:
        server.stop()
    figures["growth"] = {k: growth(figures["sizes"], path) for k, path in GROWTH.items()}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1%,10%,100%", help="comma-separated: 1%%, 10%%, 100%%")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("GRAPHMODEL_BENCH_DATA", "/work/data")),
                        help="where the synth-1pct, synth-10pct and synth-all folders are (made if missing)")
    parser.add_argument("--work", type=Path, default=REPO / ".neo4j-dev" / "national",
                        help="server homes and the import folder (emptied)")
    parser.add_argument("--rust-python", metavar="PYTHON",
                        help="also load with this interpreter, whose environment has neo4j-rust-ext "
                             "(pip install 'graphmodel[fast]')")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = run(args.sizes.split(","), args.data, args.work, rust_python=args.rust_python)
    text = json.dumps(figures, indent=2, default=str)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
