"""One report to take to a meeting: ``graphmodel report`` (issue 10, section 6).

:func:`build_report` gathers, for one area, what the analyses of issue 10
find, as small records of ids and numbers plus the names of the ids shown:

- the **summary**: the coordination index of the whole area
  (:func:`~graphmodel.analysis.index.coordination_index` at the area's own
  level; for the whole graph the provinces' rows added up, so a program
  located in two provinces counts in both);
- the **table per area below** (districts of a province, tambons of a
  district, provinces of the whole graph: :data:`~.words.BELOW`);
- the **top findings**: the uncoordinated pairs most severe first
  (:func:`~graphmodel.analysis.severity.explain`, :func:`~graphmodel.analysis.severity.by_severity`);
- the **recommended links** (:func:`~graphmodel.analysis.recommend.recommend`);
- the **pilots** that never reach the normal system, and the themes where a
  pilot runs with no normal program (the ``pilots`` and ``pilot_gaps`` analyses);
- the **agency × agency matrix** of uncoordinated pairs (the ``agency_matrix``
  analysis): a grid of the :data:`GRID` agencies in the most uncoordinated
  pairs, and the ``top`` cells with the most pairs;
- with ``since`` (``graphmodel report NEW --since OLD``), **since last
  time**: the :func:`~graphmodel.analysis.diff.compare` of an earlier
  snapshot with this one, per district (parallel and uncoordinated pairs,
  the share coordinated OLD → NEW, with a chart), the resolved pairs with
  how and the new ones with why (the first :data:`SINCE_SHOWN` of each);

and :func:`render_html` and :func:`render_markdown` write it out. The rule's
pairs are read once (:func:`~graphmodel.analysis.areas.area_pairs`) and handed
to every analysis that takes them. Every analysis runs on the twin ``twin``
picks, so a report from a folder and from Neo4j holding the same dataset are
the same file (the tests hold them equal).

**HTML**: one self-contained file made with Jinja2 and autoescaping (every
text from the data is escaped where it is put in, never pasted as markup),
with the charts (:mod:`.charts`) as inline SVG, a Thai font stack, a
Content-Security-Policy that allows no script, no request and only the
report's own styles (by hash), and a print stylesheet. **Markdown**: the
same sections as GitHub-flavoured tables; every text from the data is
escaped for Markdown and HTML by the template engine's ``finalize`` hook
(the same one-place rule as autoescape), and the charts are written as SVG
files next to the ``.md`` file (``NAME.money.svg``, ``NAME.share.svg``),
linked by relative paths: GitHub shows them, and it does not show images
given as ``data:`` URIs.

Examples
--------
>>> import pathlib
>>> from graphmodel import EmbeddedBackend, read_dataset
>>> seed = pathlib.Path(__file__).parents[2] / "seed" / "nst-2006"
>>> r = build_report(EmbeddedBackend(read_dataset(seed)), Area.of(tambon="801208"), top=3, k=2)
>>> r.summary.pairs, r.summary.uncoordinated, len(r.findings), [s.resolves for s in r.recommendation.steps]
(8, 7, 3, [1, 2])
>>> md = render_markdown(r, charts={"money": "hu.money.svg", "share": "hu.share.svg"})
>>> "| 801208 หูล่อง (Hu Long) |" in md and "![Share coordinated" in md
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .. import __version__
from ..analysis.areas import Area, area_pairs
from ..analysis.diff import Diff
from ..errors import ArgumentError
from ..outputs import write_text, write_texts
from ..analysis.index import IndexRow, coordination_index
from ..analysis.linkindex import names_of
from ..analysis.matrix import agency_matrix
from ..analysis.recommend import Recommendation, recommend
from ..analysis.registry import rows
from ..analysis.severity import PairExplanation, by_severity, explain
from ..backends.base import Backend
from ..model import bilingual
from .charts import bar_chart
from . import words

__all__ = ["Report", "Finding", "build_report", "render_html", "render_markdown", "chart_files", "md_text",
           "output_format", "write_report", "CHARTS", "FORMATS", "TOP", "K", "GRID", "PLACES_SHOWN", "SINCE_SHOWN"]

#: Output formats, by the output file's suffix.
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown"}
#: The charts: key, title, value axis, whether the values are shares, and the caption.
CHARTS = {
    "money": ("Money in uncoordinated pairs", "known baht of the programs in uncoordinated pairs", False,
              "Known budgets of the programs in at least one uncoordinated pair, each program once; "
              "the label says how many of them have money unknown."),
    "share": ("Share coordinated", "coordinated pairs / parallel pairs", True,
              "Parallel pairs that are coordinated, of all parallel pairs located there."),
}
#: Default number of findings and of recommended links.
TOP, K = 20, 10
#: How many agencies the matrix grid shows (those in the most uncoordinated pairs).
GRID = 12
#: How many tambons a row of the pilots section names before "and N more".
PLACES_SHOWN = 8
#: How many resolved and how many new pairs "Since last time" lists (graphmodel diff lists all).
SINCE_SHOWN = 100
#: The chart of "Since last time": key, title, value axis, caption.
SINCE_CHART = ("since", "Share coordinated, then and now", "coordinated pairs / parallel pairs",
               "Parallel pairs that are coordinated, of all parallel pairs located there: the earlier "
               "snapshot's (light) and this one's.")


@dataclass(frozen=True)
class Finding:
    """One uncoordinated pair of the top findings: the rule's facts and the explanation."""

    rank: int
    themes: tuple[str, ...]
    start: int
    end: int
    explanation: PairExplanation


@dataclass(frozen=True)
class Report:
    """What :func:`build_report` found for one area (ids and numbers; ``names`` for the ids shown)."""

    area: Area
    #: The level of :attr:`rows`: ``province``, ``district`` or ``tambon``.
    by: str
    #: The whole area's index row (None when no program is located there).
    summary: IndexRow | None
    rows: tuple[IndexRow, ...]
    #: The uncoordinated pairs of the area, and the most severe of them.
    uncoordinated: int
    findings: tuple[Finding, ...]
    recommendation: Recommendation
    pilots: tuple[dict[str, Any], ...]
    gaps: tuple[dict[str, Any], ...]
    #: ``agency_matrix`` rows (every pair of agencies with an uncoordinated pair, most first).
    matrix: tuple[dict[str, Any], ...]
    #: ``entity_names`` rows of every id the report shows, by id.
    names: Mapping[str, Mapping[str, Any]]
    #: Where the data came from, as the reader should see it (a folder, or a server without credentials).
    source: str
    top: int
    #: ``--since``: the earlier snapshot compared with this one, and where it came from.
    since: Diff | None = None
    since_source: str = ""

    def label(self, id_: str) -> str:
        """The Thai and English names of an id (the id when it has none)."""
        return words.label(self.names, id_)


def _summary(backend: Backend, area: Area, found, twin: str) -> IndexRow | None:
    """The index row of the whole area; for the whole graph the provinces' rows added up."""
    found_rows = coordination_index(backend, area, by=area.kind or "province", twin=twin, pairs=found)
    if len(found_rows) <= 1:
        return found_rows[0] if found_rows else None
    tambons = sum(r.tambons for r in found_rows)
    return IndexRow("", tambons, sum(r.programs for r in found_rows), sum(r.agencies for r in found_rows),
                    sum(r.agencies_per_tambon * r.tambons for r in found_rows) / tambons,
                    *(sum(getattr(r, f) for r in found_rows)
                      for f in ("pairs", "uncoordinated", "money_thb", "money_programs", "money_unknown")))


def build_report(backend: Backend, area: Area, *, top: int = TOP, k: int = K, twin: str = "auto",
                 source: str = "", progress: Callable[[str], None] | None = None,
                 since: Diff | None = None, since_source: str = "") -> Report:
    """Gather the report of ``area`` (see the module docstring).

    Parameters
    ----------
    backend : Backend
        Any backend; the analyses run on the twin ``twin`` picks.
    area : Area
        The tambon, district or province (or everything).
    top, k : int
        How many findings to show, and the most links to recommend.
    source : str
        Where the data came from, shown in the report (never a credential).
    progress : callable, optional
        Called with a short line before each step (``graphmodel report`` prints them on stderr).
    since : Diff, optional
        An earlier snapshot compared with this one in ``area``
        (:func:`~graphmodel.analysis.diff.compare`), for "Since last time";
        ``since_source`` says where it came from.

    Notes
    -----
    The pairs are read once; severity is worked out for every uncoordinated
    pair (to rank them) and the names are looked up only for what is shown.
    """
    say = progress or (lambda line: None)
    say(f"reading the parallel pairs of {area.label()}")
    found = list(area_pairs(backend, area, twin=twin))
    uncoordinated = [p for p in found if not p.coordinated]
    by = words.BELOW[area.kind]
    say(f"coordination index: {words.plural(len(found), 'pair')}, by {by}")
    summary = _summary(backend, area, found, twin)
    index_rows = tuple(coordination_index(backend, area, by=by, twin=twin, pairs=found))
    say(f"severity of {words.plural(len(uncoordinated), 'uncoordinated pair')}")
    explained = explain(backend, uncoordinated, twin=twin)
    facts = {(p.tambon, p.a, p.b): p for p in uncoordinated}
    findings = tuple(Finding(i, facts[key].shared_themes, facts[key].start, facts[key].end, explained[key])
                     for i, key in enumerate(by_severity(explained)[:top], 1))
    say("recommended links")
    recommendation = recommend(backend, area, k=k, twin=twin, pairs=found)
    say("pilots")
    pilots = tuple(rows(backend, "pilots", area.params(), twin=twin))
    gaps = tuple(rows(backend, "pilot_gaps", area.params(), twin=twin))
    say("agency matrix")
    matrix = tuple(agency_matrix(backend, **area.params(), twin=twin))
    ids = {i for f in findings for i in (f.explanation.a, f.explanation.b, *f.explanation.via)}
    ids |= {x for s in recommendation.steps for x in (s.link.a, s.link.b)}
    ids |= {r["program"] for r in pilots} | {a for r in pilots for a in r["agencies"]}
    ids |= {p for g in gaps for p in g["pilots"]}
    ids |= {r[k] for r in matrix for k in ("agency_a", "agency_b")}
    say(f"names of {words.plural(len(ids), 'id')}")
    names = dict(names_of(backend, ids, twin=twin))
    return Report(area, by, summary, index_rows, len(uncoordinated), findings, recommendation, pilots, gaps,
                  matrix, names, source, top, since, since_source)


# --- what both formats show ----------------------------------------------------------------------

def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _title(report: Report) -> str:
    return f"Coordination report: {report.area.label()}"


def _summary_items(report: Report) -> list[tuple[str, str]]:
    s = report.summary
    if s is None:
        return [("Programs", "none located here")]
    return [
        ("Tambons with programs", f"{s.tambons:,}"),
        ("Programs", f"{s.programs:,}"),
        ("Agencies per tambon", f"{s.agencies_per_tambon:.1f}"),
        ("Parallel pairs", f"{s.pairs:,}"),
        ("Uncoordinated pairs", f"{s.uncoordinated:,}"),
        ("Share coordinated", words.share(s.share_coordinated)),
        ("Money in uncoordinated pairs, known", f"{s.money_thb:,.0f} baht"),
        ("Programs in uncoordinated pairs", f"{s.money_programs:,}"),
        ("Of them, money unknown", f"{s.money_unknown:,}"),
    ]


_AREA_COLUMNS = ("tambons", "programs", "agencies/tambon", "pairs", "uncoordinated", "coordinated",
                 "baht in uncoordinated pairs", "of programs", "money unknown")


def _area_cells(r: IndexRow) -> list[str]:
    return [f"{r.tambons:,}", f"{r.programs:,}", f"{r.agencies_per_tambon:.1f}", f"{r.pairs:,}",
            f"{r.uncoordinated:,}", words.share(r.share_coordinated), _money(r.money_thb),
            f"{r.money_programs:,}", f"{r.money_unknown:,}"]


def _finding(report: Report, f: Finding) -> dict[str, Any]:
    e = f.explanation
    years = str(f.start) if f.start == f.end else f"{f.start}–{f.end}"
    money = "none known" if e.known_thb is None else f"{e.known_thb:,.0f} baht known"
    if e.unknown_amounts:
        money += f", {words.plural(e.unknown_amounts, 'funding link')} without an amount"
    return {"rank": f.rank, "severity": f"{e.severity:.2f}", "tambon": words.place(e.tambon),
            "a": e.a, "a_name": report.label(e.a), "b": e.b, "b_name": report.label(e.b),
            "themes": ", ".join(f.themes), "years": years, "money": money,
            "lines": [line.strip() for line in words.explanation_lines(e, report.names)]}


def _steps(report: Report) -> list[dict[str, Any]]:
    return [{"step": i, "a": s.link.a, "a_name": report.label(s.link.a), "b": s.link.b,
             "b_name": report.label(s.link.b), "where": words.where(s.link.tambon), "resolves": s.resolves,
             "remaining": s.remaining, "csv": words.recommended_row(s.link)}
            for i, s in enumerate(report.recommendation.steps, 1)]


def _places(codes: Sequence[str], shown: int = PLACES_SHOWN) -> str:
    """The first ``shown`` tambons with their names, then how many more."""
    text = ", ".join(words.place(c) for c in codes[:shown])
    return text + (f" and {len(codes) - shown:,} more" if len(codes) > shown else "")


def _pilots(report: Report) -> list[dict[str, Any]]:
    """One row per pilot program: where it never reaches the normal system (most tambons first)."""
    where: dict[str, list[str]] = {}
    first: dict[str, Mapping[str, Any]] = {}
    for r in report.pilots:
        where.setdefault(r["program"], []).append(r["tambon"])
        first.setdefault(r["program"], r)
    return [{"program": pid, "name": report.label(pid), "why": words.pilot_why(first[pid]),
             "channels": ", ".join(first[pid]["channels"]) or "none",
             "agencies": ", ".join(report.label(a) for a in first[pid]["agencies"]) or "none",
             "count": len(where[pid]), "tambons": _places(where[pid])}
            for pid in sorted(where, key=lambda p: (-len(where[p]), p))]


def _gaps(report: Report) -> list[dict[str, Any]]:
    """One row per theme: the tambons where a pilot on it runs with no normal program on it."""
    tambons: dict[str, list[str]] = {}
    pilots: dict[str, set[str]] = {}
    bare: dict[str, int] = {}
    for g in report.gaps:
        tambons.setdefault(g["theme"], []).append(g["tambon"])
        pilots.setdefault(g["theme"], set()).update(g["pilots"])
        bare[g["theme"]] = bare.get(g["theme"], 0) + (g["normal_programs"] == 0)
    return [{"theme": t, "count": len(tambons[t]), "bare": bare[t], "tambons": _places(tambons[t]),
             "pilots": ", ".join(report.label(p) for p in sorted(pilots[t]))}
            for t in sorted(tambons, key=lambda t: (-len(tambons[t]), t))]


def _grid(report: Report) -> dict[str, Any]:
    """The matrix as a grid: the :data:`GRID` agencies in the most uncoordinated pairs, both ways."""
    total: dict[str, int] = {}
    cell: dict[tuple[str, str], int] = {}
    for m in report.matrix:
        a, b, n = m["agency_a"], m["agency_b"], m["uncoordinated"]
        total[a], total[b] = total.get(a, 0) + n, total.get(b, 0) + n
        cell[(a, b)] = cell[(b, a)] = n
    shown = sorted(total, key=lambda x: (-total[x], x))[:GRID]
    return {"agencies": [(x, report.label(x), total[x]) for x in shown],
            "rows": [[cell.get((x, y), "") for y in shown] for x in shown],
            "title": f"The {len(shown)} agencies in the most uncoordinated pairs, of {len(total):,}: "
                     f"uncoordinated pairs against each other"}


def _since_pairs(d: Diff, changes) -> list[dict[str, Any]]:
    label = lambda pid: bilingual(*d.names.get(pid, (pid, None)), pid)  # noqa: E731
    return [{"tambon": words.place(c.tambon), "a": c.a, "a_name": label(c.a), "b": c.b, "b_name": label(c.b),
             "reason": words.REASONS[c.reason], "detail": words.change_detail(c),
             "renamed": [x for x in (c.a, c.b) if x in d.renamed]} for c in changes[:SINCE_SHOWN]]


def _since(report: Report) -> dict[str, Any] | None:
    """"Since last time": the districts OLD → NEW, the resolved and the new pairs (the first of each)."""
    d = report.since
    if d is None:
        return None
    t, counts = d.totals(), d.counts()

    def note(changes, kind: str) -> str:
        if not changes:
            return "none"
        shown = min(len(changes), SINCE_SHOWN)
        by = ", ".join(f"{words.REASONS[r]} {n:,}" for r, n in counts[kind].items() if n)
        return (f"{words.plural(len(changes), 'pair')}{f' ({by})' if by else ''}"
                + (f"; the first {shown:,} in tambon order (graphmodel diff lists all)" if shown < len(changes) else ""))

    return {
        "old": report.since_source or "the earlier snapshot", "new": report.source or "this one",
        "totals": f"{words.plural(len(d.districts), 'district')}: {words.shift(t.old_parallel, t.new_parallel)} "
                  f"parallel pairs, {words.shift(t.old_uncoordinated, t.new_uncoordinated)} uncoordinated, "
                  f"{words.share_shift(t.old_share, t.new_share)} coordinated; {len(d.resolved):,} resolved, "
                  f"{len(d.appeared):,} new, {len(d.remaining):,} remaining.",
        "districts": [(words.place(x.district), [words.shift(x.old_parallel, x.new_parallel),
                                                 words.shift(x.old_uncoordinated, x.new_uncoordinated),
                                                 words.share_shift(x.old_share, x.new_share),
                                                 f"{x.resolved:,}", f"{x.appeared:,}", f"{x.remaining:,}"])
                      for x in d.districts],
        "lists": [{"title": "Resolved", "note": note(d.resolved, "resolved"), "kind": "resolved", "reason": "how",
                   "rows": _since_pairs(d, d.resolved)},
                  {"title": "New", "note": note(d.appeared, "appeared"), "kind": "appeared", "reason": "why",
                   "rows": _since_pairs(d, d.appeared)}],
        "renamed": [(pid, bilingual(was[0], was[1], pid), bilingual(*d.names[pid], pid))
                    for pid, was in sorted(d.renamed.items())],
        "caption": SINCE_CHART[3],
    }


def _context(report: Report) -> dict[str, Any]:
    """Everything the templates show, as text and numbers (escaped by the template, not here)."""
    r = report.recommendation
    return {
        "since": _since(report),
        "title": _title(report), "area": report.area.label(), "source": report.source, "version": __version__,
        "summary": _summary_items(report), "by": report.by, "area_columns": _AREA_COLUMNS,
        "areas": [(words.place(x.area), _area_cells(x)) for x in report.rows],
        "findings_note": f"The {len(report.findings):,} most severe of "
                         f"{words.plural(report.uncoordinated, 'uncoordinated pair')}.",
        "findings": [_finding(report, f) for f in report.findings],
        "candidates": words.plural(r.candidates, "candidate link"), "steps": _steps(report),
        "resolved": f"{words.plural(len(r.steps), 'link')} {'resolves' if len(r.steps) == 1 else 'resolve'} "
                    f"{r.resolved:,} of the {words.plural(r.uncoordinated, 'uncoordinated pair')}.",
        "optimality": words.optimality(r) if r.steps else "",
        "pilots": _pilots(report), "gaps": _gaps(report),
        "cells": [{"a": report.label(m["agency_a"]), "b": report.label(m["agency_b"]),
                   "uncoordinated": m["uncoordinated"], "tambons": m["tambons"]} for m in report.matrix[:report.top]],
        "cells_title": f"Pairs of agencies with the most uncoordinated pairs: the first "
                       f"{min(report.top, len(report.matrix)):,} of {len(report.matrix):,}",
        "grid": _grid(report),
        "captions": {key: caption for key, (*_, caption) in CHARTS.items()},
    }


def _money_text(r: IndexRow) -> str:
    """The words at the end of a money bar: ``432.7 M baht; 56 of 440 unknown``."""
    if not r.money_programs:
        return "no uncoordinated pair"
    text = f"{r.money_thb / 1e6:,.1f} M baht" if r.money_thb >= 1e6 else f"{r.money_thb:,.0f} baht"
    return text + (f"; {r.money_unknown:,} of {r.money_programs:,} programs unknown" if r.money_unknown else "")


def _share_text(r: IndexRow) -> str:
    return "no pairs" if not r.pairs else f"{words.share(r.share_coordinated)} of {words.plural(r.pairs, 'pair')}"


def chart_files(report: Report) -> dict[str, str]:
    """The charts as SVG text, by key (``money``, ``share``): standalone files, or inline once their
    ``<style>`` is taken out."""
    labels = [words.place(x.area) for x in report.rows]
    bars = {"money": ([x.money_thb for x in report.rows], [_money_text(x) for x in report.rows]),
            "share": ([x.share_coordinated for x in report.rows], [_share_text(x) for x in report.rows])}
    out = {key: bar_chart(labels, *bars[key], title=f"{title} by {report.by}", axis=axis, percent=percent)
           for key, (title, axis, percent, _) in CHARTS.items()}
    d = report.since
    if d is not None:
        key, title, axis, _ = SINCE_CHART
        out[key] = bar_chart([words.place(x.district) for x in d.districts], [x.new_share for x in d.districts],
                             [words.share_shift(x.old_share, x.new_share) for x in d.districts],
                             title=f"{title} by district", axis=axis, percent=True,
                             earlier=[x.old_share for x in d.districts], names=("earlier", "now"))
    return out


# --- HTML ------------------------------------------------------------------------------------------

def _environment(markdown: bool):
    """Jinja2 over the package's templates: HTML autoescaped; Markdown escaped by :func:`_md_finalize`."""
    import jinja2

    escaping = {"autoescape": False, "finalize": _md_finalize} if markdown else {"autoescape": True}
    return jinja2.Environment(loader=jinja2.PackageLoader("graphmodel.reports", "templates"),
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined, **escaping)


def _inline_svg(svg: str) -> str:
    """An SVG to put inside the page: without its own stylesheet (the page's holds its one rule)."""
    return re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (see the module docstring).

    The Content-Security-Policy names the page's one stylesheet and each
    distinct ``style`` attribute of the charts by hash (``'unsafe-hashes'``):
    any other style, every script, every request is refused.
    """
    from markupsafe import Markup

    from ..render import FONT_STACK, csp_hash

    env = _environment(markdown=False)
    css = env.get_template("report.css").render(font=Markup(FONT_STACK))
    charts = {k: _inline_svg(v) for k, v in chart_files(report).items()}
    attributes = sorted({m for svg in charts.values() for m in re.findall(r'\sstyle="([^"]*)"', svg)})
    csp = ("default-src 'none'; img-src 'none'; base-uri 'none'; form-action 'none'; "
           f"style-src {csp_hash(css)} 'unsafe-hashes' {' '.join(csp_hash(a) for a in attributes)}")
    return env.get_template("report.html").render(
        **_context(report), css=Markup(css), csp=csp,
        charts={k: Markup(v) for k, v in charts.items()}, chart_titles=_chart_titles(report))


def _chart_titles(report: Report) -> dict[str, str]:
    return {**{key: f"{title} by {report.by}" for key, (title, *_) in CHARTS.items()},
            SINCE_CHART[0]: f"{SINCE_CHART[1]} by district"}


# --- Markdown --------------------------------------------------------------------------------------

class _Raw(str):
    """Text the Markdown template puts in as it is (the template's own, never the data's)."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(value: Any) -> str:
    r"""Text as a Markdown table cell shows it and nothing else: HTML escaped, Markdown marks
    backslashed, line breaks made spaces.

    >>> md_text("<b>x</b> | *y* [z](javascript:1)\n`c`")
    '&lt;b&gt;x&lt;/b&gt; \\| \\*y\\* \\[z\\](javascript:1) \\`c\\`'
    """
    import html

    text = html.escape(str(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"[\r\n]+", " ", text))


def _md_finalize(value: Any) -> str:
    return value if isinstance(value, _Raw) else md_text(value)


def render_markdown(report: Report, *, charts: Mapping[str, str]) -> str:
    """The report as GitHub-flavoured Markdown; ``charts`` maps each key of :func:`chart_files`
    (``money``, ``share``, with ``since`` ``since``) to the relative path of its file (written
    by the caller; URL-quoted here)."""
    from urllib.parse import quote

    return _environment(markdown=True).get_template("report.md").render(
        **_context(report), charts={k: _Raw(quote(v)) for k, v in charts.items()},
        chart_titles=_chart_titles(report))


def output_format(name: str) -> str | None:
    """``html`` or ``markdown`` from a file name's suffix (None when neither).

    >>> output_format("r.HTML"), output_format("r.md"), output_format("r.txt")
    ('html', 'markdown', None)
    """
    return next((f for suffix, f in FORMATS.items() if name.lower().endswith(suffix)), None)


def write_report(out: str | Path, report: Report) -> list[Path]:
    """Write ``report`` to ``out`` as HTML or Markdown (by its suffix, :func:`output_format`); the
    files written.

    Markdown's charts are written next to it as ``NAME.money.svg`` and
    ``NAME.share.svg`` (and ``NAME.since.svg`` with ``since``). The files are written whole or not at all
    (:func:`~graphmodel.outputs.write_texts`: the charts, then the ``.md``;
    a failure removes the files the call created).

    Raises
    ------
    ArgumentError
        ``out`` ends in neither ``.html`` (``.htm``) nor ``.md``.
    WriteFailed
        The files cannot be written.
    """
    out = Path(out)
    kind = output_format(out.name)
    if kind is None:
        raise ArgumentError(f"{out}: give a file name ending in .html (one page) or .md (Markdown)")
    if kind == "html":
        write_text(out, render_html(report))
        return [out]
    stem = out.name[: -len(out.suffix)]
    svgs = chart_files(report)  # CHARTS, and the "since" chart when the report has one
    charts = {key: out.with_name(f"{stem}.{key}.svg") for key in svgs}
    files = {charts[key]: svg for key, svg in svgs.items()}
    files[out] = render_markdown(report, charts={k: path.name for k, path in charts.items()})
    write_texts(files)
    return list(files)
