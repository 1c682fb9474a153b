"""What the reader does to every cell before it checks it: clean, then look for hostile characters.

Cleaning (:func:`clean`; or :func:`normalise` once per file, then
:func:`strip` per cell): spaces and invisible format characters (zero-width
spaces and joiners, U+2060 WORD JOINER, U+FEFF, soft hyphens, ...) at the
start and end of a cell are removed; the text is NFC-normalised, and the Thai
spellings NFC leaves apart are joined (SARA AM typed as NIKHAHIT + SARA AA, a
tone mark typed before its vowel), so text typed with different input
methods compares equal.

Checking (:func:`hostile`): a cell must not hold control characters (C0 and
C1 controls other than tab and line breaks, and the bidirectional embedding,
override and isolate controls that make text display in another order than
it is stored); an id or code (ids, references, codes, years, amounts) must
hold no invisible character at all: no format character, no space other
than U+0020, no line break. So ``AG1`` and ``AG1\\u200b`` can never be two
ids: the trailing one is stripped, one inside is rejected.

Examples
--------
>>> clean(" \\u200bAG1\\ufeff ")
'AG1'
>>> hostile("AG\\u200b1", code=True)
('invisible-character', 3, '\\u200b')
>>> hostile("แผน\\u200bชุมชน", code=False) is None  # a word-break hint inside Thai text is kept
True
>>> hostile("ab\\x1b[31m", code=False)
('control-character', 3, '\\x1b')
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CELL_LIMIT", "ROW_LIMIT", "clean", "strip", "normalise", "hostile", "describe", "shorten"]

#: The longest cell the reader accepts, in characters (the default field limit of Python's csv module).
CELL_LIMIT = 131_072
#: The most characters a row may hold in all its cells together: two full cells. Every cell
#: becomes a property the loader sends and the server holds; this bounds what one record costs.
ROW_LIMIT = 2 * CELL_LIMIT

# Every format character (category Cf, Unicode 14): invisible, removed at the ends of a
# cell. A test checks this list against unicodedata.
CF_RANGES = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
             "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
             "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
             "\U000e0020-\U000e007f")
_EDGES = re.compile(f"^[\\s{CF_RANGES}]+|[\\s{CF_RANGES}]+$")
# Controls that reorder how text is displayed (embeddings, overrides, isolates).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\t\n\r")

# Thai spellings that look the same but are different code points. NFC does
# not join them: SARA AM (U+0E33) has only a compatibility decomposition into
# NIKHAHIT + SARA AA, and a tone mark typed before an above vowel (both
# combining, but the vowel has class 0) is not reordered.
_THAI_FIXES = (
    (re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32"), "\\1\u0e33"),  # ํ(tone)า -> (tone)ำ
    (re.compile("([\u0e48-\u0e4c]+)([\u0e31\u0e34-\u0e37\u0e47]+)"), "\\2\\1"),  # tone before vowel
)
_THAI_SUSPECT = re.compile("\u0e4d|[\u0e48-\u0e4c][\u0e31\u0e34-\u0e37\u0e47]")


def clean(text: str) -> str:
    """Strip spaces and invisible characters at the ends, NFC-normalise, join Thai look-alikes.

    >>> clean(" \u0e19\u0e49\u0e4d\u0e32 ") == "\u0e19\u0e49\u0e33"  # น้ำ typed as น ้ ํ า
    True
    >>> clean("\u0e17\u0e48\u0e35") == "\u0e17\u0e35\u0e48"  # ที่ typed tone first
    True
    >>> clean("cafe\u0301") == "caf\u00e9"  # NFD to NFC
    True
    """
    return strip(normalise(text))


def strip(text: str) -> str:
    """Strip spaces and invisible format characters at both ends of an already normalised cell.

    >>> strip(" \u200bAG1\u00a0\ufeff ")
    'AG1'
    """
    text = text.strip()
    if text and not (text[0].isprintable() and text[-1].isprintable()):
        text = _EDGES.sub("", text)
    return text


def normalise(text: str) -> str:
    """NFC, and the Thai look-alike spellings joined, in a cell or a whole file.

    Neither crosses a cell boundary (delimiters, quotes and line breaks
    never compose with a neighbour), so a CSV file normalised as one text
    gives the cells that normalising each would.
    """
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _THAI_SUSPECT.search(text):
        for pattern, replacement in _THAI_FIXES:
            text = pattern.sub(replacement, text)
    return text


def hostile(text: str, *, code: bool) -> tuple[str, int, str] | None:
    """The first hostile character of a cleaned cell: ``(slug, position, character)``, or None.

    ``control-character`` anywhere; ``invisible-character`` when ``code`` (an
    id or a code, where only visible characters and U+0020 are allowed).
    Positions count characters from 1.
    """
    if text.isprintable():  # the fast path: no control, format or separator character but ' '
        return None
    for i, ch in enumerate(text, 1):
        if ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch not in _LINE_BREAKS):
            return "control-character", i, ch
    if code:
        for i, ch in enumerate(text, 1):
            if not ch.isprintable():
                return "invisible-character", i, ch
    return None


def describe(ch: str) -> str:
    """A character as ``U+XXXX NAME`` (controls have no name).

    >>> describe("\\u200b"), describe("\\x00")
    ('U+200B ZERO WIDTH SPACE', 'U+0000')
    """
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def shorten(text: str, limit: int = 60) -> str:
    """The start of a long value, for a message.

    >>> shorten("x" * 100, 5)
    'xxxxx... (100 characters)'
    """
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"
