"""A few parameter sets for every named query, drawn from a dataset (a test helper, not a fixture).

:func:`param_sets` gives, for each analysis of the registry, parameter sets
that reach into the dataset (its first and last tambon with programs, its
province, an agency that manages funds, two program ids) and some that
reach nothing (a province with no data, an unknown agency or tambon), so
parity tests compare full answers and empty ones. :func:`cli_args` writes a
set as ``--param`` arguments.
"""

from __future__ import annotations

import json
from typing import Any

from graphmodel.analysis.overlaps import pairs as rule_pairs
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.model import Dataset

__all__ = ["param_sets", "cli_args", "EMPTY_PROVINCE", "UNKNOWN_TAMBON"]

#: Bangkok: no dataset of the tests has anything there.
EMPTY_PROVINCE = "10"
#: A real tambon (Phra Borom Maha Ratchawang, Bangkok) that no test dataset uses.
UNKNOWN_TAMBON = "100101"


def param_sets(ds: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Parameter sets for each named query (every analysis of the registry has an entry)."""
    tambons = sorted({x.tambon for x in ds.locations}) or [UNKNOWN_TAMBON]
    first, last = tambons[0], tambons[-1]
    province = first[:2]
    managers = sorted({f.agency for f in ds.funds})
    agencies = sorted(a.id for a in ds.agencies)
    programs = sorted(p.id for p in ds.programs)
    # The pairs the $pairs queries take: inputs chosen from the rule's answer, not expected values.
    found = [[p.tambon, p.a, p.b] for p in rule_pairs(EmbeddedBackend(ds))]
    uncoordinated = [[p.tambon, p.a, p.b] for p in rule_pairs(EmbeddedBackend(ds)) if not p.coordinated_by]
    uncoordinated = uncoordinated or found  # a dataset with every pair coordinated: ask about those
    return {
        "counts": [{}],
        "schema": [{}],
        "overlaps": [{}, {"tambon": first}, {"province": province}, {"tambons": [first, last]},
                     {"province": EMPTY_PROVINCE}],
        "tambons_with_programs": [{}, {"province": province, "minimum": 2}, {"tambon": last}],
        "program_sides": [{}, {"programs": [*programs[:2], "missing"]}, {"programs": []}],
        "tambon_stakeholders": [{"tambon": first}, {"tambon": last}, {"tambon": UNKNOWN_TAMBON}],
        "agency_footprint": [{"agency": a} for a in dict.fromkeys([*managers[:2], agencies[-1], "nobody"])],
        "fund_flows": [{}, {"channel": "special"}, {"channel": "normal", "province": province},
                       {"province": EMPTY_PROVINCE}],
        "pilots_without_normal_partner": [{}, {"tambon": first}, {"district": first[:4]}, {"province": province}],
        "shared_groups": [{}, {"province": province}, {"province": EMPTY_PROVINCE}],
        "area_profile": [{"by": "tambon"}, {"by": "district", "province": province},
                         {"by": "province", "tambon": first}, {"by": "tambon", "province": EMPTY_PROVINCE}],
        "broker_network": [{}, {"province": province}, {"tambon": first}],
        "pilots": [{}, {"province": province}, {"district": first[:4]}, {"tambon": UNKNOWN_TAMBON}],
        "pilot_gaps": [{}, {"province": province}, {"tambon": last}],
        "pair_brokers": [{"pairs": found[:60]}, {"pairs": []}],
        "pair_linkage": [{"pairs": uncoordinated[:60]}, {"pairs": [[UNKNOWN_TAMBON, "x", "y"]]}],
        "link_ends": [{"pairs": uncoordinated[:60]}, {"pairs": []}],
        "agency_matrix": [{}, {"province": province}, {"district": first[:4]}, {"tambon": last},
                          {"tambon": first, "province": EMPTY_PROVINCE}, {"province": EMPTY_PROVINCE}],
        "place_agencies": [{"by": "tambon", "province": province}, {"by": "district"},
                           {"by": "province", "district": last[:4]}, {"by": "tambon", "tambon": UNKNOWN_TAMBON}],
        "entity_names": [{"ids": [*agencies[:2], *programs[:1], "missing"]}, {"ids": []}],
        "area_graph": [{"tambon": first}, {"district": last[:4]}, {"province": province}, {},
                       {"tambon": first, "province": EMPTY_PROVINCE}, {"tambon": UNKNOWN_TAMBON}],
        "agency_graph": [{"agency": a} for a in dict.fromkeys([*managers[:1], agencies[-1], "nobody"])],
    }


def cli_args(params: dict[str, Any]) -> list[str]:
    """``--param`` arguments for ``graphmodel query``: ``K=TEXT`` for strings, ``K:=JSON`` else.

    >>> cli_args({"tambon": "802103", "minimum": 2, "tambons": ["a"]})
    ['--param', 'tambon=802103', '--param', 'minimum:=2', '--param', 'tambons:=["a"]']
    """
    out: list[str] = []
    for key, value in params.items():
        text = f"{key}={value}" if isinstance(value, str) else f"{key}:={json.dumps(value)}"
        out += ["--param", text]
    return out
