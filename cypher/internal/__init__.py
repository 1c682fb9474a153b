"""graphmodel's own queries (the load gate, the Neo4j backend, the read-only check), shipped as
package data: apart from the library that ``graphmodel query`` lists and runs (see
graphmodel/queries/library.py)."""
