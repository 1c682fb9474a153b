// graphmodel's own query for graphmodel/neo4j/connection.py.

// name: server_answers
// The first query of a new connection: it proves the server answers, accepts the credentials
// and has the database; its summary names the database the server resolved.
RETURN 1
