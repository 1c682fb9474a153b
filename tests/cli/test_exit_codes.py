"""docs/cli.md's table of exit codes equals the code, and commands exit as it says."""

from __future__ import annotations

import importlib
import pkgutil
import re

from click.testing import CliRunner

import graphmodel
from graphmodel.cli import main
from graphmodel.errors import GraphmodelError

from paths import REPO, SEED


def _all_error_classes() -> set[type]:
    for module in pkgutil.walk_packages(graphmodel.__path__, "graphmodel."):
        importlib.import_module(module.name)
    found, todo = set(), [GraphmodelError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo += cls.__subclasses__()
    return found


def _documented() -> dict[str, int]:
    text = (REPO / "docs" / "cli.md").read_text("utf-8")
    out = {}
    for code, classes in re.findall(r"^\| (\d) \|[^|]*\| ([^|]*) \|$", text, re.M):
        for name in re.findall(r"`(\w+)`", classes):
            out[name] = int(code)
    return out


def test_every_error_class_is_documented_with_its_exit_code():
    documented = _documented()
    classes = {cls.__name__: cls.exit_code for cls in _all_error_classes()}
    assert documented == classes


def test_commands_exit_as_documented(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(SEED)]).exit_code == 0
    (tmp_path / "agencies.csv").write_text("id,name,kind\na,A,nonsense\n", "utf-8")
    (tmp_path / "programs.csv").write_text("id,name,themes,start_year,end_year\n", "utf-8")
    bad = runner.invoke(main, ["validate", str(tmp_path)])
    assert (bad.exit_code, bad.stderr.startswith("Error: ")) == (2, True)  # DatasetError
    assert runner.invoke(main, ["overlaps", str(SEED), "--tambon", "99"]).exit_code == 2  # AreaCodeError
    assert runner.invoke(main, ["view", str(SEED), "--agency", "nobody"]).exit_code == 2  # ScopeError
    assert runner.invoke(main, ["query", "no_such_query"]).exit_code == 2  # QueryError
    assert runner.invoke(main, ["diff", str(SEED)]).exit_code == 2  # usage: diff needs OLD and NEW
    unreachable = runner.invoke(main, ["info", "--neo4j", "bolt://127.0.0.1:1"])
    assert unreachable.exit_code == 2  # ConnectionFailed
    assert runner.invoke(main, ["overlaps", "--no-such-option"]).exit_code == 2  # click usage error
