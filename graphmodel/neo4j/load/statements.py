"""The Cypher the loader sends (labels and types from the model's enums, every value a parameter).

Labels and relationship types come from :class:`~graphmodel.model.NodeLabel`
and :class:`~graphmodel.model.RelType`, never from input, so they can be put
in the text; every value travels as a parameter.

Examples
--------
>>> node_statement("Program", staged=False, replace=False).split(" SET ")[0]
'UNWIND $rows AS row MERGE (n:`Program` {id: row.id})'
"""

from __future__ import annotations

from .plan import (
    DATASETS_PROPERTY, KEYS_PROPERTY, LOAD_LABEL, LOAD_PROPERTY, REL_KEY, STAGED_LABEL, RelGroup,
    UNDIRECTED, STAGE_PREFIX,
)

__all__ = ["node_statement", "rel_statement", "lock", "unwritten", "unclaim", "conflict_statement",
           "STAGE_UPLOAD", "STAGE_DONE", "STAGE_CLAIM"]

def _key_of(entry: str) -> str:
    """The property key of a ``dataset/key`` entry (dataset names have no ``/``)."""
    return f"substring({entry}, size(split({entry}, '/')[0]) + 1)"


def lock(var: str) -> str:
    """A write that takes ``var``'s write lock, so what the statement reads of it next is what
    the last committed writer left, not a value another load is about to overwrite.

    MERGE of an existing node or relationship takes no lock; without this, two loads (or a
    load and an unload) that write the same node read its bookkeeping first and the later
    commit overwrites the earlier one's records (a lost update; see Neo4j's "Concurrent data
    access"). tests/neo4j/test_concurrent_loads.py forces that interleaving.

    >>> lock("n")
    'SET n._datasets = coalesce(n._datasets, []) '
    """
    return f"SET {var}.{DATASETS_PROPERTY} = coalesce({var}.{DATASETS_PROPERTY}, []) "


def _write(var: str, *, staged: bool, replace: bool) -> str:
    """What follows the MERGE of ``var``: lock it, set its properties and record who set them.

    Without ``replace`` the dataset's keys join those it set before. With it
    they replace them, a property the dataset set before and no dataset sets
    now is removed, and ``_load = $token`` marks ``var`` as written by this load.
    """
    src = "s" if staged else "row"
    keys = f"[k IN keys(s) WHERE NOT k STARTS WITH '{STAGE_PREFIX}']" if staged else "keys(row.props)"
    assign = f"FOREACH (k IN props | SET {var}[k] = s[k])" if staged else f"SET {var} += row.props"
    ds = f"{var}.{DATASETS_PROPERTY}"
    datasets = (f"{ds} = CASE WHEN $dataset IN coalesce({ds}, []) THEN {ds} "
                f"ELSE coalesce({ds}, []) + $dataset END")
    text = lock(var) + f"WITH {var}, {src}, {keys} AS props, coalesce({var}.{KEYS_PROPERTY}, []) AS had "
    if not replace:
        return (text + f"{assign} SET {datasets}, {var}.{KEYS_PROPERTY} = had + "
                f"[k IN props WHERE NOT ($prefix + k) IN had | $prefix + k]")
    mine = "substring(x, size($prefix))"
    return (text + f"WITH {var}, {src}, props, had, [k IN had WHERE NOT k STARTS WITH $prefix] AS kept "
            f"WITH {var}, {src}, props, had, kept, [k IN kept | {_key_of('k')}] AS others "
            f"FOREACH (k IN [x IN had WHERE x STARTS WITH $prefix AND NOT {mine} IN props "
            f"AND NOT {mine} IN others | {mine}] | SET {var}[k] = null) "
            f"{assign} SET {datasets}, {var}.{KEYS_PROPERTY} = kept + [k IN props | $prefix + k], "
            f"{var}.{LOAD_PROPERTY} = $token")


def _merge_rel(rtype: str, key: str) -> str:
    arrow = "-" if rtype in UNDIRECTED else "->"
    return f"MERGE (a)-[r:`{rtype}` {{{REL_KEY}: {key}}}]{arrow}(b)"


def node_statement(label: str, *, staged: bool, replace: bool) -> str:
    if staged:
        head = f"MATCH (s:{STAGED_LABEL} {{_stage_group: $group}}) MERGE (n:`{label}` {{id: s._stage_id}}) "
    else:
        head = f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) "
    return head + _write("n", staged=staged, replace=replace)


def rel_statement(g: RelGroup, *, staged: bool, replace: bool) -> str:
    if staged:
        head = (f"MATCH (s:{STAGED_LABEL} {{_stage_group: $group}}) "
                f"MATCH (a:`{g.start_label}` {{id: s._stage_start}}) "
                f"MATCH (b:`{g.end_label}` {{id: s._stage_end}}) {_merge_rel(g.type, 's._stage_key')} ")
    else:
        head = (f"UNWIND $rows AS row MATCH (a:`{g.start_label}` {{id: row.start}}) "
                f"MATCH (b:`{g.end_label}` {{id: row.end}}) {_merge_rel(g.type, 'row.key')} ")
    return head + _write("r", staged=staged, replace=replace)


def unwritten(var: str) -> str:
    """Held by ``$dataset`` but not written by this load (``$token``)."""
    return (f"$dataset IN {var}.{DATASETS_PROPERTY} "
            f"AND coalesce({var}.{LOAD_PROPERTY}, '') <> $token")


def unclaim(match: str, var: str) -> str:
    """Take ``$dataset`` off what ``match`` finds that this load did not write, and
    the properties only that dataset set; count them."""
    ds, ks = f"{var}.{DATASETS_PROPERTY}", f"{var}.{KEYS_PROPERTY}"
    mine = "substring(x, size($prefix))"
    return (
        f"{match} WHERE {unwritten(var)} {lock(var)}"
        f"WITH {var}, coalesce({ks}, []) AS had WHERE {unwritten(var)} "
        f"WITH {var}, had, [k IN had WHERE NOT k STARTS WITH $prefix] AS kept "
        f"WITH {var}, had, kept, [k IN kept | {_key_of('k')}] AS others "
        f"FOREACH (k IN [x IN had WHERE x STARTS WITH $prefix AND NOT {mine} IN others | {mine}] "
        f"| SET {var}[k] = null) "
        f"SET {ds} = [d IN {ds} WHERE d <> $dataset], {ks} = kept "
        f"RETURN count({var}) AS n"
    )


def conflict_statement(label: str) -> str:
    # With replace, a node only this dataset holds that it no longer writes
    # is about to be removed: not a conflict.
    return (f"UNWIND $rows AS row MATCH (n:`{label}` {{id: row.id}}) WHERE row.label <> '{label}' "
            f"AND NOT ($replace AND n.{DATASETS_PROPERTY} = [$dataset]) "
            f"RETURN row.id AS id, row.label AS wanted, '{label}' AS found, "
            f"n.{DATASETS_PROPERTY} AS datasets LIMIT 5")


STAGE_UPLOAD = (
    f"UNWIND $rows AS row CREATE (s:{STAGED_LABEL}) SET s = row.props, s += row.stage, "
    "s._stage_job = $job, s._stage_batch = $batch"
)
STAGE_DONE = (f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) "
               "SET j.done = j.done + $batch RETURN count(j) AS n")
STAGE_CLAIM = (f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) "
                "SET j.switching = datetime() RETURN count(j) AS n")


