"""graphmodel/outputs.py: files for people are written whole or not at all (issue 12, section 2).

Real faults, not mocks (tests/faults.py): a read-only folder (the child
process drops to ``nobody``) and a full disk (the child's RLIMIT_FSIZE is
lowered so a write fails half-way). Each writer of the project that makes a
file a person opens is run through both: ``graphmodel view`` and
``graphmodel report`` (HTML pages; the report's Markdown form too),
``graphmodel template`` (a workbook), ``graphmodel synth`` and
``graphmodel combine`` (dataset folders) and ``graphmodel export`` (a GraphML file); CSV outputs and import reports have theirs in tests/test_safecsv.py
and tests/importers/. Add every new output here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from graphmodel.errors import GraphmodelError
from graphmodel.outputs import WriteFailed, atomic_file, write_text, writing

from faults import in_child, read_only_folder, remove, seal
from paths import SEED, SEED_COORDINATED

HINT = "(is the folder writable, and is there space on the disk?)"

#: Each output command, with ``{out}`` for the file or folder it writes.
OUTPUTS = {
    "view": ["view", str(SEED), "--tambon", "802103", "-o", "{out}"],
    "template": ["template", "-o", "{out}"],
    "synth": ["synth", "--provinces", "81", "--scale", "0.2", "-o", "{out}"],
    "export": ["export", str(SEED), "--format", "graphml", "-o", "{out}"],
    "report": ["report", str(SEED), "--tambon", "802103", "-o", "{out}"],
    "combine": ["combine", str(SEED), str(SEED_COORDINATED), "-o", "{out}"],
}
NAMES = {"view": "page.html", "template": "book.xlsx", "synth": "krabi", "export": "graph.graphml",
         "report": "report.html", "combine": "combined"}
#: The outputs that are folders (written whole through graphmodel.outputs.atomic_folder).
FOLDERS = {"synth", "combine"}
#: The file named when a full disk stops a folder (synth names the folder; combine the file that did
#: not fit: locations.csv, the seed's first file over 4 kB).
FULL = {"combine": "{out}/locations.csv"}


def _cli_in_child(args: list[str], out: Path) -> str:
    result = CliRunner().invoke(main, [a.format(out=out) for a in args])
    return f"{result.exit_code} {result.stderr}"


@pytest.fixture(scope="module", autouse=True)
def imported(tmp_path_factory):
    """Run each command once here first: a child that turns into ``nobody`` may be unable to
    read the Python installation, so every module (and codec) it needs must be loaded before."""
    folder = tmp_path_factory.mktemp("warm")
    for command, args in OUTPUTS.items():
        assert _cli_in_child(args, folder / NAMES[command]).startswith("0 ")


def test_a_new_file_and_no_temporary_left(tmp_path):
    with atomic_file(tmp_path / "a.bin", binary=True) as fh:
        fh.write(b"\x00\xff")
    write_text(tmp_path / "b.html", "กะหรอ\r\n")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\xff"
    assert (tmp_path / "b.html").read_bytes() == "กะหรอ\r\n".encode()  # as written: no newline translation
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", "b.html"]


def test_an_error_in_the_block_keeps_the_old_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(ZeroDivisionError):
        with atomic_file(path) as fh:
            fh.write("new, half")
            1 / 0
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_writing_names_the_output():
    with pytest.raises(WriteFailed) as info:
        with writing("out"):
            raise OSError(28, "No space left on device")
    assert str(info.value) == f"out: cannot write: No space left on device {HINT}"
    assert isinstance(info.value, GraphmodelError) and info.value.exit_code == 2


@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_read_only_folder_is_one_error_and_the_old_output_stays(command):
    folder = read_only_folder()
    out = folder / NAMES[command]
    try:
        if command in FOLDERS:
            out.mkdir()
        else:
            out.write_text("old", encoding="utf-8")
        seal(folder)
        if command in FOLDERS:
            seal(out)
        outcome = in_child(lambda: _cli_in_child(OUTPUTS[command], out), unprivileged=True)
        assert outcome == f"2 Error: {out}: cannot write: Permission denied {HINT}\n"
        if command in FOLDERS:
            assert list(out.iterdir()) == []
        else:
            assert out.read_text(encoding="utf-8") == "old"
        assert sorted(p.name for p in folder.iterdir()) == [NAMES[command]]
    finally:
        if command in FOLDERS:
            out.chmod(0o755)
        remove(folder)


@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_full_disk_is_one_error_and_no_partial_output(command, tmp_path):
    out = tmp_path / NAMES[command]
    if command not in FOLDERS:
        out.write_text("old", encoding="utf-8")
    # every output is far larger than 4 kB: the page inlines vis-network, the workbook and the
    # folder's agencies.csv are tens of kB
    outcome = in_child(lambda: _cli_in_child(OUTPUTS[command], out), max_file_bytes=4096)
    named = FULL.get(command, "{out}").format(out=out)
    assert outcome == f"2 Error: {named}: cannot write: File too large {HINT}\n"
    if command in FOLDERS:
        assert not out.exists()  # the run made the folder, and took it away again
        assert list(tmp_path.iterdir()) == []
    else:
        assert out.read_text(encoding="utf-8") == "old"
        assert [p.name for p in tmp_path.iterdir()] == [NAMES[command]]


@pytest.mark.parametrize("fault", ["read-only", "full disk"])
def test_markdown_report_and_its_charts_whole_or_not_at_all(fault, tmp_path):
    """The Markdown report writes its two charts and the .md to temporary names, then renames them:
    the first file that fails is named, and nothing of the report is left."""
    args = ["report", str(SEED), "--tambon", "802103", "-o", "{out}"]
    folder = read_only_folder() if fault == "read-only" else tmp_path
    out = folder / "report.md"
    try:
        if fault == "read-only":
            seal(folder)
            outcome = in_child(lambda: _cli_in_child(args, out), unprivileged=True)
            reason = "Permission denied"
        else:
            # the money chart (one bar, ~4 kB) fits in 4,500 bytes, the share chart does not
            outcome = in_child(lambda: _cli_in_child(args, out), max_file_bytes=4500)
            reason = "File too large"
        failed = "report.money.svg" if fault == "read-only" else "report.share.svg"
        assert outcome == f"2 Error: {folder / failed}: cannot write: {reason} {HINT}\n"
        assert list(folder.iterdir()) == []
    finally:
        if fault == "read-only":
            remove(folder)


@pytest.mark.parametrize("limit, failed", [(4500, "report.share.svg"), (6000, "report.md")],
                         ids=["a-chart-fails", "the-markdown-fails"])
def test_a_markdown_report_over_an_older_one_on_a_full_disk_leaves_the_older_one_whole(tmp_path, limit, failed):
    """Over an older report the charts were replaced one by one: a full disk at the second chart
    (or at the .md) left the old report.md beside new charts. Every file is written to a
    temporary name first, and only when all are written are they renamed into place."""
    old = {"report.md": "old report", "report.money.svg": "<svg>old money</svg>",
           "report.share.svg": "<svg>old share</svg>"}
    for name, text in old.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    args = ["report", str(SEED), "--tambon", "802103", "-o", "{out}"]
    # the charts are 3.7 and 5.3 kB, the Markdown 6.8 kB: 4,500 bytes hold the money chart only,
    # 6,000 both charts and not the Markdown
    outcome = in_child(lambda: _cli_in_child(args, tmp_path / "report.md"), max_file_bytes=limit)
    assert outcome == f"2 Error: {tmp_path / failed}: cannot write: File too large {HINT}\n"
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == old
