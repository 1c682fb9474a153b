"""graphmodel/errors.py: one exception tree, problems as spreadsheet-like lines, exit codes."""

from __future__ import annotations

import importlib
import pickle
import pkgutil

import pytest

import graphmodel
from graphmodel.errors import (
    BackendError, ConnectionFailed, DatasetError, GraphmodelError, Problem, QueryError, SynthError,
)


# --- one problem, one line ----------------------------------------------------------------------------

@pytest.mark.parametrize("problem, line", [
    (Problem("seed/agencies.csv", 3, "kind", "ministry", "bad-enum", "one of line_agency, provincial"),
     "seed/agencies.csv:3: column 'kind': value 'ministry': one of line_agency, provincial [bad-enum]"),
    (Problem("seed/funds.csv", 2, "agency", "", "empty-value", "a non-empty agency"),
     "seed/funds.csv:2: column 'agency': value '': a non-empty agency [empty-value]"),
    (Problem("seed/programs.csv", 7, None, None, "bad-row", "as many cells as the header"),
     "seed/programs.csv:7: as many cells as the header [bad-row]"),
    (Problem("seed/programs.csv", None, None, None, "missing-file",
             "a file programs.csv with columns id, name"),
     "seed/programs.csv: a file programs.csv with columns id, name [missing-file]"),
    (Problem("seed/groups.csv", 1, "tambon", None, "missing-column", "a column tambon"),
     "seed/groups.csv:1: column 'tambon': a column tambon [missing-column]"),
    (Problem("ข้อมูล/locations.csv", 4, "tambon", "กะหรอ", "bad-code", "a 6-digit DOPA tambon code"),
     "ข้อมูล/locations.csv:4: column 'tambon': value 'กะหรอ': a 6-digit DOPA tambon code [bad-code]"),
])
def test_problem_line(problem, line):
    assert str(problem) == line


def problems(n: int) -> list[Problem]:
    return [Problem("d/agencies.csv", i + 2, "id", f"a{i}", "duplicate-id", "each id once") for i in range(n)]


def test_dataset_error_lines():
    error = DatasetError(problems(2))
    assert str(error) == "2 problems in dataset"
    assert error.lines() == ["d/agencies.csv:2: column 'id': value 'a0': each id once [duplicate-id]",
                             "d/agencies.csv:3: column 'id': value 'a1': each id once [duplicate-id]"]
    assert str(DatasetError(problems(1))) == "1 problem in dataset"


def test_dataset_error_truncation_line():
    error = DatasetError(problems(3), truncated=12_997)
    assert str(error) == "13000 problems in dataset"  # those shown and those not
    assert len(error.lines()) == 4
    assert error.lines()[-1] == "... and 12997 more problems not shown (--max-errors 0 lists them all)"


def test_dataset_error_survives_pickling():
    error = pickle.loads(pickle.dumps(DatasetError(problems(2), truncated=5)))
    assert (error.problems, error.truncated, str(error)) == (problems(2), 5, "7 problems in dataset")


def test_other_errors_are_one_line():
    assert QueryError("query 'q' needs parameter 'x'").lines() == ["query 'q' needs parameter 'x'"]
    assert GraphmodelError("x").lines() == ["x"]


# --- exit codes -------------------------------------------------------------------------------------------

#: Every error graphmodel raises on purpose, and the exit code the CLI gives it:
#: 2 when the user must change something (input, connection, place to write), 1 otherwise.
EXIT_CODES = {
    "graphmodel.errors.GraphmodelError": 1,
    "graphmodel.errors.DatasetError": 2,
    "graphmodel.errors.BackendError": 1,
    "graphmodel.errors.ConnectionFailed": 2,
    "graphmodel.errors.QueryError": 2,
    "graphmodel.errors.SynthError": 2,
    "graphmodel.neo4j.library.QueryFileError": 2,
    "graphmodel.geo.AreaCodeError": 2,
    "graphmodel.views.scope.ScopeError": 2,
    "graphmodel.views.scope.ViewTooLarge": 2,
    "graphmodel.views.html.ViewAssetError": 1,
    "graphmodel.outputs.WriteFailed": 2,
    "graphmodel.importers.folder.ImportFailed": 2,
    "graphmodel.export.errors.ExportError": 2,
    "graphmodel.neo4j.gate.LoadUnderWay": 1,
    "graphmodel.neo4j.gate.GraphChanged": 1,
    "graphmodel.neo4j.load.steps.DatasetNotLoaded": 2,
}


def all_error_classes() -> dict[str, type]:
    """Every subclass of GraphmodelError defined in graphmodel (each module imported first)."""
    for info in pkgutil.walk_packages(graphmodel.__path__, "graphmodel."):
        importlib.import_module(info.name)
    found, todo = {}, [GraphmodelError]
    while todo:
        cls = todo.pop()
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
        todo += cls.__subclasses__()
    return {name: cls for name, cls in found.items() if name.startswith("graphmodel.")}


def test_every_error_class_has_its_documented_exit_code():
    classes = all_error_classes()
    assert set(classes) == set(EXIT_CODES), "add a new error class to EXIT_CODES with its exit code"
    assert {name: cls.exit_code for name, cls in classes.items()} == EXIT_CODES


def test_the_tree():
    assert issubclass(ConnectionFailed, BackendError)
    for cls in (DatasetError, BackendError, QueryError, SynthError):
        assert cls.__bases__ == (GraphmodelError,)
    assert issubclass(GraphmodelError, Exception) and not issubclass(GraphmodelError, ValueError)


def test_the_cli_prints_error_lines_and_exits_with_the_code(tmp_path):
    from click.testing import CliRunner

    from graphmodel.cli import main

    (tmp_path / "agencies.csv").write_text("id,name,kind\na,A,ministry\na,A,provincial\n", "utf-8")
    (tmp_path / "programs.csv").write_text("id,name,themes,start_year,end_year\n", "utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == DatasetError.exit_code == 2
    assert all(line.startswith("Error: ") for line in result.stderr.splitlines())
    assert "Traceback" not in result.output
    assert f"Error: {tmp_path / 'agencies.csv'}:2: column 'kind': value 'ministry'" in result.stderr
