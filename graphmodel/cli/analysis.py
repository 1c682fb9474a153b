"""Commands that rank, recommend and index (issue 10): ``recommend``, ``pilots``, ``index``,
and the ``--explain`` / ``--sort severity`` options of ``overlaps``.

Each command makes its library calls (:mod:`graphmodel.analysis.recommend`,
:mod:`~graphmodel.analysis.pilots`, :mod:`~graphmodel.analysis.index`,
:mod:`~graphmodel.analysis.severity`), which return small records of ids and
numbers; names are looked up once (the ``entity_names`` analysis) and text
is made here, when printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

import click

from ..analysis.areas import Area, area_pairs
from ..analysis.index import betweenness, brokers, coordination_index
from ..analysis.linkindex import names_of
from ..analysis.recommend import Recommendation, recommend as recommend_links
from ..analysis.registry import rows
from ..analysis.severity import SORTS
from ..render import table, to_json
from ..reports.words import (BELOW as _BELOW, label as _label,
                             optimality as _optimality, pilot_why as _why, place as _place, plural as _plural,
                             recommended_row, share as _share, where as _where)
from . import main
from .options import AREA_KINDS, area_of, area_options, format_option, open_backend, source_options, twin_option

__all__ = ["explain_option", "sort_option"]

#: What recommend, pilots and index print: a table to read, or JSON (each docstring says its shape).
_FORMATS = ("table", "json")


def _names(backend, ids: Iterable[str], twin: str) -> dict[str, dict[str, Any]]:
    return dict(names_of(backend, ids, twin=twin))


def _legend(title: str, names: Mapping[str, Mapping[str, Any]], ids: Iterable[str]) -> list[str]:
    """``title`` then one line per id with its Thai and English names."""
    ids = sorted(set(ids))
    if not ids:
        return []
    width = max(len(i) for i in ids)
    return ["", f"{title}:", *(f"  {i.ljust(width)}  {_label(names, i)}" for i in ids)]


# --- graphmodel overlaps --explain / --sort severity ---------------------------------------------

explain_option = click.option(
    "--explain", is_flag=True,
    help="Add to each uncoordinated pair its severity, each side's agencies and groups with their "
         "kinds and budget channels, the money involved (known and unknown), and how the two stakes "
         "are linked outside the links that count (JSON: an 'explain' object per pair).")
sort_option = click.option(
    "--sort", type=click.Choice(SORTS), default="tambon", show_default=True,
    help="Order of the pairs: by tambon and ids (the rule's), or most severe first (severity = "
         "overlap years × shared themes × (1 + log10(1 + known baht)); see docs/analysis.md).")


# --- graphmodel recommend -------------------------------------------------------------------------

def _render_recommendation(r: Recommendation, names) -> str:
    if r.uncoordinated == 0:
        return "No uncoordinated parallel programs found."
    out = [f"Links to add in {r.area.label()}: {_plural(r.uncoordinated, 'uncoordinated pair')}, "
           f"{_plural(r.candidates, 'candidate link')}.", ""]
    out.append(table(["step", "a", "b", "where", "resolves", "remaining"],
                     [[i, s.link.a, s.link.b, _where(s.link.tambon), s.resolves, s.remaining]
                      for i, s in enumerate(r.steps, 1)]))
    out.append("")
    for i, s in enumerate(r.steps, 1):
        out.append(f"{i}. {_label(names, s.link.a)} -- {_label(names, s.link.b)}, {_where(s.link.tambon)}: "
                   f"resolves {_plural(s.resolves, 'pair')}, {s.remaining:,} "
                   f"{'remains' if s.remaining == 1 else 'remain'}. coordination.csv row: "
                   f"'{recommended_row(s.link)}'")
    out += ["", f"{_plural(len(r.steps), 'link')} {'resolves' if len(r.steps) == 1 else 'resolve'} "
                f"{r.resolved:,} of the "
                f"{_plural(r.uncoordinated, 'uncoordinated pair')}.", _optimality(r)]
    return "\n".join(out)


@main.command()
@source_options
@area_options
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="The most links to recommend.")
@format_option(_FORMATS)
@twin_option
def recommend(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
              tambon: str | None, district: str | None, province: str | None, k: int, fmt: str,
              twin: str) -> None:
    """Recommend up to N new coordination links that resolve the most uncoordinated pairs.

    Each link joins two nodes already in the graph (agencies, groups,
    programs, funds, or a node that already coordinates, such as the
    tambon's local government or the provincial planning office), limited to
    a tambon, or province-wide (no tambon) when that resolves pairs in more
    than one tambon. A link resolves a pair when adding it makes the pair
    coordinated by the rule of `graphmodel overlaps`. Links are chosen
    greedily (most pairs first; ties: tambon before province-wide, agencies
    before groups, funds and programs, then ids); with at most 12 candidate
    links every combination is also tried, and the output says whether
    greedy was optimal. docs/analysis.md explains the choice.

    --format json prints the steps as a list of {"a", "b", "tambon" (null
    when province-wide), "resolves", "remaining"}.

    \b
    Examples:
      graphmodel recommend seed/nst-2006 --tambon 801208
      graphmodel recommend seed/nst-2006 --province 80 -k 3 --format json
      graphmodel recommend --neo4j bolt://127.0.0.1:7687 --district 8012
    """
    area = area_of(tambon, district, province)
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database,
                      area=area) as backend:
        found = recommend_links(backend, area, k=k, twin=twin)
        names = {} if fmt == "json" else _names(
            backend, {x for s in found.steps for x in (s.link.a, s.link.b)}, twin)
    if fmt == "json":
        click.echo(to_json([s.to_json() for s in found.steps]))
        if found.greedy_optimal is False:
            click.echo(f"Note: {_optimality(found)}", err=True)
        return
    click.echo(_render_recommendation(found, names))


# --- graphmodel pilots ----------------------------------------------------------------------------

def _render_pilots(area: Area, found: list[dict], gaps: list[dict], names) -> str:
    out = [f"Pilots with no coordination path to the normal system, in {area.label()}:", ""]
    if found:
        out.append(table(["tambon", "program", "why", "channels", "agencies", "normal programs here"],
                         [[_place(r["tambon"]), r["program"], _why(r), r["channels"], r["agencies"],
                           r["normal_programs"]] for r in found]))
        tambons = len({r["tambon"] for r in found})
        out += ["", f"{_plural(len(found), 'pilot')} in {_plural(tambons, 'tambon')}: no chain of shared "
                    f"agencies, funds, groups or coordination links counting there reaches local "
                    f"government, a line agency or a normal-system program."]
    else:
        out.append("None: every pilot reaches the normal system where it runs.")
    out += ["", "Themes where a pilot runs with no normal-system program on that theme:", ""]
    if gaps:
        out.append(table(["theme", "tambon", "pilots", "normal programs here"],
                         [[g["theme"], _place(g["tambon"]), g["pilots"], g["normal_programs"]] for g in gaps]))
    else:
        out.append("None.")
    out += _legend("Programs", names, [r["program"] for r in found] + [p for g in gaps for p in g["pilots"]])
    return "\n".join(out)


@main.command()
@source_options
@area_options
@format_option(_FORMATS)
@twin_option
def pilots(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
           tambon: str | None, district: str | None, province: str | None, fmt: str, twin: str) -> None:
    """List pilots that never reach the normal system, and themes with no normal program.

    A pilot is a program with pilot=true, or one funded only through special
    or CEO (governor's) budgets. It is listed, per tambon where it runs, when
    nothing joins it, in that tambon, to local government, a line agency or a
    normal-system program: no chain of shared agencies, funds, groups, or
    coordination links counting there. The second list gives, per theme, the
    tambons where a pilot on that theme runs and no normal-system program on
    it does. docs/analysis.md has the definitions and the seed worked through.

    --format json prints {"pilots": [...], "gaps": [...]}, the rows of the
    `pilots` and `pilot_gaps` queries.

    \b
    Examples:
      graphmodel pilots seed/nst-2006 --tambon 801208
      graphmodel pilots seed/nst-2006 --district 8021 --format json
      graphmodel pilots --neo4j bolt://127.0.0.1:7687 --province 80
    """
    area = area_of(tambon, district, province)
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database,
                      area=area) as backend:
        found = list(rows(backend, "pilots", area.params(), twin=twin))
        gaps = list(rows(backend, "pilot_gaps", area.params(), twin=twin))
        names = {} if fmt == "json" else _names(
            backend, [r["program"] for r in found] + [p for g in gaps for p in g["pilots"]], twin)
    if fmt == "json":
        click.echo(to_json({"pilots": found, "gaps": gaps}))
        return
    click.echo(_render_pilots(area, found, gaps, names))


# --- graphmodel index -----------------------------------------------------------------------------

def _kind(names, id_: str) -> str:
    row = names.get(id_)
    if not row:
        return ""
    return f"{row['label']}: {row['kind']}" if row.get("kind") else row["label"]


def _render_index(area: Area, by: str, areas, found_brokers, centrality, names, top: int) -> str:
    out = [f"Coordination index of {area.label()}, by {by}:", ""]
    out.append(table(
        [by, "tambons", "programs", "agencies/tambon", "pairs", "uncoordinated", "coordinated",
         "baht in uncoordinated pairs", "of programs", "money unknown"],
        [[_place(r.area), r.tambons, r.programs, f"{r.agencies_per_tambon:.1f}", r.pairs, r.uncoordinated,
          _share(r.share_coordinated), f"{r.money_thb:,.0f}", r.money_programs, r.money_unknown]
         for r in areas]))
    out += ["", "Baht: the known budgets of the programs in an uncoordinated pair there; money unknown: "
                "those of them with a funding link without an amount, or none.", "",
            f"Brokers: whose coordination links account for the most coordinated pairs (top {top}):", ""]
    if found_brokers:
        out.append(table(["node", "kind", "pairs", "as link end", "as coordinator", "name"],
                         [[b.id, _kind(names, b.id), b.pairs, b.as_link_end, b.as_coordinator,
                           _label(names, b.id)] for b in found_brokers[:top]]))
    else:
        out.append("None: no pair here is coordinated by a link.")
    out += ["", f"Best placed: highest betweenness in the broker network ({_plural(centrality.nodes, 'node')} "
                f"with an edge):", ""]
    if centrality.method == "skipped":
        out.append(f"Not computed: {centrality.note}.")
    elif centrality.scores:
        out.append(table(["actor", "kind", "betweenness", "name"],
                         [[x, _kind(names, x), f"{s:,.1f}", _label(names, x)] for x, s in centrality.scores]))
    else:
        out.append("None.")
    return "\n".join(out)


@main.command()
@source_options
@area_options
@click.option("--by", type=click.Choice(AREA_KINDS), default=None,
              help="One row per tambon, district or province [default: the level below the area given: "
                   "province for all, district for --province, tambon for --district or --tambon].")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="How many brokers and best-placed actors to list.")
@format_option(_FORMATS)
@twin_option
def index(directory: Path | None, encoding: str, neo4j_uri: str | None, database: str | None,
          tambon: str | None, district: str | None, province: str | None, by: str | None, top: int,
          fmt: str, twin: str) -> None:
    """The coordination index per area, and the brokers who hold pairs together.

    Per tambon, district or province: tambons and programs, agencies per
    tambon, parallel pairs, the share coordinated, and the known budgets of
    the programs in uncoordinated pairs (unknown amounts counted, not
    guessed). Then the brokers, whose existing coordination links account
    for the most coordinated pairs, and the actors best placed to coordinate:
    highest betweenness in the area's broker network (igraph; on Neo4j the
    Graph Data Science library when the server has it; a note on stderr says
    when it does not). docs/analysis.md defines each measure.

    \b
    Examples:
      graphmodel index seed/nst-2006-coordinated --tambon 801208
      graphmodel index seed/nst-2006 --province 80 --by district --format json
      graphmodel index --neo4j bolt://127.0.0.1:7687 --province 80 --top 5
    """
    area = area_of(tambon, district, province)
    by = by or _BELOW[area.kind]
    with open_backend(directory, encoding=encoding, neo4j_uri=neo4j_uri, database=database,
                      area=area) as backend:
        found_pairs = list(area_pairs(backend, area, twin=twin))
        areas = coordination_index(backend, area, by=by, twin=twin, pairs=found_pairs)
        found_brokers = brokers(backend, area, twin=twin, pairs=found_pairs)
        centrality = betweenness(backend, area, twin=twin, top=top)
        names = _names(backend, [b.id for b in found_brokers[:top]] + [x for x, _ in centrality.scores], twin)
    if centrality.note and centrality.method != "skipped":
        click.echo(f"Note: {centrality.note}.", err=True)
    if fmt == "json":
        click.echo(to_json({
            "by": by, "areas": [r.to_json() for r in areas],
            "brokers": [b.to_json() for b in found_brokers[:top]],
            "betweenness": {"method": centrality.method, "nodes": centrality.nodes,
                            "skipped": centrality.note if centrality.method == "skipped" else None,
                            "actors": [{"id": x, "score": s} for x, s in centrality.scores]}}))
        return
    click.echo(_render_index(area, by, areas, found_brokers, centrality, names, top))
