"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles.

Reading a national dataset, building the analyses' indexes over it and
streaming a million pairs make millions of objects, none in a reference
cycle. The cyclic collector would scan the growing heap again and again
(about 40 % of the reading time, and a quarter of the rest of ``graphmodel
overlaps`` at 10 % of Thailand, measured). Reference counting still frees
everything as usual. The reader, :class:`~graphmodel.analysis.facts.Facts`
and the report writers pause it.

>>> import gc
>>> with no_cyclic_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

__all__ = ["no_cyclic_gc", "freeze_lasting_data"]

#: Whether :func:`no_cyclic_gc` freezes what a ``lasting`` block built (:func:`freeze_lasting_data`).
_freeze = False


def freeze_lasting_data(on: bool = True) -> None:
    """Let ``no_cyclic_gc(lasting=True)`` move the objects the process holds out of the collector's
    sight when the block ends (``gc.freeze``). The ``graphmodel`` command turns it on: it owns its
    process, whose data lives until it ends; a library caller's process keeps the default (off),
    since freezing would also keep any of its own reference cycles that are garbage at that moment.
    """
    global _freeze
    _freeze = on


@contextlib.contextmanager
def no_cyclic_gc(*, lasting: bool = False) -> Iterator[None]:
    """Switch the cyclic collector off for the block, back on after (if it was on).

    With ``lasting`` the block builds data that lives on (a dataset, the
    analyses' indexes): where :func:`freeze_lasting_data` is on (the
    ``graphmodel`` command), the objects the process holds are then moved out
    of the collector's sight (``gc.freeze``), so it does not scan the millions
    just made three times over as they age (about two seconds of a national
    ``overlaps``, measured). Reference counting still frees them when they go.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if lasting and _freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
