"""``graphmodel combine``: what it prints, its exit codes and its help (in-process, exact lines)."""

from __future__ import annotations

from click.testing import CliRunner

from graphmodel.cli import main

from paths import REPO, SEED

EXAMPLE = REPO / "docs" / "examples" / "combine"


def run(*args: str):
    result = CliRunner().invoke(main, ["combine", *args])
    assert "Traceback" not in result.output
    return result


def test_the_review_loop_prints_counts_and_the_next_step(tmp_path):
    out = tmp_path / "nan"
    first = run(str(EXAMPLE / "nan-office"), str(EXAMPLE / "partners-3w.csv"), "-o", str(out))
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == f"Combined 2 sources into {out} (it passes graphmodel validate):"
    assert lines[3:5] == ["nan-office       folder  30", "partners-3w.csv  hxl     32"]
    assert lines[-3:] == [
        "No conflicts.",
        f"5 suggested aliases: review {out / 'aliases-suggested.csv'} (a column decision: same or different), "
        "save it as your aliases file and combine again with --aliases FILE.",
        f"Next: graphmodel overlaps {out}",
    ]
    second = run(str(EXAMPLE / "nan-office"), str(EXAMPLE / "partners-3w.csv"), "-o", str(out), "--force",
                 "--aliases", str(EXAMPLE / "aliases.csv"))
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[-4:] == [
        f"Applied 4 reviewed aliases from {EXAMPLE / 'aliases.csv'}.",
        f"1 conflict, the first source's value kept: see {out / 'combine-report.csv'}",
        f"1 suggested alias: review {out / 'aliases-suggested.csv'} (a column decision: same or different), "
        "save it as your aliases file and combine again with --aliases FILE.",
        f"Next: graphmodel overlaps {out}",
    ]
    info = CliRunner().invoke(main, ["info", str(out)])
    assert info.stdout.splitlines()[-1] == "parallel program pairs: 4 (2 uncoordinated, in 1 tambon)"


def test_bad_input_is_one_error_and_exit_2(tmp_path):
    missing = run(str(SEED), str(tmp_path / "gone.csv"), "-o", str(tmp_path / "out"))
    assert missing.exit_code == 2
    assert missing.stderr == (f"Error: {tmp_path / 'gone.csv'}: no such file or folder; give a dataset folder, "
                              "an Excel workbook (.xlsx), an IATI activity file (.xml) or an HXL 3W sheet (.csv)\n")
    (tmp_path / "aliases.csv").write_text("type,id,same_as\nagency,a,b\nagency,b,a\n", encoding="utf-8")
    cycle = run(str(SEED), "-o", str(tmp_path / "out"), "--aliases", str(tmp_path / "aliases.csv"))
    assert cycle.exit_code == 2
    assert cycle.stderr.splitlines()[0].startswith(f"Error: {tmp_path / 'aliases.csv'}:2: column 'same_as'")
    assert not (tmp_path / "out").exists()


def test_an_unknown_encoding_is_one_line(tmp_path):
    result = run(str(SEED), "-o", str(tmp_path / "out"), "--encoding", "klingon")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --encoding: value 'klingon': a text encoding Python knows, e.g. utf-8 or cp874 "
           "[unknown-encoding]\n")


def test_no_source_is_a_usage_error(tmp_path):
    result = run("-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "Missing argument 'SOURCE...'" in result.stderr


def test_max_errors_limits_the_lines(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "agencies.csv").write_text("id,name,kind\n" + "".join(f"a{i},x,nonsense\n" for i in range(5)), "utf-8")
    result = run(str(SEED), str(bad), "-o", str(tmp_path / "out"), "--max-errors", "2")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {bad / 'agencies.csv'}:2: column 'kind': value 'nonsense': one of local_government, line_agency, "
        "provincial, special_agency, community_network, academic, civil_society [unknown-kind]",
        f"Error: {bad / 'agencies.csv'}:3: column 'kind': value 'nonsense': one of local_government, line_agency, "
        "provincial, special_agency, community_network, academic, civil_society [unknown-kind]",
        "Error: ... and 3 more problems not shown (--max-errors 0 lists them all)",
    ]


def test_help_has_examples():
    result = CliRunner().invoke(main, ["combine", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "graphmodel combine docs/examples/combine/nan-office docs/examples/combine/partners-3w.csv -o nan" \
        in result.output
    assert "--aliases FILE" in result.output
