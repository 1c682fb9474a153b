// name: overlaps
// params: tambon?, district?, province?, tambons?
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
// The tambons: a seek on the unique index of Tambon.id per code of the page $tambons, else
// one range seek on the area's code (area_tambons); the area applies to a page too.
WITH {tambon: $tambon, district: $district, province: $province} AS area
CALL (area) {
  WITH area, $tambons IS NULL AS every
  WHERE every
  // include: area_tambons
  RETURN t
  UNION
  UNWIND coalesce($tambons, []) AS code
  MATCH (t:Tambon {id: code})
  WHERE
    // include: code_in_area
  RETURN t
}
// include: parallel_pairs
// Grouped by the output values (one group per pair): the rows the final sort buffers then
// hold those values only, not the sides they were made from (a tambon of 120 programs,
// 7,140 pairs, once ran out of transaction memory this way: issue 15).
WITH t.id AS tambon, A.id AS program_a, B.id AS program_b,
     [x IN A.themes WHERE x IN B.themes] AS shared_themes, [y0, y1] AS overlap_years,
     coordinated_by, count(*) AS once
RETURN tambon, program_a, program_b, shared_themes, overlap_years,
       size(coordinated_by) > 0 AS coordinated, coordinated_by
ORDER BY tambon, program_a, program_b

// name: tambons_with_programs
// params: tambon?, district?, province?, minimum?
// The tambons where programs are located, with how many.
// One row per tambon with at least $minimum programs (default 1): tambon, programs.
// graphmodel overlaps pages through these (two programs or more) on a large graph.
// example: graphmodel query tambons_with_programs --param province=80 --param minimum:=2
WITH {tambon: $tambon, district: $district, province: $province} AS area
// include: area_tambons
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

// fragment: parallel_pairs
// The overlaps rule in the tambons `t` of the rows before (each once), all at once: one row
// per parallel pair with `t` (as a map {id}), `A` and `B`, the two programs' sides ({id,
// start, end, themes, agencies, groups, stake, near}: ids only, A.id < B.id), `y0`, `y1`
// (the overlapping years) and `coordinated_by` (the clauses that hold, in rule order; []
// when uncoordinated). Used by the overlaps and agency_matrix queries. Python twin:
// graphmodel.analysis.overlaps.parallel_pairs.
// Set-based: a program's side is made once however many of the tambons it is located in,
// and a stake's member reads its coordination links once however many stakes it is in (a
// national agency is in thousands; redoing its links per program and tambon was most of
// the work). Memory: the sides of all the tambons at once, so callers bound the tambons
// (graphmodel pages them by their programs).
// 1. Each program located in the tambons, once, with `here`, its tambons among them: its
//    side and its stake (nodes).
MATCH (p:Program)-[:LOCATED_IN]->(t)
WITH p, collect(DISTINCT t) AS here
WITH p, here,
     COLLECT {
       // include: program_agencies
       RETURN a
     } AS agencies,
     COLLECT { MATCH (g:Group)-[:IMPLEMENTS]->(p) RETURN DISTINCT g } AS groups
WITH here, [p] + agencies + groups AS stake,
     {id: p.id, start: p.start_year, end: p.end_year,
      themes: COLLECT { UNWIND coalesce(p.themes, []) AS x RETURN DISTINCT x ORDER BY x },
      agencies: [a IN agencies | a.id], groups: [g IN groups | g.id],
      stake: [x IN [p] + agencies + groups | x.id]} AS side
// 2. Each member of a stake, once: the programs whose stake it is in, and its coordination
//    links. A program keeps its row (it carries its side on); other members only when
//    they have links.
UNWIND stake AS x
WITH x, collect({side: side, here: here}) AS holders
WITH x, holders,
     COLLECT { MATCH (x)-[link:COORDINATES_WITH]-(other) RETURN {tambon: link.tambon, id: other.id} AS link } AS links
WHERE x:Program OR links <> []
// 3. Each program in each of its tambons: `near`, the ids its stake is joined to by links
//    counting there (an id may come twice: the clauses only ask whether one is there). A
//    member's links are sifted once per tambon; `t` becomes a map of its code there, so the
//    shared definition reads no property per link.
CALL (holders, links) {
  UNWIND holders AS h
  UNWIND h.here AS node
  WITH node, collect(h.side) AS sides
  WITH {id: node.id} AS t, sides
  RETURN t, sides, [link IN links WHERE
           // include: link_counts_in_tambon
         | link.id] AS reach
}
UNWIND sides AS side
WITH t, side.id AS program, head(collect(side)) AS side, collect(reach) AS reaches
WITH t, side{.*, near: reduce(near = [], reach IN reaches | near + reach)} AS side
// 4. Each tambon's sides; the candidate pairs share a theme, each pair taken once (at the
//    first theme the two share: themes are sorted), the smaller id first.
WITH t, collect(side) AS sides
WHERE size(sides) >= 2
CALL (sides) {
  UNWIND range(0, size(sides) - 1) AS i
  UNWIND sides[i].themes AS theme
  WITH theme, collect(i) AS members
  WHERE size(members) > 1
  UNWIND range(0, size(members) - 2) AS x
  UNWIND range(x + 1, size(members) - 1) AS y
  WITH theme, sides[members[x]] AS P, sides[members[y]] AS Q
  WHERE none(th IN P.themes WHERE th < theme AND th IN Q.themes)
  RETURN CASE WHEN P.id < Q.id THEN P ELSE Q END AS A, CASE WHEN P.id < Q.id THEN Q ELSE P END AS B
}
// 5. Parallel: the years overlap and no agency has both. Then the clauses, in rule order.
WITH t, A, B,
     CASE WHEN A.start > B.start THEN A.start ELSE B.start END AS y0,
     CASE WHEN A.end < B.end THEN A.end ELSE B.end END AS y1
WHERE y0 <= y1 AND none(x IN A.agencies WHERE x IN B.agencies)
WITH t, A, B, y0, y1,
     CASE WHEN any(g IN A.groups WHERE g IN B.groups) THEN ['shared_group'] ELSE [] END
     + CASE WHEN any(x IN B.stake WHERE x IN A.near) THEN ['direct_link'] ELSE [] END
     + CASE WHEN any(x IN A.near WHERE x IN B.near) THEN ['shared_coordinator'] ELSE [] END
     AS coordinated_by
