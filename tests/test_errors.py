"""graphmodel/errors.py: one exception tree, problems as spreadsheet-like lines, exit codes."""

from __future__ import annotations

import importlib
import pickle
import pkgutil

import pytest

import graphmodel
from graphmodel import errors
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


def documented_tree() -> dict[str, tuple[str | None, int]]:
    """The tree listed in graphmodel/errors.py's docstring: class -> (parent class, exit code),
    classes named by their full dotted path, the parent given by the indentation."""
    lines = errors.__doc__.split("::\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    tree, parents = {}, []
    for line in lines:
        depth = (len(line) - len(line.lstrip())) // 2 - 2  # the block is indented by 4
        name, module, code = line.split()
        full = f"graphmodel.{module}.{name}"
        del parents[depth:]
        tree[full] = (parents[-1] if parents else None, int(code))
        parents.append(full)
    return tree


def test_the_docstring_lists_the_whole_tree_with_exit_codes():
    classes = all_error_classes()
    documented = documented_tree()
    assert set(classes) == set(documented), "list a new error class in graphmodel/errors.py's docstring"
    for name, cls in classes.items():
        bases = [b for b in cls.__bases__ if issubclass(b, GraphmodelError)]
        parent = f"{bases[0].__module__}.{bases[0].__qualname__}" if bases else None
        assert documented[name] == (parent, cls.exit_code), name


def test_argument_errors_are_graphmodel_errors_and_value_errors():
    from graphmodel.analysis.areas import Area
    from graphmodel.analysis.summary import summarise

    for call in (lambda: Area.of(tambon="801208", province="80"), lambda: list(summarise([], "village"))):
        with pytest.raises(errors.ArgumentError) as caught:
            call()
        assert isinstance(caught.value, ValueError) and caught.value.exit_code == 2


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
