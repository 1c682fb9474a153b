"""Bar charts for the report, drawn by matplotlib as SVG text: offline, no file, no font fetched.

:func:`bar_chart` draws one horizontal bar per area and returns the SVG as a
string (no XML declaration, so it can stand inside an HTML page or be
written as a ``.svg`` file). Text stays text (``svg.fonttype = none``): the
browser draws the Thai names with its own Thai fonts, and a reader can
select and search them. matplotlib escapes every text and attribute it
writes; labels are also kept from its maths parser (``parse_math=False``),
so a ``$`` in a name is a dollar sign. The output does not depend on the
clock or the machine (no metadata, a fixed id salt).

Examples
--------
>>> svg = bar_chart(["8012 ปากพนัง (Pak Phanang)", "8021 <b>"], [0.125, None], ["12.5 % of 8", "no pairs"],
...                 title="Share coordinated", axis="coordinated pairs / pairs", percent=True)
>>> svg.startswith("<svg") and "ปากพนัง" in svg and "&lt;b&gt;" in svg and "<b>" not in svg
True
>>> "12.5 % of 8" in svg and "no pairs" in svg
True

With ``earlier`` values each label gets a second, lighter bar above its
own, and a legend names the two (an OLD → NEW comparison):

>>> svg = bar_chart(["8012"], [1.0], ["12.5 % → 100.0 %"], title="Share coordinated", axis="share",
...                 percent=True, earlier=[0.125], names=("OLD", "NEW"))
>>> "OLD" in svg and "NEW" in svg and "12.5 % → 100.0 %" in svg
True
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
from functools import cache
from typing import Sequence

__all__ = ["bar_chart", "CHART_FONTS", "THAI_FONTS", "chart_fonts", "font_note"]

#: Fonts asked for, in order, when installed (matplotlib measures text with the first it finds);
#: the SVG names the same list, so the browser picks a Thai font it has.
CHART_FONTS = ("Noto Sans Thai", "Sarabun", "Tahoma", "Loma", "Garuda", "Noto Sans", "DejaVu Sans")
#: The Thai ones among them.
THAI_FONTS = CHART_FONTS[:5]
#: What :func:`font_note` says when no Thai font is installed.
NO_THAI_FONT = ("no Thai font is installed here, so the charts' Thai labels were measured without Thai letters "
                "and may not fit; install one (Debian/Ubuntu: apt-get install fonts-noto-core) and run again")

_COLOUR = "#c0392b"
_PERCENT_COLOUR = "#2e7d32"
#: matplotlib's warning for each character its font lacks (one per Thai letter without a Thai font).
_MISSING_GLYPH = r"Glyph \d+ .* missing from font"
#: The earlier value's bar (``earlier=``): the same hue, lighter.
_EARLIER_COLOUR = "#a5d6a7"


def _fontconfig_thai_files() -> list[str]:
    """The font files fontconfig knows that cover Thai (none without ``fc-list``)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = subprocess.run([fc_list, "--format", "%{file}\\n", ":lang=th"], capture_output=True,
                              text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line for line in done.stdout.splitlines() if line.endswith((".ttf", ".otf", ".ttc"))})


@cache
def chart_fonts() -> tuple[str, ...]:
    """The fonts the charts ask for: :data:`CHART_FONTS` that are installed, a Thai one first.

    matplotlib lists the fonts it knows in a cache built the first time it
    runs; a Thai font installed afterwards (``scripts/test`` installs
    ``fonts-noto-core`` after ``scripts/setup`` ran the library once) is not
    in it. So when the cache knows no Thai font, the ones fontconfig reports
    are added to this process's font list (:meth:`FontManager.addfont`), and
    a Thai family found that way leads the list.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    installed = {f.name for f in manager.ttflist}
    if installed.isdisjoint(THAI_FONTS):
        before = set(installed)
        for path in _fontconfig_thai_files():
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read: not ours to fix
                continue
        installed = {f.name for f in manager.ttflist}
        added = sorted(installed - before)
        fonts = [f for f in CHART_FONTS if f in installed]
        if added and not any(f in THAI_FONTS for f in fonts):
            fonts.insert(0, added[0])
        return tuple(fonts) or ("DejaVu Sans",)
    return tuple(f for f in CHART_FONTS if f in installed)


def _has_thai(fonts: Sequence[str]) -> bool:
    return fonts[0] not in CHART_FONTS[len(THAI_FONTS):]


def font_note() -> str | None:
    """One line to tell the reader when no Thai font is installed (None when one is).

    The charts are drawn anyway: their text stays text, which the browser
    draws with its own fonts; only the layout was measured without Thai
    glyphs. ``graphmodel report`` prints the line once, instead of
    matplotlib's warning for every Thai letter.
    """
    return None if _has_thai(chart_fonts()) else NO_THAI_FONT


def bar_chart(labels: Sequence[str], values: Sequence[float | None], texts: Sequence[str], *, title: str,
              axis: str, percent: bool = False, earlier: Sequence[float | None] | None = None,
              names: tuple[str, str] = ("before", "now")) -> str:
    """One horizontal bar per label, top to bottom in the order given, as SVG text.

    Parameters
    ----------
    labels : sequence of str
        One label per bar (shown as text, never parsed).
    values : sequence of float or None
        The bars' values; None draws no bar.
    texts : sequence of str
        What to write at the end of each bar (its value in words).
    title, axis : str
        The chart's title and the value axis's label.
    percent : bool
        Values are shares in [0, 1], drawn from 0 to 100 %; otherwise baht.
    earlier : sequence of float or None, optional
        Earlier values of the same labels, drawn as a lighter bar above each
        bar; ``names`` are the legend's words for the earlier and the later bar.
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fonts = list(chart_fonts())
    settings = {"svg.fonttype": "none", "svg.hashsalt": "graphmodel-report", "font.family": fonts,
                "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
    with rc_context(settings):
        def scaled(xs: Sequence[float | None]) -> list[float]:
            return [0.0 if v is None else (100 * v if percent else v) for v in xs]

        height = 1.2 + (0.44 if earlier is not None else 0.28) * max(len(labels), 1)
        fig = Figure(figsize=(9.0, height), layout="constrained")
        ax = fig.add_subplot()
        shown = scaled(values)
        positions = list(range(len(labels)))
        colour = _PERCENT_COLOUR if percent else _COLOUR
        if earlier is None:
            bars = ax.barh(positions, shown, color=colour)
        else:  # two thin bars per label: the earlier above, the later below (the axis is inverted)
            before = scaled(earlier)
            ax.barh([p - 0.2 for p in positions], before, height=0.38, color=_EARLIER_COLOUR, label=names[0])
            bars = ax.barh([p + 0.2 for p in positions], shown, height=0.38, color=colour, label=names[1])
            shown = [max(a, b) for a, b in zip(shown, before)]
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.set_yticks(positions, list(labels), parse_math=False)
        ax.invert_yaxis()
        top = 100.0 if percent else max(shown, default=0.0) or 1.0
        ax.set_xlim(0, top * (1.4 if percent else 1.7))  # room for the words at the end of the bars
        if percent:
            ax.set_xticks(range(0, 101, 20))
            fmt = lambda x, _: f"{x:.0f} %"  # noqa: E731
        else:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            scale, unit = (1e6, " M") if top >= 1e6 else (1.0, "")  # ticks in millions of baht
            fmt = lambda x, _: f"{x / scale:,.0f}{unit}"  # noqa: E731
        ax.xaxis.set_major_formatter(FuncFormatter(fmt))
        for bar, end, text in zip(bars, shown, texts):
            y = bar.get_y() + bar.get_height() / 2 - (0.2 if earlier is not None else 0)
            ax.text(end + top * 0.01, y, text, va="center", fontsize=8, parse_math=False)
        ax.set_title(title, loc="left", parse_math=False)
        ax.set_xlabel(axis if percent or top < 1e6 else f"{axis} (M: million)", parse_math=False)
        out = io.StringIO()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", _MISSING_GLYPH)  # font_note() says it once
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    return re.sub(r"\s*<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)

