"""Commands that talk to a Neo4j server: ``load``, ``query`` (being built, issue 4)."""
