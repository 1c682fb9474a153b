"""Analyses above the backends: one topic per module, each with a Python twin
registered in :mod:`.registry` and a Cypher twin of the same name in
``cypher/*.cypher``; tests hold the twins equal.

- :mod:`.facts` — the indexes every Python twin reads, and the shared definitions;
- :mod:`.registry` — :func:`rows`: run an analysis on any backend;
- :mod:`.overlaps` — parallel programs in one tambon that lack a coordinating link (the rule);
- :mod:`.described` — the rule's pairs with names and sides, for people
  (their sentences: :mod:`graphmodel.reports.words`);
- :mod:`.catalog` — what is in the graph (``schema``, ``counts``);
- :mod:`.stakeholders` — who is involved where (``tambon_stakeholders``,
  ``agency_footprint``, ``shared_groups``);
- :mod:`.funding` — where the money goes (``fund_flows``);
- :mod:`.pilots` — pilots and the normal system, one definition of each (``pilots``,
  ``pilots_without_normal_partner``, ``pilot_gaps``);
- :mod:`.severity`, :mod:`.recommend`, :mod:`.index` — findings explained and ranked, links
  to recommend, the coordination index and brokers (over :mod:`.areas` and :mod:`.linkindex`);
- :mod:`.matrix` — the agency matrix and the agencies per place (``agency_matrix``,
  ``place_agencies``), read by the aggregated views and the report;
- :mod:`.diff` — two snapshots compared (``graphmodel diff``): no twin of its own, it reads the
  ``overlaps`` analysis of each and explains what moved with the rule's facts;
- :mod:`.subgraph` — the subgraph of one area or agency (``area_graph``, ``agency_graph``),
  what the Neo4j backend opened for an area holds.
"""

from . import catalog, funding, overlaps, pilots, stakeholders  # noqa: F401 - each module registers its twins
from . import index, linkindex, recommend, severity  # noqa: F401 - ranking, recommending, the index
from . import matrix  # noqa: F401 - the agency matrix and agencies per place (overviews)
from . import subgraph  # noqa: F401 - an area's or agency's subgraph (the Neo4j backend of an area)
from .facts import Facts
from .described import ParallelPair, TambonFinding, describe, findings
from .overlaps import PairRow, pairs, parallel_pairs
from .registry import REGISTRY, rows

__all__ = ["Facts", "PairRow", "ParallelPair", "REGISTRY", "TambonFinding", "describe", "findings", "pairs",
           "parallel_pairs", "rows"]
