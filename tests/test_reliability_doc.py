"""docs/reliability.md names tests that exist: every ``path::name`` is a test function there."""

from __future__ import annotations

import ast
import re

from paths import REPO

DOC = REPO / "docs" / "reliability.md"


def _named() -> list[tuple[str, str]]:
    """(file, test) for every reference: ``tests/x.py::name``, or ``::name`` after one in the same line."""
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        path = None
        for ref in re.findall(r"`((?:tests/[\w/]+\.py)?::\w+)(?:\[[^\]]*\])?`", line):
            file, _, name = ref.partition("::")
            path = file or path
            assert path, f"{ref} has no file before it: {line}"
            out.append((path, name))
    return out


def test_every_test_named_exists():
    named = _named()
    assert len(named) > 60
    for path, name in named:
        tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
        functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert name in functions, f"{path}::{name}"
