"""A deliberately naive writer of a GraphPayload into Neo4j (a test helper, not a loader).

One plain ``CREATE`` per node and per relationship, in one transaction, no
batching, no MERGE, no constraints: independent of the real loader, so
tests can fill a server before the loader exists and later use this as an
oracle for it. Nodes get ``id`` plus their properties, relationships their
properties, exactly the plain schema of :meth:`graphmodel.model.Dataset.to_graph`.
"""

from __future__ import annotations

from graphmodel.model import GraphPayload

__all__ = ["clear", "write_payload"]


def clear(driver) -> None:
    """Delete every node and relationship of the default database."""
    driver.execute_query("MATCH (n) DETACH DELETE n")


def write_payload(driver, payload: GraphPayload) -> None:
    """Write ``payload`` node by node, then relationship by relationship."""

    def work(tx):
        for n in payload.nodes:
            # Labels and types come from the model's enums, never from data.
            tx.run(f"CREATE (n:{n.label.value}) SET n = $props, n.id = $id",
                   props=n.properties, id=n.id).consume()
        for r in payload.relationships:
            summary = tx.run(
                f"MATCH (a:{r.start_label.value} {{id: $start}}), (b:{r.end_label.value} {{id: $end}}) "
                f"CREATE (a)-[r:{r.type.value}]->(b) SET r = $props",
                start=r.start, end=r.end, props=r.properties,
            ).consume()
            if summary.counters.relationships_created != 1:
                raise AssertionError(f"could not write {r!r}: missing or duplicate end node")

    with driver.session() as session:
        session.execute_write(work)
