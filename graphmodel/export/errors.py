"""The one error the exports raise on purpose (besides :class:`~graphmodel.outputs.WriteFailed`)."""

from __future__ import annotations

from ..errors import GraphmodelError

__all__ = ["ExportError"]


class ExportError(GraphmodelError):
    """The graph cannot be written as asked, or the output cannot be used (exit code 2).

    >>> print(ExportError("out.graphml: is a folder"))
    out.graphml: is a folder
    """

    exit_code = 2
