"""The theme vocabulary: the seed's themes with their Thai and English synonyms.

Sources spell one theme many ways (``Livelihoods``, ``livelihood``,
``อาชีพ``); the rule compares programs on the themes they *share*, so two
spellings of one theme would never meet. ``themes.csv`` (shipped with the
package) lists each theme code with its Thai and English names and
synonyms; :func:`theme_of` maps free text through it. The importers map
every sector that is not a DAC code through it, and ``graphmodel
combine`` maps the themes of every source through it.

Text is compared by a key: the importers' :func:`~graphmodel.importers.names.slug`
(lower case, NFC, runs of other characters as ``_``) with English plurals
made singular word by word (``farmers_groups`` and ``farmer_group`` meet).

Examples
--------
>>> theme_of("Livelihoods"), theme_of("livelihood"), theme_of("อาชีพ"), theme_of("occupation")
('occupation', 'occupation', 'occupation', 'occupation')
>>> theme_of("Community planning"), theme_of("Basket weaving")
('community_planning', 'basket_weaving')
>>> vocabulary_theme("Poverty_Data"), vocabulary_theme("basket_weaving") is None
('poverty_data', True)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .names import slug

__all__ = ["Theme", "THEMES_FILE", "themes", "theme_key", "theme_of", "vocabulary_theme"]

#: The vocabulary, inside the package (``graphmodel/importers/themes.csv``).
THEMES_FILE = "themes.csv"
_PLURAL = re.compile(r"(?<=[a-z]{3})(?<![su])s(?=_|$)")


@dataclass(frozen=True)
class Theme:
    """One theme of the vocabulary: its code, Thai and English names, and other spellings."""

    code: str
    name: str
    name_en: str
    synonyms: tuple[str, ...]


def theme_key(text: str) -> str:
    """What two spellings of one theme have in common: the slug, English plurals made singular.

    >>> theme_key("Farmers' groups"), theme_key("farmer_group"), theme_key("Poverty  Data")
    ('farmer_group', 'farmer_group', 'poverty_data')
    >>> theme_key("ความยากจน"), theme_key("news"), theme_key("census")
    ('ความยากจน', 'new', 'census')
    """
    key = slug(text)
    return _PLURAL.sub("", key) if key.isascii() else key


@cache
def themes() -> tuple[Theme, ...]:
    """The vocabulary, in file order."""
    text = resources.files(__package__).joinpath(THEMES_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(Theme(r["theme"], r["name"], r["name_en"],
                       tuple(s.strip() for s in r["synonyms"].split(";") if s.strip())) for r in rows)


@cache
def _lookup() -> dict[str, str]:
    """Key of every code, name and synonym -> its theme code (a test keeps the keys unambiguous)."""
    out: dict[str, str] = {}
    for theme in themes():
        for text in (theme.code, theme.name, theme.name_en, *theme.synonyms):
            out.setdefault(theme_key(text), theme.code)
    return out


def vocabulary_theme(text: str) -> str | None:
    """The vocabulary's code for ``text`` (a code, a name or a synonym), or None."""
    return _lookup().get(theme_key(text))


def theme_of(text: str) -> str:
    """A theme code for free text: the vocabulary's, else the text's own slug."""
    return vocabulary_theme(text) or slug(text)
