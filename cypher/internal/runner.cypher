// graphmodel's own queries for graphmodel/neo4j/runner.py: what the read-only check of an
// analyst's query asks the server about the procedures and functions its plan calls.

// name: procedure_modes
// params: names
// The mode (READ, WRITE, SCHEMA, DBMS) and the administrators-only flag of each of the
// procedures $names that the server knows; one it does not know has no row.
SHOW PROCEDURES YIELD name, mode, admin
WHERE name IN $names
RETURN name, mode, admin

// name: plugin_functions
// params: names
// Those of the functions $names that are not built into Neo4j (a plugin's), by name.
SHOW FUNCTIONS YIELD name, isBuiltIn
WHERE name IN $names AND NOT isBuiltIn
RETURN name
ORDER BY name
