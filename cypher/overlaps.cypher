// name: overlaps
// params: tambon?, province?, tambons?
// Parallel program pairs per tambon, coordinated or not (the overlaps rule).
// The Cypher twin of graphmodel/analysis/overlaps.py (tests hold the two equal).
// P and Q are parallel in tambon T when both are located in T, their years overlap,
// they share a theme and no agency funds (through a fund it manages) or implements both.
// The pair is coordinated when a group implements both (shared_group), a coordination
// link counting in T joins the two stakes (program, its agencies, its groups;
// direct_link), or one node has such links into both stakes (shared_coordinator).
// One row per pair, ids only: tambon, program_a, program_b (program_a < program_b),
// shared_themes (sorted), overlap_years [start, end], coordinated, coordinated_by.
// $tambon: one 6-digit tambon code; $province: a 2-digit province code (tambon code
// prefix); $tambons: a list of tambon codes (graphmodel pages through a country this way).
// example: graphmodel query overlaps --param tambon=802103
// example: graphmodel query overlaps --param province=80 --format csv
// The tambons, found through the unique index on Tambon.id: a seek per code given
// ($tambon, or the page $tambons), else a range seek on the $province prefix (every tambon
// without one); then every filter given applies.
CALL () {
  UNWIND CASE WHEN coalesce($tambon, '') <> '' THEN [$tambon] ELSE coalesce($tambons, []) END AS code
  MATCH (t:Tambon {id: code})
  RETURN t
  UNION
  WITH coalesce($tambon, '') = '' AND $tambons IS NULL AS every
  WHERE every
  MATCH (t:Tambon) WHERE t.id STARTS WITH coalesce($province, '')
  RETURN t
}
WITH t WHERE (coalesce($tambon, '') = '' OR t.id = $tambon)
  AND (coalesce($province, '') = '' OR t.id STARTS WITH $province)
  AND ($tambons IS NULL OR t.id IN $tambons)
// Memory: one tambon at a time (a CALL subquery per tambon, in id order), and rows of ids.
WITH t ORDER BY t.id
CALL (t) {
  // include: tambon_parallel_pairs
  // Grouped by the output values (one group per pair), so that the rows the final sort
  // buffers hold those values only, not the tambon's whole list of sides each (a tambon of
  // 120 programs, 7,140 pairs, ran out of transaction memory: issue 15).
  RETURN A.id AS program_a, B.id AS program_b,
         [x IN A.themes WHERE x IN B.themes] AS shared_themes, [y0, y1] AS overlap_years,
         coordinated_by, count(*) AS once
}
RETURN t.id AS tambon, program_a, program_b, shared_themes, overlap_years,
       size(coordinated_by) > 0 AS coordinated, coordinated_by
ORDER BY tambon, program_a, program_b

// name: tambons_with_programs
// params: tambon?, province?, minimum?
// The tambons where programs are located, with how many.
// One row per tambon with at least $minimum programs (default 1): tambon, programs.
// graphmodel overlaps pages through these (two programs or more) on a large graph.
// example: graphmodel query tambons_with_programs --param province=80 --param minimum:=2
CALL () {
  // A seek on the unique index: one tambon, or the $province prefix ('' for every tambon).
  MATCH (t:Tambon {id: $tambon}) RETURN t
  UNION
  WITH coalesce($tambon, '') = '' AS every
  WHERE every
  MATCH (t:Tambon) WHERE t.id STARTS WITH coalesce($province, '')
  RETURN t
}
WITH t WHERE coalesce($province, '') = '' OR t.id STARTS WITH $province
WITH t, COUNT { MATCH (p:Program)-[:LOCATED_IN]->(t) } AS programs
WHERE programs > 0 AND programs >= coalesce($minimum, 1)
RETURN t.id AS tambon, programs
ORDER BY tambon

// name: program_sides
// params: programs?
// Each program with its years, themes, agencies, groups and known budget.
// The side of a program in an overlaps finding. One row per program (those in the list
// $programs, or all), by id: program {id, name, name_en}, start_year, end_year, themes
// (sorted), agencies and groups ([{id, name, name_en, kind}] by id), budget_thb (the sum
// of known amounts, null when none is known), unknown_amounts (funding links without an
// amount), channels (of the funds funding it, sorted), pilot.
// example: graphmodel query program_sides --param 'programs:=["codi_life_plan"]'
CALL () {
  UNWIND coalesce($programs, []) AS id
  MATCH (p:Program {id: id})
  RETURN p
  UNION
  MATCH (p:Program)
  WHERE $programs IS NULL
  RETURN p
}
WITH p ORDER BY p.id
// include: program_budget
RETURN {id: p.id, name: coalesce(nullIf(p.name, ''), p.id), name_en: p.name_en} AS program,
       p.start_year AS start_year, p.end_year AS end_year,
       COLLECT { UNWIND coalesce(p.themes, []) AS x RETURN DISTINCT x ORDER BY x } AS themes,
       COLLECT {
         // include: program_agencies
         RETURN {id: a.id, name: coalesce(nullIf(a.name, ''), a.id), name_en: a.name_en, kind: a.kind} AS a
         ORDER BY a.id
       } AS agencies,
       COLLECT {
         MATCH (g:Group)-[:IMPLEMENTS]->(p)
         RETURN DISTINCT {id: g.id, name: coalesce(nullIf(g.name, ''), g.id), name_en: g.name_en, kind: g.kind} AS g
         ORDER BY g.id
       } AS groups,
       budget_thb,
       COUNT { MATCH (:Fund)-[f:FUNDS]->(p) WHERE f.amount_thb IS NULL } AS unknown_amounts,
       COLLECT { MATCH (f:Fund)-[:FUNDS]->(p) WHERE f.channel IS NOT NULL RETURN DISTINCT f.channel AS c ORDER BY c } AS channels,
       p.pilot AS pilot
ORDER BY program.id

// fragment: tambon_parallel_pairs
// The overlaps rule in one tambon `t`: one row per parallel pair with `A` and `B`, the two
// programs' sides ({id, start, end, themes, agencies, groups, stake, near}; ids only,
// A.id < B.id), `y0`, `y1` (the overlapping years) and `coordinated_by` (the clauses that
// hold, in rule order; [] when uncoordinated). Used by the overlaps and agency_matrix
// queries. Python twin: graphmodel.analysis.overlaps.parallel_pairs.
// 1. Each program of the tambon with its agencies, groups, stake (ids), and the ids its
//    stake is linked to by links counting in t.
MATCH (p:Program)-[:LOCATED_IN]->(t)
WITH DISTINCT p
WITH p,
     COLLECT {
       // include: program_agencies
       RETURN a
     } AS agencies,
     COLLECT { MATCH (g:Group)-[:IMPLEMENTS]->(p) RETURN DISTINCT g } AS groups
WITH p, agencies, groups, [p] + agencies + groups AS stake
WITH p, [a IN agencies | a.id] AS agencies, [g IN groups | g.id] AS groups,
     [x IN stake | x.id] AS stake,
     COLLECT {
       UNWIND stake AS x
       MATCH (x)-[link:COORDINATES_WITH]-(other)
       WHERE
         // include: link_counts_in_tambon
       RETURN DISTINCT other.id AS id
     } AS near
ORDER BY p.id
WITH collect({id: p.id, start: p.start_year, end: p.end_year,
              themes: COLLECT { UNWIND coalesce(p.themes, []) AS x RETURN DISTINCT x ORDER BY x },
              agencies: agencies, groups: groups, stake: stake, near: near}) AS sides
WHERE size(sides) >= 2
// 2. Candidate pairs: programs sharing a theme (positions i < j in id order).
CALL (sides) {
  UNWIND range(0, size(sides) - 1) AS i
  UNWIND sides[i].themes AS theme
  WITH theme, i ORDER BY i
  WITH theme, collect(i) AS members
  WHERE size(members) > 1
  UNWIND range(0, size(members) - 2) AS x
  UNWIND range(x + 1, size(members) - 1) AS y
  RETURN DISTINCT members[x] AS i, members[y] AS j
}
WITH sides[i] AS A, sides[j] AS B
WITH A, B,
     CASE WHEN A.start > B.start THEN A.start ELSE B.start END AS y0,
     CASE WHEN A.end < B.end THEN A.end ELSE B.end END AS y1
WHERE y0 <= y1 AND none(x IN A.agencies WHERE x IN B.agencies)
// 3. The clauses, in rule order.
WITH A, B, y0, y1,
     CASE WHEN any(g IN A.groups WHERE g IN B.groups) THEN ['shared_group'] ELSE [] END
     + CASE WHEN any(x IN B.stake WHERE x IN A.near) THEN ['direct_link'] ELSE [] END
     + CASE WHEN any(x IN A.near WHERE x IN B.near) THEN ['shared_coordinator'] ELSE [] END
     AS coordinated_by
