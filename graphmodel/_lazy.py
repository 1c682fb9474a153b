"""Names of a package imported when first used (PEP 562), so importing the package stays cheap.

>>> import types
>>> package = types.ModuleType("demo")
>>> package.__getattr__, package.__dir__ = lazy_names("json", {"dumps": ""}, lambda: ["x"])
>>> package.__getattr__("dumps")([1])
'[1]'
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

__all__ = ["lazy_names"]


def lazy_names(package: str, home: dict[str, str], names_here: Callable[[], list[str]]
               ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__``: each name of ``home`` is taken from the module
    it maps to (relative to ``package``; ``""``: the package itself) when first asked for."""
    def getattr_(name: str) -> object:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        where = home[name]
        return getattr(import_module(where, package) if where else import_module(package), name)

    def dir_() -> list[str]:
        return sorted({*names_here(), *home})

    return getattr_, dir_
