"""``graphmodel synth`` run in-process with click's CliRunner: output, exact errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphmodel.cli import main

USAGE = ["Usage: graphmodel synth [OPTIONS]", "Try 'graphmodel synth --help' for help.", ""]


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke ``graphmodel ARGS...`` in tmp_path; no traceback may ever reach the output."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        result = CliRunner().invoke(main, list(args), prog_name="graphmodel")
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return invoke


def test_writes_a_province_and_prints_the_rows_per_file(run, tmp_path):
    result = run("synth", "--provinces", "81", "-o", "krabi")
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0] == "krabi: 1 province, 8 districts, 53 tambons"
    # Rows per file as the files hold them (data lines; the header is not counted).
    table = dict(line.split() for line in out[3:12])
    for name, rows in table.items():
        if name != "total":
            assert int(rows) == len((tmp_path / "krabi" / name).read_text(encoding="utf-8").splitlines()) - 1
    assert table["programs.csv"] == "1917" and table["total"] == "9758"
    assert out[12].startswith("relationships: 7,835; ") and out[12].endswith(" s")
    assert run("validate", "krabi").output.startswith("krabi: valid\n")


def test_unknown_province_is_a_usage_error_naming_it(run, tmp_path):
    result = run("synth", "--provinces", "81,99", "-o", "out")
    assert result.exit_code == 2
    assert result.output.splitlines() == USAGE + [
        "Error: Invalid value for '--provinces': unknown province code '99': "
        "2-digit DOPA province codes such as 81 (Krabi)"]
    assert not (tmp_path / "out").exists()


def test_a_non_empty_folder_is_refused(run, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    result = run("synth", "--provinces", "83", "-o", "out")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: out: an empty folder to write the dataset into; this one is not empty "
        "(--force overwrites the dataset files in it)"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]
    assert run("synth", "--provinces", "83", "-o", "out", "--force").exit_code == 0
    assert (tmp_path / "out" / "programs.csv").is_file()


@pytest.mark.parametrize("args, message", [
    ((), "Error: give --provinces CODES or --all"),
    (("--all", "--provinces", "81"), "Error: give --provinces CODES or --all, not both"),
    (("--provinces", ","), "Error: Invalid value for '--provinces': no province codes: give at least one, "
                           "e.g. 81 (Krabi)"),
    (("--provinces", "83", "--scale", "0"), "Error: Invalid value for '--scale': 0.0 is not in the range x>0."),
])
def test_usage_errors(run, args, message):
    result = run("synth", *args, "-o", "out")
    assert result.exit_code == 2
    assert result.output.splitlines() == USAGE + [message]


def test_help_has_examples(run):
    result = run("synth", "--help")
    assert result.exit_code == 0
    assert "graphmodel synth --provinces 81 -o krabi" in result.output
    assert "graphmodel synth --all -o thailand" in result.output


def test_the_same_command_twice_gives_the_same_files(run, tmp_path):
    for name in ("a", "b"):
        assert run("synth", "--provinces", "83", "--scale", "0.3", "--seed", "5", "-o", name).exit_code == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files:
        assert Path(tmp_path / "a" / name).read_bytes() == Path(tmp_path / "b" / name).read_bytes()
