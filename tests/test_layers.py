"""No import runs back up a layer: the analyses and the query library sit below graphmodel.neo4j.

The analyses name their Cypher twins in the query library (graphmodel/queries/) and
run them through a backend; neither they nor the library may reach the Neo4j package or
the driver, so a folder never needs them. Checked twice: what a fresh interpreter
holds after importing them, and every import statement in their source (one inside a
function included, which an import alone would not run).
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest

import graphmodel.analysis
import graphmodel.queries

from imports import imports_of, modules_after, within
from paths import REPO

#: The layers below graphmodel.neo4j, and what they must not import.
BELOW_NEO4J = (graphmodel.analysis, graphmodel.queries)
ABOVE = ("neo4j", "graphmodel.neo4j")


def modules_of(package) -> list[str]:
    return [package.__name__, *(info.name for info in pkgutil.walk_packages(package.__path__,
                                                                             package.__name__ + "."))]


def test_importing_the_analyses_and_the_query_library_imports_no_neo4j():
    names = [name for package in BELOW_NEO4J for name in modules_of(package)]
    assert len(names) > 15 and "graphmodel.analysis.overlaps" in names
    found = modules_after("import " + ", ".join(names))
    assert set(names) <= found
    assert within(found, *ABOVE) == set()


@pytest.mark.parametrize("package", BELOW_NEO4J, ids=lambda p: p.__name__)
def test_no_import_statement_reaches_up(package):
    sources = sorted(Path(package.__path__[0]).rglob("*.py"))
    assert sources
    for path in sources:
        assert within(imports_of(path), *ABOVE) == set(), path


def test_imports_of_resolves_relative_imports():
    found = imports_of(REPO / "graphmodel" / "cli" / "neo4j.py")  # ``from ..neo4j.runner import ...``
    assert "graphmodel.neo4j.runner" in found and within(found, *ABOVE)
    assert "graphmodel.queries" in imports_of(REPO / "graphmodel" / "analysis" / "registry.py")


def test_a_folder_command_does_not_import_the_driver():
    """``graphmodel overlaps DIR`` never talks to Neo4j, so it does not pay for importing the driver
    (a quarter of a second of every start, pandas included when installed)."""
    found = modules_after("import sys; from graphmodel.cli import main\n"
                          "sys.argv = ['graphmodel', 'overlaps', 'seed/nst-2006', '--format', 'csv']\n"
                          "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code")
    assert "graphmodel.analysis.overlaps" in found
    assert within(found, "neo4j") == set()  # the driver (graphmodel.neo4j's light modules may load)
