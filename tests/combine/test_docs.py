"""docs/combine.md's console examples are real: each command runs from the repository's root (here a
folder whose docs/ is the repository's) and prints exactly what the page shows."""

from __future__ import annotations

import os
import re
import shlex

from click.testing import CliRunner

from graphmodel.cli import main

from paths import REPO

DOC = REPO / "docs" / "combine.md"


def _examples() -> list[tuple[str, str]]:
    """(command, output) for every ``$ `` line of every console block, in order."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = part.partition("\n")
            out.append((command, output))
    return out


def test_every_console_example_prints_what_the_page_shows(tmp_path):
    (tmp_path / "docs").symlink_to(REPO / "docs")
    examples = _examples()
    assert len(examples) == 4
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for command, output in examples:
            args = shlex.split(command)
            assert args[0] == "graphmodel", command
            result = CliRunner().invoke(main, args[1:])
            assert result.exit_code == 0, (command, result.output)
            assert result.stdout == output, command
    finally:
        os.chdir(here)
