"""The Cypher the loader sends (labels and types from the model's enums, every value a parameter).

Labels and relationship types come from :class:`~graphmodel.model.NodeLabel`
and :class:`~graphmodel.model.RelType`, never from input, so they can be put
in the text; every value travels as a parameter. Rows are the compact lists
of :mod:`.plan`: ``[id, props]`` and ``[start, end, props(, key)]``.

Examples
--------
>>> node_statement("Program", replace=True).split(" SET ")[0]
'UNWIND $rows AS row MERGE (n:`Program` {id: row[0]})'
>>> rel_statement("LOCATED_IN", "Program", "Tambon", replace=True).split(" SET ")[0]
"UNWIND $rows AS row MATCH (a:`Program` {id: row[0]}) MATCH (b:`Tambon` {id: row[1]}) MERGE (a)-[r:`LOCATED_IN` {_key: 'LOCATED_IN'}]->(b)"
"""

from __future__ import annotations

from ...model import REL_KEY_PROPERTY, RelType
from .plan import (
    DATASETS_PROPERTY, KEYS_PROPERTY, LOAD_LABEL, LOAD_PROPERTY, REL_KEY, STATE_LABEL, UNDIRECTED, VALUE_PREFIX,
)

__all__ = ["lock", "node_statement", "node_update", "rel_statement", "rel_update", "removals", "conflict_statement", "OPEN", "TAKE_OVER",
           "BATCH_DONE", "CLOSE", "SETTLE", "BUMP", "FIND", "ENTITIES_PRESENT", "HELD", "LOADED"]

#: Rows per inner transaction of the ``replace`` and ``unload`` removals.
REMOVAL_BATCH = 10_000

#: The load gate's writers' half (graphmodel/neo4j/gate.py): one more version of the graph, in
#: the transaction that opens or closes a load.
BUMP = (f"MERGE (s:{STATE_LABEL} {{name: 'graph'}}) "
        "SET s.version = coalesce(s.version, 0) + 1")


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


def _or_null(expr: str) -> str:
    """``expr``, a list, or null when it is empty (an empty list is not stored)."""
    return f"CASE WHEN size({expr}) = 0 THEN null ELSE {expr} END"


def _saved(var: str, entry: str) -> str:
    """The value the dataset of ``entry`` (``dataset/key``) set, kept while another's is shown."""
    return f"{var}['{VALUE_PREFIX}' + {entry}]"


def _keep_others(var: str, props: str) -> str:
    """Before ``var`` takes ``$dataset``'s values of ``props``: the dataset whose value of each of those
    keys ``var`` shows (the writer with no saved value) keeps it saved, and ``$dataset``'s own saved
    values of them go (its values are about to be shown)."""
    ks = f"{var}.{KEYS_PROPERTY}"
    return (f"FOREACH (x IN [x IN coalesce({ks}, []) WHERE NOT x STARTS WITH $prefix "
            f"AND {_key_of('x')} IN keys({props}) AND {_saved(var, 'x')} IS NULL] | "
            f"SET {_saved(var, 'x')} = {var}[{_key_of('x')}]) "
            f"FOREACH (k IN [k IN keys({props}) WHERE {_saved(var, '$prefix + k')} IS NOT NULL] | "
            f"SET {_saved(var, '$prefix + k')} = null) ")


def _give_up(var: str, gone: str, scope: str) -> str:
    """``$dataset`` no longer sets the keys ``gone``: where ``var`` shows its value, show the saved
    value of another dataset that set the key, or remove the key when none did; where it does
    not, its saved value goes. ``scope`` names the variables to carry, ``kept`` (the other
    datasets' entries) and ``others`` (their keys) among them. A key another dataset set before
    values were saved (a load older than this) keeps its value."""
    mine = _saved(var, "$prefix + k")
    return (f"WITH {scope}, [k IN {gone} WHERE {mine} IS NULL] AS shown, "
            f"[k IN {gone} WHERE {mine} IS NOT NULL] AS hidden "
            f"FOREACH (k IN hidden | SET {mine} = null) "
            f"FOREACH (k IN shown | "
            f"FOREACH (e IN [y IN kept WHERE {_key_of('y')} = k AND {_saved(var, 'y')} IS NOT NULL][-1..] | "
            f"SET {var}[k] = {_saved(var, 'e')}, {_saved(var, 'e')} = null) "
            f"FOREACH (_ IN CASE WHEN k IN others THEN [] ELSE [1] END | SET {var}[k] = null)) ")


def _write(var: str, props: str, *, replace: bool) -> str:
    """What follows the MERGE of ``var``: set its properties ``props`` and record who set them.

    A new ``var`` gets them in ``ON CREATE SET``. On one that exists, the
    values other datasets set for these keys are kept (:func:`_keep_others`)
    before ``$dataset``'s are shown: the last load's value is the one shown,
    and an unload or a replace shows another dataset's again (:func:`_give_up`).

    Without ``replace`` this part only creates, and takes the lock of what
    exists; it returns ``i``, the place in ``$rows`` of each row that found
    ``var`` otherwise than it would leave it, and :func:`_update` writes those
    rows in a second statement. A first load or a reload thus makes none of
    the property writes by name of :func:`_keep_others` (about 1.2 times the
    server's CPU when every row went through them; benchmarks/README.md,
    ``shared_datasets.py``). With ``replace`` the dataset's keys replace
    those it set before, a key it set before and sets no more is given up,
    and ``_load = $token`` marks ``var`` as written by this load.
    """
    ds, ks = f"{var}.{DATASETS_PROPERTY}", f"{var}.{KEYS_PROPERTY}"
    mine = "substring(x, size($prefix))"
    if not replace:
        # What a new one got, or one this dataset alone wrote as it is now: nothing more to do.
        same = (f"coalesce($dataset IN {ds} AND all(k IN keys(p) WHERE {var}[k] = p[k] AND ($prefix + k) IN {ks} "
                f"AND {_saved(var, '$prefix + k')} IS NULL), false)")
        return (f"ON CREATE SET {var} += {props}, {ds} = [$dataset], "
                f"{ks} = {_or_null(f'[k IN keys({props}) | $prefix + k]')} "
                f"ON MATCH SET {lock(var)[4:].strip()} "
                f"WITH i, {var}, {props} AS p WHERE NOT ({same}) RETURN i")
    kept = "kept + [k IN keys(p) | $prefix + k]"
    return (lock(var) + f"WITH {var}, {props} AS p, coalesce({ks}, []) AS had "
            f"WITH {var}, p, had, [k IN had WHERE NOT k STARTS WITH $prefix] AS kept "
            f"WITH {var}, p, had, kept, [k IN kept | {_key_of('k')}] AS others "
            + _give_up(var, f"[x IN had WHERE x STARTS WITH $prefix AND NOT {mine} IN keys(p) | {mine}]",
                       f"{var}, p, had, kept, others")
            + _keep_others(var, "p")
            + f"SET {var} += p, {_datasets(var)}, {ks} = {_or_null(kept)}, {var}.{LOAD_PROPERTY} = $token")


def _datasets(var: str) -> str:
    """``$dataset`` among those that wrote ``var`` (once)."""
    ds = f"{var}.{DATASETS_PROPERTY}"
    return f"{ds} = CASE WHEN $dataset IN coalesce({ds}, []) THEN {ds} ELSE coalesce({ds}, []) + $dataset END"


def _update(var: str, props: str) -> str:
    """The rest of a load without ``replace``, for the rows :func:`_write` returned: keep the values
    of the others, show ``$dataset``'s, and add its keys to those it set before."""
    ks = f"{var}.{KEYS_PROPERTY}"
    added = f"coalesce({ks}, []) + [k IN keys(p) WHERE NOT ($prefix + k) IN coalesce({ks}, []) | $prefix + k]"
    return (f"WITH {var}, {props} AS p " + _keep_others(var, "p")
            + f"SET {var} += p, {_datasets(var)}, {ks} = {_or_null(added)}")


#: Rows with their place in ``$rows``, which a load without ``replace`` returns for its second statement.
_NUMBERED = "UNWIND range(0, size($rows) - 1) AS i WITH i, $rows[i] AS row "


def node_statement(label: str, *, replace: bool) -> str:
    """MERGE a batch of ``[id, props]`` rows of ``label`` on its unique ``id``; without ``replace``,
    return the rows that need :func:`node_update` (their place in ``$rows``, as ``i``)."""
    unwind = "UNWIND $rows AS row " if replace else _NUMBERED
    return unwind + f"MERGE (n:`{label}` {{id: row[0]}}) " + _write("n", "row[1]", replace=replace)


def node_update(label: str) -> str:
    """The second statement of a load without ``replace``, for the rows :func:`node_statement` named."""
    return f"UNWIND $rows AS row MATCH (n:`{label}` {{id: row[0]}}) " + _update("n", "row[1]")


def _rel_parts(rtype: str, start_label: str, end_label: str) -> tuple[str, str]:
    """The ends of a ``[start, end, props(, key)]`` row, by their ``id``, and the relationship's pattern."""
    key = "row[3]" if RelType(rtype) in REL_KEY_PROPERTY else f"'{rtype}'"
    arrow = "-" if rtype in UNDIRECTED else "->"
    return (f"MATCH (a:`{start_label}` {{id: row[0]}}) MATCH (b:`{end_label}` {{id: row[1]}}) ",
            f"(a)-[r:`{rtype}` {{{REL_KEY}: {key}}}]{arrow}(b)")


def rel_statement(rtype: str, start_label: str, end_label: str, *, replace: bool) -> str:
    """MERGE a batch of ``[start, end, props(, key)]`` rows of ``rtype``, both ends by their ``id``;
    without ``replace``, return the rows that need :func:`rel_update` (as ``i``)."""
    ends, pattern = _rel_parts(rtype, start_label, end_label)
    unwind = "UNWIND $rows AS row " if replace else _NUMBERED
    return unwind + ends + f"MERGE {pattern} " + _write("r", "row[2]", replace=replace)


def rel_update(rtype: str, start_label: str, end_label: str) -> str:
    """The second statement of a load without ``replace``, for the rows :func:`rel_statement` named."""
    ends, pattern = _rel_parts(rtype, start_label, end_label)
    return "UNWIND $rows AS row " + ends + f"MATCH {pattern} " + _update("r", "row[2]")


def _unwritten(var: str) -> str:
    """Held by ``$dataset`` but not written by this load (``$token``)."""
    return (f"$dataset IN {var}.{DATASETS_PROPERTY} "
            f"AND coalesce({var}.{LOAD_PROPERTY}, '') <> $token")


def _unclaim(var: str) -> str:
    """Take ``$dataset`` off ``var``: its keys show another dataset's value, or go (:func:`_give_up`)."""
    ds, ks = f"{var}.{DATASETS_PROPERTY}", f"{var}.{KEYS_PROPERTY}"
    mine = "substring(x, size($prefix))"
    return (
        f"{lock(var)}WITH {var}, coalesce({ks}, []) AS had WHERE {_unwritten(var)} "
        f"WITH {var}, had, [k IN had WHERE NOT k STARTS WITH $prefix] AS kept "
        f"WITH {var}, had, kept, [k IN kept | {_key_of('k')}] AS others "
        + _give_up(var, f"[x IN had WHERE x STARTS WITH $prefix | {mine}]", f"{var}, had, kept, others")
        + f"SET {ds} = [d IN {ds} WHERE d <> $dataset], {ks} = {_or_null('kept')}"
    )


def removals(*, batched: bool) -> list[tuple[str, str]]:
    """The ``replace`` step: ``(what, statement)``, each statement returning ``n``.

    What ``$dataset`` holds and the load ``$token`` did not write: deleted
    when no other dataset holds it, else it loses the dataset's name and the
    properties only that dataset set. Relationships first, then nodes; one
    scan of all relationships or nodes each. ``batched``: each statement
    commits every :data:`REMOVAL_BATCH` rows (``CALL { } IN TRANSACTIONS``,
    which needs an auto-commit transaction of its own); otherwise they run
    inside the caller's transaction.
    """
    def each(match: str, var: str, body: str) -> str:
        tail = f" IN TRANSACTIONS OF {REMOVAL_BATCH} ROWS" if batched else ""
        return f"{match} CALL ({var}) {{ {body} }}{tail} RETURN count(*) AS n"

    only = f"{{var}}.{DATASETS_PROPERTY} = [$dataset]"
    rel, node = "MATCH ()-[r]->() WHERE " + _unwritten("r"), "MATCH (n) WHERE " + _unwritten("n")
    # Each candidate is locked, then checked again: a load of another dataset may have claimed
    # it since it was read (tests/neo4j/test_concurrent_loads.py).
    def still(var: str) -> str:
        return f"{lock(var)}WITH {var} WHERE {_unwritten(var)} AND {only.format(var=var)} "

    return [
        ("relationships deleted", each(f"{rel} AND {only.format(var='r')}", "r", still("r") + "DELETE r")),
        ("relationships kept for other datasets", each(rel, "r", _unclaim("r"))),
        ("nodes deleted", each(f"{node} AND {only.format(var='n')}", "n", still("n") + "DETACH DELETE n")),
        ("nodes kept for other datasets", each(node, "n", _unclaim("n"))),
    ]


def conflict_statement() -> str:
    """Ids of ``$rows`` (``[id, label]``) the database holds under another entity label.

    With replace, a node only this dataset holds that it no longer writes
    is about to be removed: not a conflict.
    """
    branches = " UNION ".join(
        f"MATCH (n:`{label}` {{id: row[0]}}) WHERE row[1] <> '{label}' "
        f"AND NOT ($replace AND n.{DATASETS_PROPERTY} = [$dataset]) "
        f"RETURN '{label}' AS found, n.{DATASETS_PROPERTY} AS datasets"
        for label in ("Agency", "Fund", "Program", "Group"))
    return (f"UNWIND $rows AS row CALL (row) {{ {branches} }} "
            "RETURN row[0] AS id, row[1] AS wanted, found, datasets LIMIT 5")


#: Whether the database holds any agency, fund, program or group (count store: instant).
ENTITIES_PRESENT = ("CALL () { MATCH (n:Agency) RETURN count(n) AS c UNION ALL MATCH (n:Fund) RETURN count(n) AS c "
                    "UNION ALL MATCH (n:Program) RETURN count(n) AS c UNION ALL MATCH (n:Group) RETURN count(n) AS c } "
                    "RETURN sum(c) > 0 AS present")

#: Whether any node records ``$dataset`` (a scan that stops at the first).
HELD = f"RETURN EXISTS {{ MATCH (n) WHERE $dataset IN n.{DATASETS_PROPERTY} }} AS held"
#: Every dataset the nodes record, and those with a marker (a whole scan: only to word a refusal).
LOADED = (f"CALL () {{ MATCH (n) WHERE n.{DATASETS_PROPERTY} IS NOT NULL UNWIND n.{DATASETS_PROPERTY} AS d "
          f"RETURN d UNION MATCH (j:{LOAD_LABEL}) RETURN j.dataset AS d }} "
          "RETURN d ORDER BY d")

#: The marker of the dataset's batched load, if any.
FIND = f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) RETURN j {{.*}} AS job"
_MARKER = ("kind: $kind, job: $job, token: $token, replace: $replace, batch_size: $batch_size, "
           "rows: $rows, batches: $batches, done: 0, started: datetime(), updated: datetime()")
#: Open the gate: the marker and one more version, in one transaction.
OPEN = f"CREATE (j:{LOAD_LABEL} {{dataset: $dataset, {_MARKER}}}) WITH j {BUMP}"
#: A new job for a dataset whose earlier batched load was left unfinished (the gate stays shut).
TAKE_OVER = (f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) SET j += {{{_MARKER}}} "
             "RETURN count(j) AS n")
#: After each batch, in its transaction: how many batches are written.
BATCH_DONE = (f"MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) "
              "SET j.done = $done, j.updated = datetime() RETURN count(j) AS n")
#: Close the gate: the marker goes, the version moves on, in one transaction.
CLOSE = (f"OPTIONAL MATCH (j:{LOAD_LABEL} {{dataset: $dataset, job: $job}}) DELETE j "
         f"WITH count(j) AS n {BUMP} RETURN n")
#: In a one-transaction load: the version moves on, and the marker of an
#: unfinished batched load of the dataset goes (this load overtakes it).
SETTLE = (f"OPTIONAL MATCH (j:{LOAD_LABEL} {{dataset: $dataset}}) DELETE j "
          f"WITH count(j) AS n {BUMP} RETURN n")
