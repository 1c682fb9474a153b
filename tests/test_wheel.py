"""The built wheel works on its own: installed non-editable into a fresh virtual
environment and run from a folder outside the repository (issue 8: the Cypher
library ships inside the package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv

import pytest

from paths import REPO, SEED

pytestmark = pytest.mark.neo4j


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, check=False, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``graphmodel`` from a fresh venv holding only the wheel and its dependencies."""
    work = tmp_path_factory.mktemp("wheel")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"),
                  str(REPO)])
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("graphmodel-*.whl")
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / "bin" / "python"
    install = _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)])
    assert install.returncode == 0, install.stderr
    outside = work / "elsewhere"
    shutil.copytree(SEED, outside / "nst-2006")
    return work / "venv" / "bin" / "graphmodel", outside


def test_the_wheel_carries_the_cypher_library(installed, empty_neo4j):
    graphmodel, outside = installed
    env = {**os.environ, "NEO4J_URI": empty_neo4j.uri, "NEO4J_USER": empty_neo4j.user,
           "NEO4J_PASSWORD": empty_neo4j.password}
    listed = _run([str(graphmodel), "query", "--list"], cwd=outside, env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].split()[:2] == ["name", "params"]
    assert any(line.startswith("overlaps ") for line in listed.stdout.splitlines())
    # not run from the source tree: the library came from site-packages
    where = _run([str(graphmodel.parent / "python"), "-c",
                  "import importlib.resources as r; print(r.files('graphmodel.cypher'))"], cwd=outside)
    assert "site-packages" in where.stdout and str(REPO) not in where.stdout
    loaded = _run([str(graphmodel), "load", "nst-2006"], cwd=outside, env=env)
    assert loaded.returncode == 0, loaded.stderr
    from_server = _run([str(graphmodel), "overlaps", "--tambon", "802103", "--format", "json"], cwd=outside,
                       env=env)
    from_folder = _run([str(graphmodel), "overlaps", "nst-2006", "--tambon", "802103", "--format", "json"],
                       cwd=outside, env=env)
    assert from_server.returncode == from_folder.returncode == 0, from_server.stderr + from_folder.stderr
    assert from_server.stdout == from_folder.stdout
    assert '"tambon": "802103"' in from_server.stdout


def test_the_wheel_carries_the_report_templates(installed):
    """``graphmodel report`` reads its Jinja2 templates from the package (graphmodel/reports/templates)."""
    graphmodel, outside = installed
    made = _run([str(graphmodel), "report", "nst-2006", "--tambon", "802103", "-o", "r.html"], cwd=outside)
    assert made.returncode == 0, made.stderr
    page = (outside / "r.html").read_text(encoding="utf-8")
    assert "<title>Coordination report: tambon 802103 กะหรอ (Karo)</title>" in page and "<svg" in page
