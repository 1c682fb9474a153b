"""One exception tree for the whole library.

Every error that graphmodel raises on purpose derives from
:class:`GraphmodelError`; the CLI turns it into ``Error: ...`` lines and a
non-zero exit code in one place (:mod:`graphmodel.cli`). Classes live where
they are raised; the whole tree is listed here, with each class's module
(under ``graphmodel.``) and the exit code the CLI gives it (2: the user
must change something: input, arguments, connection, place to write; 1:
otherwise). tests/test_errors.py walks the subclasses of
:class:`GraphmodelError` and keeps this list complete::

    GraphmodelError          errors              1
      AreaCodeError          geo                 2
      ArgumentError          errors              2
      BackendError           errors              1
        ConnectionFailed     errors              2
        UnknownDataset       neo4j.errors        2
        GraphChanged         neo4j.gate          1
        LoadUnderWay         neo4j.gate          1
      CombineError           combine.errors      2
      DatasetError           errors              2
      DiffError              analysis.diff       1
      ExportError            export.errors       2
      ImportFailed           importers.folder    2
      QueryError             errors              2
        QueryFileError       queries.library     2
      ScopeError             views.scope         2
      SynthError             errors              2
      ViewAssetError         views.html          1
      ViewTooLarge           views.scope         2
      WriteFailed            outputs             2

Catch :class:`GraphmodelError` to handle all of them. :class:`ArgumentError`
is also a :class:`ValueError` (a library function called with a value it
does not take), so code written against the standard exceptions keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

__all__ = [
    "GraphmodelError",
    "ArgumentError",
    "Problem",
    "DatasetError",
    "BackendError",
    "ConnectionFailed",
    "QueryError",
    "SynthError",
]


class GraphmodelError(Exception):
    """Root of every error graphmodel raises on purpose.

    ``exit_code`` is what the CLI exits with: 2 for bad input or an
    unreachable server (the user must change something), 1 otherwise.
    """

    exit_code = 1

    def lines(self) -> list[str]:
        """The message as the lines the CLI prints after ``Error: ``."""
        return [str(self)]


class ArgumentError(GraphmodelError, ValueError):
    """A library function was called with a value it does not take: an unknown format or
    level, two areas at once, a count below one.

    >>> isinstance(ArgumentError("k must be at least 1"), ValueError)
    True
    """

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file of a dataset.

    ``file`` is a CSV file's path or ``BOOK.xlsx[sheet]`` for a workbook's
    sheet. ``line`` follows spreadsheet numbering: the header is line 1, the
    first data row line 2 (a sheet's own row numbers). ``line`` and
    ``column`` are ``None`` when the problem concerns a whole file.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    slug: str
    expected: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return f"{': '.join(parts)}: {self.expected} [{self.slug}]"


class DatasetError(GraphmodelError):
    """A dataset failed validation.

    ``problems`` lists the problems to show (the reader keeps the first few
    of each file, see ``max_errors_per_file`` in
    :func:`graphmodel.dataset.read_dataset`); ``truncated`` counts the
    problems found but left out of ``problems``.

    >>> p = Problem("a.csv", 2, "id", "", "empty-value", "a non-empty id")
    >>> DatasetError([p], truncated=3).lines()[-1]
    '... and 3 more problems not shown (--max-errors 0 lists them all)'
    """

    exit_code = 2

    def __init__(self, problems: list[Problem], *, truncated: int = 0):
        self.problems = list(problems)
        self.truncated = truncated
        count = len(self.problems) + truncated
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in dataset")

    def __reduce__(self):
        # The default would call DatasetError(message) and lose the problems
        # (e.g. when an error crosses a process boundary).
        return (partial(type(self), truncated=self.truncated), (self.problems,))

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        if self.truncated:
            s = "s" if self.truncated != 1 else ""
            out.append(f"... and {self.truncated} more problem{s} not shown (--max-errors 0 lists them all)")
        return out


class BackendError(GraphmodelError):
    """A graph backend failed to store or answer (e.g. a Neo4j write failed)."""


class ConnectionFailed(BackendError):
    """The graph server cannot be reached, refuses the credentials, or lacks the database."""

    exit_code = 2


class QueryError(GraphmodelError):
    """A named or user Cypher query is malformed, lacks parameters, or was refused."""

    exit_code = 2


class SynthError(GraphmodelError):
    """``graphmodel synth`` cannot run as asked: an unknown province, a bad scale, a non-empty folder."""

    exit_code = 2
