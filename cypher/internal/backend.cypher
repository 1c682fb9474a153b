// graphmodel's own queries for graphmodel/neo4j/backend.py: the Neo4j backend's questions
// (the nodes of a label, the relationships of a type, counts) over the whole database, or
// over the nodes and relationships one dataset wrote ($dataset IN x._datasets: the loader
// records there the datasets that wrote each). The labels and types listed are the model's
// (graphmodel/model.py, NodeLabel and RelType; tests/queries/test_library.py holds them equal).

// name: nodes_first_page
// params: limit, dataset?
// labels: label
// The first $limit nodes of one label in id order, with their properties: the backend reads
// a label page by page. With $dataset, only the nodes that dataset wrote.
MATCH (n:`{label}`)
WHERE $dataset IS NULL OR $dataset IN n._datasets
RETURN n.id AS id, properties(n) AS props
ORDER BY n.id
LIMIT $limit

// name: nodes_next_page
// params: after, limit, dataset?
// labels: label
// The next page: the first $limit nodes whose id follows $after, the last id of the page
// before (keyset paging: a seek on the label's id index, however far the page is).
MATCH (n:`{label}`)
WHERE n.id > $after AND ($dataset IS NULL OR $dataset IN n._datasets)
RETURN n.id AS id, properties(n) AS props
ORDER BY n.id
LIMIT $limit

// name: relationships_from
// params: ids, labels, dataset?
// labels: start, type
// The relationships of one type from one page of nodes of one label ($ids), each with the
// label of its end ($labels: the model's labels), the end's id and its properties, in a
// fixed order (not the store's), so that every read draws the same page. With $dataset,
// only the relationships that dataset wrote.
UNWIND $ids AS id
MATCH (a:`{start}` {id: id})-[r:`{type}`]->(b)
WHERE $dataset IS NULL OR $dataset IN r._datasets
RETURN a.id AS start, [l IN labels(b) WHERE l IN $labels][0] AS end_label, b.id AS end,
       properties(r) AS props
ORDER BY start, end_label, end, coalesce(toString(r.fiscal_year), r.tambon)

// name: dataset_wrote_a_node
// params: dataset
// One row if the dataset wrote a node of the model's labels, none if it wrote nothing.
MATCH (n:Agency|District|Fund|Group|Program|Province|Tambon)
WHERE $dataset IN n._datasets
RETURN 1 AS found
LIMIT 1

// name: dataset_counts
// params: dataset
// The nodes of each label and the relationships of each type that the dataset wrote,
// leaving out those with none, by name. Columns: type, count.
CALL () {
  MATCH (n:Agency) WHERE $dataset IN n._datasets RETURN 'Agency' AS type, count(n) AS count
  UNION ALL MATCH (n:District) WHERE $dataset IN n._datasets RETURN 'District' AS type, count(n) AS count
  UNION ALL MATCH (n:Fund) WHERE $dataset IN n._datasets RETURN 'Fund' AS type, count(n) AS count
  UNION ALL MATCH (n:Group) WHERE $dataset IN n._datasets RETURN 'Group' AS type, count(n) AS count
  UNION ALL MATCH (n:Program) WHERE $dataset IN n._datasets RETURN 'Program' AS type, count(n) AS count
  UNION ALL MATCH (n:Province) WHERE $dataset IN n._datasets RETURN 'Province' AS type, count(n) AS count
  UNION ALL MATCH (n:Tambon) WHERE $dataset IN n._datasets RETURN 'Tambon' AS type, count(n) AS count
  UNION ALL MATCH ()-[r:BASED_IN]->() WHERE $dataset IN r._datasets
            RETURN 'BASED_IN' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:COORDINATES_WITH]->() WHERE $dataset IN r._datasets
            RETURN 'COORDINATES_WITH' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:FUNDS]->() WHERE $dataset IN r._datasets
            RETURN 'FUNDS' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:IMPLEMENTS]->() WHERE $dataset IN r._datasets
            RETURN 'IMPLEMENTS' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:IN_DISTRICT]->() WHERE $dataset IN r._datasets
            RETURN 'IN_DISTRICT' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:IN_PROVINCE]->() WHERE $dataset IN r._datasets
            RETURN 'IN_PROVINCE' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:LOCATED_IN]->() WHERE $dataset IN r._datasets
            RETURN 'LOCATED_IN' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:MANAGES]->() WHERE $dataset IN r._datasets
            RETURN 'MANAGES' AS type, count(r) AS count
  UNION ALL MATCH ()-[r:PART_OF]->() WHERE $dataset IN r._datasets
            RETURN 'PART_OF' AS type, count(r) AS count
}
WITH type, count
WHERE count > 0
RETURN type, count
ORDER BY type

// name: dataset_names
// The names of the datasets loaded into the database, sorted: a scan of every node of the
// model's labels. Column: dataset.
MATCH (n:Agency|District|Fund|Group|Program|Province|Tambon)
UNWIND coalesce(n._datasets, []) AS dataset
RETURN DISTINCT dataset
ORDER BY dataset
