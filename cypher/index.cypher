// name: area_profile
// params: by, tambon?, district?, province?
// Per tambon, district or province: tambons, programs and agencies located there.
// The Cypher twin of graphmodel/analysis/index.py:area_profile; `graphmodel index` adds the
// parallel pairs (overlaps) and the money (program_sides) to it.
// $by: tambon, district or province (the level of the rows). $tambon, $district,
// $province: only that area (at most one).
// Columns: area (code), tambons (with a program), programs and agencies (distinct, located
// in the area; agencies as in program_agencies), tambon_agencies (each tambon's distinct
// agencies, added up over the area's tambons). One row per area with a program, by code.
// example: graphmodel query area_profile --param by=district --param province=80
WITH {tambon: $tambon, district: $district, province: $province} AS area
// include: area_tambons
WITH t WHERE EXISTS { (:Program)-[:LOCATED_IN]->(t) }
CALL (t) {
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  WITH DISTINCT p
  WITH p, COLLECT {
    // include: program_agencies
    RETURN a
  } AS agencies
  UNWIND CASE WHEN agencies = [] THEN [null] ELSE agencies END AS a
  RETURN collect(DISTINCT p) AS programs, collect(DISTINCT a) AS agencies
}
WITH left(t.id, CASE $by WHEN 'province' THEN 2 WHEN 'district' THEN 4 ELSE 6 END) AS area,
     collect({programs: programs, agencies: agencies}) AS here
RETURN area, size(here) AS tambons,
       size(COLLECT { UNWIND here AS h UNWIND h.programs AS p RETURN DISTINCT p }) AS programs,
       size(COLLECT { UNWIND here AS h UNWIND h.agencies AS a RETURN DISTINCT a }) AS agencies,
       reduce(n = 0, h IN here | n + size(h.agencies)) AS tambon_agencies
ORDER BY area

// name: pair_brokers
// params: pairs
// Who coordinates each of the given parallel pairs by a coordination link.
// The Cypher twin of graphmodel/analysis/index.py:pair_brokers; `graphmodel index` counts,
// per node, the coordinated pairs it accounts for (its brokers).
// $pairs: [tambon, program_a, program_b] lists (the overlaps query's coordinated pairs).
// Columns: tambon, program_a, program_b, link_ends (the members of either stake joined to
// the other stake by a link counting in the tambon: clause b), coordinators (the nodes
// with such links into both stakes: clause c), ids sorted. One row per input pair whose
// tambon and programs exist, by tambon, program_a, program_b.
// example: graphmodel query pair_brokers --param 'pairs:=[["802103","codi_life_plan","dopa_poverty_survey"]]'
// include: pair_sides
RETURN t.id AS tambon, A.id AS program_a, B.id AS program_b,
       COLLECT {
         UNWIND A.stake + B.stake AS x
         MATCH (x)-[link:COORDINATES_WITH]-(y)
         WHERE ((x IN A.stake AND y IN B.stake) OR (x IN B.stake AND y IN A.stake)) AND
           // include: link_counts_in_tambon
         RETURN DISTINCT x.id AS id ORDER BY id
       } AS link_ends,
       COLLECT { UNWIND A.near AS x WITH x WHERE x IN B.near RETURN DISTINCT x.id AS id ORDER BY id }
         AS coordinators
ORDER BY tambon, program_a, program_b

// fragment: broker_network_edges
// The edges of the broker network of the area ($tambon, $district or $province; all when
// none), one row each as `x`, `y` (x.id < y.id). Nodes: the agencies and groups in the
// stake of a program located in the area, and the programs located there with two or
// more of them; each such program is joined to them; each coordination link counting in
// the area (no tambon, or a tambon of the area) joins its ends, a fund standing for the
// agency managing it and a program for its agencies and groups; a node outside joins
// only when its links reach two nodes. Python twin: graphmodel.analysis.index.broker_network.
WITH {tambon: $tambon, district: $district, province: $province} AS area
CALL (area) {
  // include: area_tambons
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  WITH DISTINCT p
  CALL (p) {
    // include: program_stake
    WITH x WHERE NOT x:Program
    RETURN collect(x) AS members
  }
  RETURN collect({p: p, members: members}) AS programs
}
CALL (programs) {
  UNWIND programs AS prog
  UNWIND prog.members AS x
  RETURN collect(DISTINCT x) AS actors
}
WITH area, programs, actors + [prog IN programs WHERE size(prog.members) > 1 | prog.p] AS nodes
CALL (programs) {
  UNWIND programs AS prog
  WITH prog WHERE size(prog.members) > 1
  UNWIND prog.members AS x
  RETURN collect([prog.p, x]) AS stake_edges
}
CALL (nodes, area) {
  MATCH (u)-[link:COORDINATES_WITH]->(v)
  WHERE link.tambon IS NULL OR any(code IN [link.tambon] WHERE
    // include: code_in_area
  )
  UNWIND [u, v] AS end
  CALL (end) {
    // A fund stands for the agency managing it, a program for its agencies and groups.
    MATCH (x:Agency)-[:MANAGES]->(end:Fund)
    RETURN x
    UNION
    WITH end AS p WHERE p:Program
    // include: program_stake
    WITH x WHERE NOT x:Program
    RETURN x
    UNION
    WITH end AS x WHERE x:Agency OR x:Group
    RETURN x
  }
  WITH link, u, end, collect(x) AS xs
  WITH link, collect(CASE WHEN end = u THEN xs END)[0] AS us, collect(CASE WHEN end = u THEN null ELSE xs END)[0] AS vs
  UNWIND us AS x
  UNWIND vs AS y
  WITH x, y WHERE x <> y AND (x IN nodes OR y IN nodes)
  RETURN collect(DISTINCT [x, y]) AS linked
}
WITH nodes, stake_edges, linked,
     COLLECT {
       UNWIND linked AS e
       WITH CASE WHEN e[0] IN nodes THEN e[1] ELSE e[0] END AS outer,
            CASE WHEN e[0] IN nodes THEN e[0] ELSE e[1] END AS inner
       WHERE NOT outer IN nodes
       WITH outer, count(DISTINCT inner) AS reached
       WHERE reached > 1
       RETURN outer
     } AS joined
UNWIND stake_edges + [e IN linked WHERE (e[0] IN nodes OR e[0] IN joined) AND (e[1] IN nodes OR e[1] IN joined)] AS e
WITH DISTINCT CASE WHEN e[0].id < e[1].id THEN e ELSE [e[1], e[0]] END AS e
WITH e[0] AS x, e[1] AS y

// name: broker_network
// params: tambon?, district?, province?
// The edges of the broker network of an area, for betweenness centrality.
// The Cypher twin of graphmodel/analysis/index.py:broker_network (the network is
// defined in docs/analysis.md); `graphmodel index` computes betweenness on it with
// networkx, or with broker_betweenness_gds where the server has the Graph Data Science
// library. Columns: a, a_label, b, b_label (a < b; labels Agency, Group or Program). One
// row per edge, by a, b. $tambon, $district, $province: only that area (at most one).
// example: graphmodel query broker_network --param province=80
// include: broker_network_edges
RETURN x.id AS a, [l IN labels(x) WHERE l IN ['Agency', 'Group', 'Program']][0] AS a_label,
       y.id AS b, [l IN labels(y) WHERE l IN ['Agency', 'Group', 'Program']][0] AS b_label
ORDER BY a, b

// name: gds_procedures
// params:
// Whether the server has the Graph Data Science betweenness procedure (count: 0 or 1).
// `graphmodel index --neo4j` asks before it uses broker_betweenness_gds.
// example: graphmodel query gds_procedures
SHOW PROCEDURES YIELD name
WHERE name = 'gds.betweenness.stream'
RETURN count(*) AS count

// name: broker_betweenness_gds
// params: tambon?, district?, province?
// Betweenness of the broker network of an area, by the Graph Data Science library.
// Needs GDS on the server (scripts/neo4j-dev start --gds; gds_procedures says whether it
// is there). Projects broker_network as an undirected graph named after the area,
// streams gds.betweenness.stream (unnormalised, as networkx with normalized=False), and
// drops the projection. Columns: id, score, by id.
// example: graphmodel query broker_betweenness_gds --param province=80
// include: broker_network_edges
WITH gds.graph.project('graphmodel-brokers-' + coalesce($tambon, $district, $province, 'all')
                       + '-' + randomUUID(), x, y, {},
                       {undirectedRelationshipTypes: ['*']}) AS g
CALL gds.betweenness.stream(g.graphName) YIELD nodeId, score
WITH g, gds.util.asNode(nodeId).id AS id, score
ORDER BY id
WITH g, collect({id: id, score: score}) AS scores
CALL gds.graph.drop(g.graphName) YIELD graphName
UNWIND scores AS s
RETURN s.id AS id, s.score AS score
ORDER BY id
