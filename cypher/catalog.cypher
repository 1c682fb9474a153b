// name: schema
// params:
// Node labels and relationship patterns, with their counts and properties.
// One row per node label and one per relationship pattern ((:Start)-[:TYPE]->(:End)).
// Columns: kind ('node' or 'relationship'), name (label or type), pattern, count,
// properties (sorted). Labels and properties whose names start with _ are the
// loader's bookkeeping and are left out. Ordered by kind, name, pattern. Reads the whole
// graph once. Python twin: graphmodel/analysis/catalog.py (it knows the model's labels
// and types only; this twin lists any other label the server holds too).
// example: graphmodel query schema
CALL () {
  MATCH (n)
  UNWIND labels(n) AS label
  WITH label, n
  WHERE NOT label STARTS WITH '_'
  WITH label, count(n) AS count, collect(DISTINCT keys(n)) AS shapes
  RETURN 'node' AS kind, label AS name, '(:' + label + ')' AS pattern, count, shapes
  UNION ALL
  MATCH (a)-[r]->(b)
  WHERE NOT type(r) STARTS WITH '_'
  WITH type(r) AS name,
       reduce(s = '', l IN labels(a) | CASE WHEN l STARTS WITH '_' THEN s ELSE s + ':' + l END) AS start,
       reduce(s = '', l IN labels(b) | CASE WHEN l STARTS WITH '_' THEN s ELSE s + ':' + l END) AS end,
       r
  WITH name, start, end, count(r) AS count, collect(DISTINCT keys(r)) AS shapes
  RETURN 'relationship' AS kind, name, '(' + start + ')-[:' + name + ']->(' + end + ')' AS pattern,
         count, shapes
}
RETURN kind, name, pattern, count,
       COLLECT {
         UNWIND shapes AS shape
         UNWIND shape AS key
         WITH DISTINCT key
         WHERE NOT key STARTS WITH '_'
         RETURN key ORDER BY key
       } AS properties
ORDER BY kind, name, pattern

// name: counts
// params:
// Node counts per label and relationship counts per type, sorted by name.
// Only the labels and types of the graphmodel schema (docs/cypher.md), leaving out
// those with none: the same numbers as `graphmodel info DIR` and EmbeddedBackend.counts().
// Columns: type, count. Fast at any size: each count comes from Neo4j's count store.
// example: graphmodel query counts
CALL () {
  MATCH (n:Agency) RETURN 'Agency' AS type, count(n) AS count
  UNION ALL MATCH (n:District) RETURN 'District' AS type, count(n) AS count
  UNION ALL MATCH (n:Fund) RETURN 'Fund' AS type, count(n) AS count
  UNION ALL MATCH (n:Group) RETURN 'Group' AS type, count(n) AS count
  UNION ALL MATCH (n:Program) RETURN 'Program' AS type, count(n) AS count
  UNION ALL MATCH (n:Province) RETURN 'Province' AS type, count(n) AS count
  UNION ALL MATCH (n:Tambon) RETURN 'Tambon' AS type, count(n) AS count
  UNION ALL MATCH ()-[r:BASED_IN]->() RETURN 'BASED_IN' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:COORDINATES_WITH]->() RETURN 'COORDINATES_WITH' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:FUNDS]->() RETURN 'FUNDS' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:IMPLEMENTS]->() RETURN 'IMPLEMENTS' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:IN_DISTRICT]->() RETURN 'IN_DISTRICT' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:IN_PROVINCE]->() RETURN 'IN_PROVINCE' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:LOCATED_IN]->() RETURN 'LOCATED_IN' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:MANAGES]->() RETURN 'MANAGES' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:PART_OF]->() RETURN 'PART_OF' AS type, count(r) AS count
}
WITH type, count
WHERE count > 0
RETURN type, count
ORDER BY type
