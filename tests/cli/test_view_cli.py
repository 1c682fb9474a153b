"""``graphmodel view`` run in-process with click's CliRunner: files, exit codes, exact messages."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphmodel import EmbeddedBackend, read_dataset
from graphmodel.cli import main
from graphmodel.views import Scope, render_view
from paths import REPO, SEED
from described import described_pairs
from graphmodel.backends.base import payload


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run ``graphmodel view ARGS`` in an empty working folder, with no Neo4j settings."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.chdir(tmp_path)

    def _run(*args: str) -> Result:
        return CliRunner().invoke(main, ["view", *args])

    return _run


def test_default_file_name_names_the_scope(run, tmp_path):
    result = run(str(SEED), "--tambon", "802103")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "graphmodel-view-tambon-802103.html\n", "")
    page = (tmp_path / "graphmodel-view-tambon-802103.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>graphmodel: tambon 802103 กะหรอ (Karo)</title>" in page


@pytest.mark.parametrize("args,name,scope,title", [
    ((), "graphmodel-view-all.html", Scope(), "graphmodel: whole graph"),
    (("--district", "8021", "--detail"), "graphmodel-view-district-8021.html", Scope("district", "8021"),
     "graphmodel: district 8021 นบพิตำ (Nopphitam)"),
    (("--province", "80", "--detail"), "graphmodel-view-province-80.html", Scope("province", "80"),
     "graphmodel: province 80 นครศรีธรรมราช (Nakhon Si Thammarat)"),
    (("--agency", "codi"), "graphmodel-view-agency-codi.html", Scope("agency", "codi"),
     "graphmodel: agency codi สถาบันพัฒนาองค์กรชุมชน (พอช.) (Community Organizations Development Institute (CODI))"),
])
def test_every_scope_writes_its_file(run, tmp_path, args, name, scope, title):
    result = run(str(SEED), *args)
    assert (result.exit_code, result.stdout) == (0, f"{name}\n")
    page = (tmp_path / name).read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in page
    # exactly the view of that scope (the command asks the backend for fewer pairs: none may be missing)
    backend = EmbeddedBackend(read_dataset(SEED))
    assert page == render_view(payload(backend), described_pairs(backend), scope=scope)
    vis = (REPO / "graphmodel" / "views" / "vendor" / "vis-network.min.js").read_text(encoding="utf-8")
    assert f"<script>{vis}</script>" in page


# --- --open: a real browser command, or none ------------------------------------------------

@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A machine whose only web browser is ``$BROWSER``: no display, no console
    browser on PATH; Python's webbrowser module reads that environment afresh,
    as it does in a new process (it otherwise keeps what it found first)."""
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "TERM", "BROWSER"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return monkeypatch


def _browser(folder: Path, exit_code: int) -> Path:
    """A browser command that writes the address it was given to ``opened.txt`` and exits ``exit_code``."""
    script = folder / "bin" / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" > "{folder / "opened.txt"}"\nexit {exit_code}\n')
    script.chmod(0o755)
    return script


def test_open_hands_the_file_to_the_browser(run, machine, tmp_path):
    machine.setenv("BROWSER", str(_browser(tmp_path, 0)))
    out = tmp_path / "sub" / "kalo.html"
    out.parent.mkdir()
    result = run(str(SEED), "--tambon", "802103", "-o", str(out), "--open")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{out}\n", "")
    assert (tmp_path / "opened.txt").read_text() == out.resolve().as_uri() + "\n"


@pytest.mark.parametrize("browser", ["none set", "not installed", "fails"])
def test_open_without_a_browser_says_where_the_file_is(run, machine, tmp_path, browser):
    if browser == "not installed":
        machine.setenv("BROWSER", str(tmp_path / "bin" / "no-such-browser"))
    elif browser == "fails":
        machine.setenv("BROWSER", str(_browser(tmp_path, 1)))
    result = run(str(SEED), "--tambon", "802103", "--open")
    where = tmp_path / "graphmodel-view-tambon-802103.html"
    assert (result.exit_code, result.stdout) == (0, "graphmodel-view-tambon-802103.html\n")
    assert result.stderr == f"Note: no web browser could be opened; the view is written to {where}\n"
    assert where.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "opened.txt").exists() is (browser == "fails")  # the failing browser did run


@pytest.mark.parametrize("args,line", [
    (("--tambon", "999999"), "Error: tambon 999999 is not a DOPA tambon code known to geothai"),
    (("--tambon", "100101"), "Error: tambon 100101 (พระบรมมหาราชวัง, Phra Borom Maha Ratchawang) is "
                             "not in this graph: no program, group or coordination link of the dataset "
                             "is in it"),
    (("--district", "80"), "Error: district '80' is not a 4-digit DOPA district code (e.g. 8021 for Nopphitam)"),
    (("--agency", "cod"), "Error: agency 'cod' is not in this graph; did you mean 'codi'?"),
    (("--agency", "codi_nst"), "Error: 'codi_nst' is a Fund, not an agency; --agency takes an agency id"),
])
def test_unknown_scope_exits_2_with_one_clear_line(run, tmp_path, args, line):
    result = run(str(SEED), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n")
    assert os.listdir(tmp_path) == []  # nothing written


def test_two_scopes_are_a_usage_error(run):
    result = run(str(SEED), "--tambon", "802103", "--agency", "codi")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: give at most one of --tambon, --district, --province, --agency, --nation; got --tambon, --agency")


def test_no_source_is_a_usage_error(run):
    result = run("--tambon", "802103")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: give a dataset folder DIR, or --neo4j URI to read from Neo4j")


def test_bad_dataset_exits_2(run, tmp_path):
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "agencies.csv").write_text("id,name,kind\ncodi,พอช.,ngo\n", encoding="utf-8")
    (tmp_path / "ds" / "programs.csv").write_text("id,name,themes,start_year,end_year\np,แผน,x,2006,2006\n",
                                                  encoding="utf-8")
    (tmp_path / "ds" / "implementation.csv").write_text("implementer,program\ncodi,p\n", encoding="utf-8")
    (tmp_path / "ds" / "locations.csv").write_text("program,tambon\np,802103\n", encoding="utf-8")
    result = run("ds", "--tambon", "802103")  # the tambon's program names the bad agency: it is read
    assert result.exit_code == 2 and result.stderr.startswith("Error: ds/agencies.csv:2: column 'kind'")


def test_unwritable_output_is_an_error_not_a_traceback(run, tmp_path):
    result = run(str(SEED), "-o", str(tmp_path / "missing" / "x.html"))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'missing' / 'x.html'}: cannot write: No such file or "
                             "directory (is the folder writable, and is there space on the disk?)\n")


@pytest.mark.parametrize("output, why", [
    ("", "'' names no file: give the HTML file to write, e.g. -o view.html"),
    (".", "File '.' is a directory."),  # click's own check
])
def test_an_output_with_no_file_name_is_one_error(run, tmp_path, output, why):
    """-o '' was a ValueError traceback (Path('').with_suffix); nothing is written."""
    result = run(str(SEED), "--tambon", "802103", "-o", output)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '-o' / '--output': {why}"
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


def test_help_has_examples(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "graphmodel view seed/nst-2006 --tambon 802103" in result.stdout
    for option in ("--tambon CODE", "--district CODE", "--province CODE", "--agency ID", "--open",
                   "--neo4j URI", "-o, --output FILE"):
        assert option in result.stdout


def test_too_large_names_the_folder_it_read_even_with_neo4j_uri_set(run, tmp_path, monkeypatch):
    """DIR on the command line wins over $NEO4J_URI, and so must the command the refusal suggests."""
    from strategies import write_dataset

    ids = [f"p{i:04}" for i in range(2_001)]
    folder = write_dataset(tmp_path / "big", {
        "agencies": [{"id": "a", "name": "A", "kind": "provincial"}],
        "programs": [{"id": p, "name": p, "themes": f"t{p}", "start_year": "2549", "end_year": "2549"}
                     for p in ids],
        "implementation": [{"implementer": "a", "program": p} for p in ids],
        "locations": [{"program": p, "tambon": "802103"} for p in ids]})
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # never contacted: DIR is given
    result = run(str(folder), "--province", "80", "--detail")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"draw the aggregated view instead: graphmodel view {folder} --province 80\n")
