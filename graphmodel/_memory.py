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

__all__ = ["no_cyclic_gc"]


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Switch the cyclic collector off for the block, back on after (if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
