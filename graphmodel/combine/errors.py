"""The one error ``graphmodel combine`` raises on purpose (besides the dataset's and the writer's)."""

from __future__ import annotations

from ..errors import GraphmodelError

__all__ = ["CombineError"]


class CombineError(GraphmodelError):
    """A source that combine cannot read as what it looks like, or an output it cannot use (exit code 2).

    >>> print(CombineError("notes.txt: not a source graphmodel combine reads"))
    notes.txt: not a source graphmodel combine reads
    """

    exit_code = 2
