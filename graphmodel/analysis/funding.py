"""Where the money goes: the Python twin of ``fund_flows`` (``cypher/funding.cypher``).

One row per funding link (a fund's ``FUNDS`` to a program, per fiscal
year), from channel to agency to fund to program, with the tambons the
program is located in. The amount belongs to the program as a whole: it is
not split among tambons, so summing ``amount_thb`` over the rows counts
each link once. Reads :class:`~.facts.Facts`.

Examples
--------
>>> from graphmodel.backends.embedded import EmbeddedBackend
>>> from graphmodel.geo import with_areas
>>> from graphmodel.model import Dataset, Agency, Fund, Funding, Location, Program
>>> b = EmbeddedBackend(with_areas(Dataset(
...     agencies=[Agency(id="codi", name="พอช.", kind="special_agency")],
...     funds=[Fund(id="f", name="กองทุน", agency="codi", channel="special")],
...     programs=[Program(id="p", name="แผน", start_year=2006, end_year=2007)],
...     funding=[Funding(fund="f", program="p", amount_thb=100.0, fiscal_year=2007),
...              Funding(fund="f", program="p", fiscal_year=2006)],
...     locations=[Location(program="p", tambon="802103"), Location(program="p", tambon="801208")])))
>>> [(r["channel"], r["fund"], r["fiscal_year"], r["amount_thb"], r["tambons"]) for r in fund_flows(b)]
[('special', 'f', 2006, None, ['801208', '802103']), ('special', 'f', 2007, 100.0, ['801208', '802103'])]
>>> list(fund_flows(b, channel="normal")), list(fund_flows(b, province="10"))
([], [])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from ..backends.base import Backend
from .facts import Facts, FundingLink
from ..geo import Area
from .registry import order_key, register

__all__ = ["fund_flows"]


@register("fund_flows", ("channel", "agency", "fund", "program", "program_name", "fiscal_year",
                         "amount_thb", "tambons"))
def fund_flows(backend: Backend, *, channel: str | None = None,
               province: str | None = None) -> Iterator[dict[str, Any]]:
    """Every funding link of a fund with a managing agency, money first.

    Parameters
    ----------
    backend : Backend
        Any backend.
    channel : str, optional
        Only funds of this channel (``normal``, ``ceo``, ``special``); funds
        without a channel are then left out.
    province : str, optional
        Only programs located in this 2-digit province code, listing only
        their tambons there.

    Yields
    ------
    dict
        ``channel`` (null if the fund has none), ``agency``, ``fund``,
        ``program``, ``program_name``, ``fiscal_year``, ``amount_thb`` (null
        when unknown) and ``tambons`` (sorted codes), ordered by channel,
        agency, fund, program and fiscal year, nulls last.

    Notes
    -----
    Holds one small tuple per funding link, grouped by fund; sorts the funds,
    then each fund's links, and makes each row as it is yielded.
    """
    facts = Facts.of(backend)
    area = Area.within(province=province)
    by_fund: dict[str, list[tuple[str, FundingLink]]] = defaultdict(list)
    for pid, p in facts.programs.items():
        if province and not any(area.contains(code) for code in p.tambons):
            continue
        for link in p.funding:
            by_fund[link.fund].append((pid, link))
    funds = [(facts.entities[fund].kind, facts.fund_agency[fund], fund) for fund in by_fund
             if fund in facts.fund_agency and (not channel or facts.entities[fund].kind == channel)]
    funds.sort(key=lambda f: order_key(*f))
    for kind, agency, fund in funds:
        links = by_fund.pop(fund)
        links.sort(key=lambda x: order_key(x[0], x[1].fiscal_year))
        for pid, link in links:
            yield {"channel": kind, "agency": agency, "fund": fund, "program": pid,
                   "program_name": facts.entities[pid].name, "fiscal_year": link.fiscal_year,
                   "amount_thb": link.amount_thb,
                   "tambons": sorted({code for code in facts.programs[pid].tambons
                                      if area.contains(code)})}
