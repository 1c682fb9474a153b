// fragment: area_graph_rows
// The rows of an area's subgraph (area_graph, agency_graph) from the lists `located`,
// `funding`, `implementation` and `links` (its LOCATED_IN, FUNDS, IMPLEMENTS and
// COORDINATES_WITH relationships), `extra` (the nodes it holds besides those named by the
// relationships: the groups based in the area, an agency and its own funds). Its nodes: every node those name; each fund's managing
// agency, and every agency above an agency (PART_OF); the tambons of its groups and links,
// their districts and provinces. Its relationships: the lists, then the MANAGES, PART_OF,
// BASED_IN, IN_DISTRICT and IN_PROVINCE of its funds, agencies, groups, tambons and
// districts. One row per node, then one per relationship: type (label or relationship
// type), start_label, start (the node's label and id, or the relationship's start),
// end_label, end (null for a node), props (its properties as [key, value] pairs, by key).
// (No UNION in the subqueries here: its DISTINCT would key each row on the lists in scope too.)
WITH located, funding, implementation, links,
     extra + COLLECT {
       UNWIND located + funding + implementation + links AS r
       UNWIND [startNode(r), endNode(r)] AS n
       RETURN DISTINCT n
     } AS named
WITH located, funding, implementation, links, named,
     [n IN named WHERE n:Fund] AS funds, [n IN named WHERE n:Group] AS groups
CALL (funds) {
  UNWIND funds AS f
  MATCH (a:Agency)-[manages:MANAGES]->(f)
  RETURN collect(manages) AS manages, collect(DISTINCT a) AS managers
}
CALL (named, managers) {
  UNWIND [n IN named WHERE n:Agency] + managers AS a
  OPTIONAL MATCH (a)-[:PART_OF]->*(up:Agency)
  WITH DISTINCT up
  OPTIONAL MATCH (up)-[part:PART_OF]->(:Agency)
  RETURN collect(DISTINCT up) AS agencies, collect(part) AS parts
}
CALL (groups) {
  UNWIND groups AS g
  MATCH (g)-[based:BASED_IN]->(:Tambon)
  RETURN collect(based) AS based
}
WITH located, funding, implementation, links, named, manages, agencies, parts, based,
     COLLECT {
       UNWIND [n IN named WHERE n:Tambon] + [b IN based | endNode(b)]
              + COLLECT { UNWIND links AS link MATCH (t:Tambon {id: link.tambon}) RETURN t } AS t
       RETURN DISTINCT t
     } AS tambons
CALL (tambons) {
  UNWIND tambons AS t
  MATCH (t)-[in_district:IN_DISTRICT]->(d:District)
  WITH collect(in_district) AS in_districts, collect(DISTINCT d) AS districts
  CALL (districts) {
    UNWIND districts AS d
    MATCH (d)-[in_province:IN_PROVINCE]->(:Province)
    RETURN collect(in_province) AS in_provinces
  }
  RETURN in_districts, districts, in_provinces
}
WITH [n IN named WHERE NOT n:Agency AND NOT n:Tambon] + agencies + tambons + districts
       + [r IN in_provinces | endNode(r)] AS nodes,
     located + funding + implementation + links + manages + parts + based + in_districts + in_provinces
       AS relationships
// Properties as [key, value] pairs by key, the loader's bookkeeping left out (it is most of
// a node's bytes, and a map cannot drop keys in plain Cypher).
CALL (nodes, relationships) {
  UNWIND nodes AS n
  WITH DISTINCT n
  WITH n, [l IN labels(n) WHERE NOT l STARTS WITH '_'][0] AS label
  RETURN label AS type, label AS start_label, n.id AS start, null AS end_label, null AS end,
         COLLECT { UNWIND keys(n) AS k WITH k WHERE NOT k STARTS WITH '_' RETURN [k, n[k]] ORDER BY k } AS props,
         null AS key
  UNION ALL
  UNWIND relationships AS r
  WITH DISTINCT r
  RETURN type(r) AS type, [l IN labels(startNode(r)) WHERE NOT l STARTS WITH '_'][0] AS start_label,
         startNode(r).id AS start, [l IN labels(endNode(r)) WHERE NOT l STARTS WITH '_'][0] AS end_label,
         endNode(r).id AS end,
         COLLECT { UNWIND keys(r) AS k WITH k WHERE NOT k STARTS WITH '_' RETURN [k, r[k]] ORDER BY k } AS props,
         coalesce(toString(r.fiscal_year), r.tambon) AS key
}
RETURN type, start_label, start, end_label, end, props
ORDER BY end IS NOT NULL, type, start, end_label, end, key

// name: area_graph
// params: tambon?, district?, province?
// The area subgraph of a tambon, district or province: what a question about it needs.
// The Neo4j backend opened for an area (graphmodel view/report/overlaps ... --neo4j with
// --tambon, --district or --province) answers its nodes, relationships and counts from
// these rows; docs/dataset.md ("What a scoped command reads and checks") defines the
// subgraph, and the folder's reader picks the same rows (tests hold the two equal). For
// the tambons of the area (area_tambons): the programs located there, with those
// locations; the coordination links counting there (no tambon, or one of the area),
// whatever their ends; the funding and implementation of the programs and of the programs
// at those links' ends; the links limited to a tambon outside the area that touch the
// stake of a program of the area; the groups based in the area. Then every node named
// (area_graph_rows). Columns: type, start_label, start, end_label, end, props (a node:
// end null). Nodes first, then relationships, each by type and ids.
// example: graphmodel query area_graph --param tambon=802103
WITH {tambon: $tambon, district: $district, province: $province} AS area
CALL (area) {
  // include: area_tambons
  RETURN collect(t) AS tambons
}
CALL (tambons) {
  UNWIND tambons AS t
  MATCH (p:Program)-[located:LOCATED_IN]->(t)
  RETURN collect(located) AS located, collect(DISTINCT p) AS programs
}
WITH area, located, programs,
     COLLECT { UNWIND tambons AS t MATCH (g:Group)-[:BASED_IN]->(t) RETURN DISTINCT g } AS extra
CALL (area) {
  MATCH ()-[link:COORDINATES_WITH]->()
  WHERE link.tambon IS NULL OR any(code IN [link.tambon] WHERE
    // include: code_in_area
  )
  RETURN collect(link) AS counting
}
CALL (programs, counting) {
  UNWIND programs + COLLECT { UNWIND counting AS l UNWIND [startNode(l), endNode(l)] AS x RETURN x } AS q
  WITH DISTINCT q WHERE q:Program
  CALL (q) {
    OPTIONAL MATCH (:Fund)-[r:FUNDS]->(q)
    RETURN collect(r) AS funds
  }
  CALL (q) {
    OPTIONAL MATCH ()-[r:IMPLEMENTS]->(q)
    RETURN collect(r) AS implements
  }
  UNWIND [[funds, implements]] AS both
  RETURN reduce(s = [], x IN collect(both[0]) | s + x) AS funding,
         reduce(s = [], x IN collect(both[1]) | s + x) AS implementation
}
CALL (programs, area) {
  UNWIND programs AS p
  // include: program_stake
  WITH DISTINCT x
  MATCH (x)-[link:COORDINATES_WITH]-()
  WHERE link.tambon IS NOT NULL AND NOT any(code IN [link.tambon] WHERE
    // include: code_in_area
  )
  RETURN collect(DISTINCT link) AS elsewhere
}
WITH area, located, funding, implementation, counting + elsewhere AS links, extra
// include: area_graph_rows

// name: agency_graph
// params: agency
// The subgraph of one agency: what its view needs (graphmodel view --neo4j --agency ID).
// The Neo4j backend opened for an agency answers its nodes, relationships and counts from
// these rows; docs/dataset.md defines the subgraph, and the folder's reader picks the same
// rows (tests hold the two equal). The agency, its funds, the programs it funds through
// them or implements, with all their locations, funding and implementation; the
// coordination links touching the agency or the stake of one of those programs, and those
// between two nodes linked to the agency; the funding and implementation of the programs
// at those links' ends. Then every node named (area_graph_rows). No rows when $agency is
// not an agency. Columns as area_graph.
// example: graphmodel query agency_graph --param agency=codi
MATCH (agency:Agency {id: $agency})
CALL (agency) {
  OPTIONAL MATCH (agency)-[:MANAGES]->(f:Fund)
  RETURN collect(f) AS own
}
WITH agency, own,
     COLLECT {
       UNWIND COLLECT { MATCH (agency)-[:MANAGES]->(:Fund)-[:FUNDS]->(p:Program) RETURN p }
              + COLLECT { MATCH (agency)-[:IMPLEMENTS]->(p:Program) RETURN p } AS p
       RETURN DISTINCT p
     } AS programs
CALL (programs) {
  UNWIND programs AS p
  MATCH (p)-[located:LOCATED_IN]->(:Tambon)
  RETURN collect(located) AS located
}
CALL (programs) {
  UNWIND programs AS p
  // include: program_stake
  RETURN collect(DISTINCT x) AS stake
}
WITH agency, own, programs, located, stake + [agency] AS touched
CALL (agency) {
  OPTIONAL MATCH (agency)-[:COORDINATES_WITH]-(partner)
  WHERE partner <> agency
  RETURN collect(DISTINCT partner) AS partners
}
WITH agency, own, programs, located,
     COLLECT {
       UNWIND COLLECT { UNWIND touched AS x MATCH (x)-[link:COORDINATES_WITH]-() RETURN link }
              + COLLECT { UNWIND partners AS x MATCH (x)-[link:COORDINATES_WITH]-(y) WHERE y IN partners
                          RETURN link } AS link
       RETURN DISTINCT link
     } AS links
CALL (programs, links) {
  UNWIND programs + COLLECT { UNWIND links AS l UNWIND [startNode(l), endNode(l)] AS x RETURN x } AS q
  WITH DISTINCT q WHERE q:Program
  CALL (q) {
    OPTIONAL MATCH (:Fund)-[r:FUNDS]->(q)
    RETURN collect(r) AS funds
  }
  CALL (q) {
    OPTIONAL MATCH ()-[r:IMPLEMENTS]->(q)
    RETURN collect(r) AS implements
  }
  UNWIND [[funds, implements]] AS both
  RETURN reduce(s = [], x IN collect(both[0]) | s + x) AS funding,
         reduce(s = [], x IN collect(both[1]) | s + x) AS implementation
}
WITH located, funding, implementation, links, own + [agency] AS extra
// include: area_graph_rows
