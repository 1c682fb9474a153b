"""The hand-worked before and after of tests/analysis/test_diff.py (and the CLI and Neo4j tests).

Every pair has a theme of its own, so each OLD/NEW pair below is the only
pair of its theme; all are in Hu Long (801208, district 8012), each program
run by an agency of its own (``ag_<program>``) unless said otherwise, years 2006.

| pair | OLD | NEW | expected |
|---|---|---|---|
| linked_a, linked_b | uncoordinated | link ag_linked_a - ag_linked_b in Hu Long | resolved: coordinated (direct_link, new) |
| grouped_a, grouped_b | uncoordinated | group hulong_group implements both | resolved: coordinated (shared_group) |
| ended_a, ended_b | uncoordinated | ended_b gone (its rows too) | resolved: program_removed [ended_b] |
| moved_a, moved_b | uncoordinated | moved_b located in 800101 instead | resolved: no_longer_parallel (location) |
| joint_a, joint_b | uncoordinated | ag_joint_a implements joint_b too | resolved: no_longer_parallel (shared_agency) |
| late_a, late_b | uncoordinated | late_b in 2008-2009 | resolved: no_longer_parallel (years) |
| retheme_a, retheme_b | uncoordinated | retheme_b on theme other | resolved: no_longer_parallel (themes) |
| fresh_a, fresh_b | fresh_b alone in Hu Long | fresh_a added | appeared: program_added [fresh_a] |
| arrived_a, arrived_b | arrived_b in 800101 | arrived_b also in Hu Long | appeared: became_parallel (location) |
| early_a, early_b | early_b in 2010 | early_b in 2006 | appeared: became_parallel (years) |
| unlinked_a, unlinked_b | link between their agencies in Hu Long | link gone | appeared: link_removed |
| stay_a, stay_b | uncoordinated | uncoordinated, stay_a renamed | remaining |
| held_a, held_b | group both_group implements both | the same | not listed (coordinated in both) |

So OLD has 10 parallel pairs in district 8012 (8 uncoordinated), NEW 8
(5 uncoordinated): 7 resolved, 4 appeared, 1 remaining. ``properties=False``
leaves out what a Neo4j database holding both as datasets cannot tell apart
(a program's years, themes or name changed: one node, one set of
properties): late_*, retheme_*, early_* and the renaming.
"""

from __future__ import annotations

from graphmodel.model import Dataset

from analysis.builders import HU_LONG, OTHER, dataset

ALL = ("linked", "grouped", "ended", "moved", "joint", "late", "retheme", "fresh", "arrived", "early",
       "unlinked", "stay", "held")
BY_PROPERTIES = ("late", "retheme", "early")


def _programs(names, *, new: bool):
    out = []
    for name in names:
        for side in ("a", "b"):
            pid = f"{name}_{side}"
            if (name, side) == ("ended", "b") and new or (name, side) == ("fresh", "a") and not new:
                continue
            theme, start, end = name, 2006, 2006
            if new and (name, side) == ("late", "b"):
                start, end = 2008, 2009
            if new and (name, side) == ("retheme", "b"):
                theme = "other"
            if not new and (name, side) == ("early", "b"):
                start, end = 2010, 2010
            out.append((pid, theme, start, end))
    return out


def snapshot(*, new: bool, properties: bool = True) -> Dataset:
    """OLD (``new=False``) or NEW of the table above."""
    names = [n for n in ALL if properties or n not in BY_PROPERTIES]
    programs = _programs(names, new=new)
    ids = [p[0] for p in programs]
    locations = []
    for pid in ids:
        if pid == "moved_b" and new or pid == "arrived_b" and not new:
            locations.append((pid, OTHER))
        else:
            locations.append((pid, HU_LONG))
    implementation = [(f"ag_{pid}", pid) for pid in ids]
    if new:
        implementation.append(("ag_joint_a", "joint_b"))
        implementation += [("hulong_group", "grouped_a"), ("hulong_group", "grouped_b")]
    implementation += [("both_group", "held_a"), ("both_group", "held_b")]
    coordination = [("ag_unlinked_a", "ag_unlinked_b", HU_LONG)] if not new else [
        ("ag_linked_a", "ag_linked_b", HU_LONG)]
    ds = dataset(agencies=[f"ag_{pid}" for pid in ids], programs=programs,
                 groups=[("hulong_group", HU_LONG), ("both_group", HU_LONG)],
                 implementation=implementation, locations=locations, coordination=coordination)
    if new and properties:
        renamed = [p.model_copy(update={"name": "stay_a renamed", "name_en": "Stay A"}) if p.id == "stay_a" else p
                   for p in ds.programs]
        ds = ds.model_copy(update={"programs": renamed})
    return ds


#: What tests/analysis/test_diff.py expects: (status, tambon, a, b, reason) in listed order.
EXPECTED = [
    ("resolved", HU_LONG, "ended_a", "ended_b", "program_removed"),
    ("resolved", HU_LONG, "grouped_a", "grouped_b", "coordinated"),
    ("resolved", HU_LONG, "joint_a", "joint_b", "no_longer_parallel"),
    ("resolved", HU_LONG, "late_a", "late_b", "no_longer_parallel"),
    ("resolved", HU_LONG, "linked_a", "linked_b", "coordinated"),
    ("resolved", HU_LONG, "moved_a", "moved_b", "no_longer_parallel"),
    ("resolved", HU_LONG, "retheme_a", "retheme_b", "no_longer_parallel"),
    ("appeared", HU_LONG, "arrived_a", "arrived_b", "became_parallel"),
    ("appeared", HU_LONG, "early_a", "early_b", "became_parallel"),
    ("appeared", HU_LONG, "fresh_a", "fresh_b", "program_added"),
    ("appeared", HU_LONG, "unlinked_a", "unlinked_b", "link_removed"),
    ("remaining", HU_LONG, "stay_a", "stay_b", None),
]


def expected(*, properties: bool = True) -> list[tuple]:
    return [e for e in EXPECTED if properties or e[2].split("_")[0] not in BY_PROPERTIES]


def files(ds: Dataset) -> dict[str, list[dict[str, str]]]:
    """The rows of ``ds`` as ``strategies.write_dataset`` writes them (a folder every command reads)."""
    return {
        "agencies": [{"id": a.id, "name": a.name, "kind": a.kind.value} for a in ds.agencies],
        "programs": [{"id": p.id, "name": p.name, "name_en": p.name_en or "", "themes": ";".join(p.themes),
                      "start_year": str(p.start_year), "end_year": str(p.end_year)} for p in ds.programs],
        "groups": [{"id": g.id, "name": g.name, "kind": g.kind, "tambon": g.tambon} for g in ds.groups],
        "implementation": [{"implementer": i.implementer, "program": i.program} for i in ds.implementation],
        "locations": [{"program": x.program, "tambon": x.tambon} for x in ds.locations],
        "coordination": [{"a": c.a, "b": c.b, "mechanism": c.mechanism or "", "tambon": c.tambon or ""}
                         for c in ds.coordination],
    }
