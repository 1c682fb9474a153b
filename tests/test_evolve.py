"""graphmodel/evolve.py (``graphmodel synth --evolve``): a generated dataset a year later.

Checked against the old folder's rows read independently with the csv
module: what ended is gone everywhere, what was added is whole, the links
added and lapsed are the ones the module docstring describes, the result
is a valid dataset, and the same input and seed give the same bytes.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from click.testing import CliRunner

from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.evolve import _LINE, evolve
from graphmodel.synth import synthesize


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_year_later_of_phuket(synth_dir, tmp_path):
    s = evolve(synth_dir, tmp_path / "next", seed=3)
    old, new = synth_dir, tmp_path / "next"
    read_dataset(new)  # a valid dataset
    old_ids = {r["id"] for r in rows(old, "programs")}
    new_ids = {r["id"] for r in rows(new, "programs")}
    ended, added = old_ids - new_ids, new_ids - old_ids
    assert (len(ended), len(added)) == (s.ended, s.added) and ended and added
    for name, column in (("funding", "program"), ("implementation", "program"), ("locations", "program")):
        assert not {r[column] for r in rows(new, name)} & ended, name
    assert not {x for r in rows(new, "coordination") for x in (r["a"], r["b"])} & ended
    # Each new program: a local government's, funded by its fund, run by it, located in its tambon.
    for pid in added:
        code = pid[2:8]
        assert pid.startswith(f"lg{code}_n")
        assert [r["fund"] for r in rows(new, "funding") if r["program"] == pid] == [f"lg{code}_f"]
        assert [r["implementer"] for r in rows(new, "implementation") if r["program"] == pid] == [f"lg{code}"]
        assert [r["tambon"] for r in rows(new, "locations") if r["program"] == pid] == [code]
    # Locations of programs that stay: only programs beyond one tambon leave some, never a local one.
    key = lambda r: (r["program"], r["tambon"])  # noqa: E731
    left = {key(r) for r in rows(old, "locations") if r["program"] not in ended} - {key(r) for r in rows(new, "locations")}
    assert len(left) == s.left and all(not p.startswith("lg") for p, _ in left)
    # Links: the lapsed ones were limited to a tambon; the new ones join a local government or the
    # planning office to a line agency.
    link = lambda r: (min(r["a"], r["b"]), max(r["a"], r["b"]), r["tambon"])  # noqa: E731
    before = {link(r) for r in rows(old, "coordination") if not {r["a"], r["b"]} & ended}
    after = {link(r) for r in rows(new, "coordination")}
    assert len(before - after) == s.links_removed and all(t for _, _, t in before - after)
    assert len(after - before) == s.links_added > 0
    assert all({a, b} & set(_LINE) and ({a, b} - set(_LINE)).pop()[:2] in ("lg", "pl") for a, b, _ in after - before)
    assert s.rows["programs"] == s.old_rows["programs"] - s.ended + s.added


def test_same_input_and_seed_same_bytes(synth_dir, tmp_path):
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        evolve(synth_dir, tmp_path / name, seed=seed)
    files = ("programs.csv", "locations.csv", "coordination.csv")
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert any((tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes() for f in files)


def test_a_provinces_changes_do_not_depend_on_the_others(tmp_path):
    """Krabi evolved alone, and with Phuket: the same programs and locations for Krabi."""
    synthesize(tmp_path / "krabi", provinces=["81"], scale=0.2)
    synthesize(tmp_path / "both", provinces=["81", "83"], scale=0.2)
    evolve(tmp_path / "krabi", tmp_path / "krabi-next")
    evolve(tmp_path / "both", tmp_path / "both-next")

    def krabi(folder: Path, name: str) -> list[dict[str, str]]:
        column = "id" if name == "programs" else "program"
        return [r for r in rows(folder, name) if re.search(r"\d+", r[column]).group().startswith("81")]

    for name in ("programs", "locations", "funding"):
        assert krabi(tmp_path / "krabi-next", name) == krabi(tmp_path / "both-next", name), name
    assert krabi(tmp_path / "krabi-next", "programs") != krabi(tmp_path / "krabi", "programs")


def test_cli(synth_dir, tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["synth", "--evolve", str(synth_dir), "-o", str(tmp_path / "next")])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0].startswith(f"{tmp_path / 'next'}: {synth_dir} a year later: ")
    again = runner.invoke(main, ["synth", "--evolve", str(synth_dir), "-o", str(tmp_path / "next")])
    assert again.exit_code == 2 and again.stderr.startswith("Error: ") and "not empty" in again.stderr
    both = runner.invoke(main, ["synth", "--evolve", str(synth_dir), "--all", "-o", str(tmp_path / "x")])
    assert both.exit_code == 2 and "not both" in both.stderr
    missing = runner.invoke(main, ["synth", "--evolve", str(tmp_path / "nowhere"), "-o", str(tmp_path / "y")])
    assert missing.exit_code == 2 and "agencies.csv: cannot read it" in missing.stderr
    assert not (tmp_path / "y").exists()


def test_a_full_disk_is_one_error_and_no_folder_left(synth_dir, tmp_path):
    """The next snapshot is written whole or not at all (graphmodel/outputs.py's atomic folder)."""
    from faults import in_child

    out = tmp_path / "next"

    def run() -> str:
        result = CliRunner().invoke(main, ["synth", "--evolve", str(synth_dir), "-o", str(out)])
        return f"{result.exit_code} {result.stderr}"

    outcome = in_child(run, max_file_bytes=4096)  # programs.csv alone is far larger
    assert outcome == (f"2 Error: {out}: cannot write: File too large (is the folder writable, and is there "
                       "space on the disk?)\n")
    assert list(tmp_path.iterdir()) == []
