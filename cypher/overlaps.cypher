// name: overlaps
// params: tambon?, province?
// Parallel program pairs per tambon, coordinated or not (the overlaps rule).
// The Cypher twin of graphmodel/analysis/overlaps.py (same rule, same rows as EmbeddedBackend.parallel_pairs).
// P and Q are parallel in tambon T when both are located in T, their years overlap,
// they share a theme and no agency funds (through a fund it manages) or implements both.
// The pair is coordinated when a group implements both (shared_group), a coordination
// link with no tambon or tambon T joins the two stakes (program, its agencies, its
// groups; direct_link), or one node has such links into both stakes (shared_coordinator).
// One row per pair: tambon, district, province {id, name, name_en}; a and b {program,
// start_year, end_year, themes, agencies, groups, budget_thb} with a.program.id <
// b.program.id; shared_themes; overlap_years [start, end]; coordinated; coordinated_by.
// $tambon: one 6-digit tambon code; $province: a 2-digit province code (tambon code prefix).
// example: graphmodel query overlaps --param tambon=802103
// example: graphmodel query overlaps --param province=80 --format json
MATCH (t:Tambon)
WHERE (coalesce($tambon, '') = '' OR t.id = $tambon)
  AND (coalesce($province, '') = '' OR t.id STARTS WITH $province)
// Memory: one tambon at a time. Tambons are taken in id order and each one's work (its
// sides, collected, and its pairs) is a CALL subquery, so collect() holds one tambon's
// sides and rows stream out; the final ORDER BY sorts only within a tambon (a PartialSort
// on the provided t.id order) and only slim rows (step 4), never all rows at once.
// (Before: a global collect of every tambon's sides and a full Sort of rows that still
// held the sides ran out of transaction memory at 2 000 programs in 170 tambons.)
WITH t ORDER BY t.id
CALL (t) {
  // 1. The programs of the tambon; a pair needs two.
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  WITH collect(DISTINCT p) AS programs
  WHERE size(programs) >= 2
  MATCH (t)-[:IN_DISTRICT]->(d:District)-[:IN_PROVINCE]->(pv:Province)
  // 2. Each program's side: its agencies (through a fund, or implementing), groups,
  //    stake, known amounts, and the nodes its stake is linked to by links counting in t.
  UNWIND programs AS p
  WITH d, pv, p,
       COLLECT {
         CALL (p) {
           MATCH (a:Agency)-[:MANAGES]->(:Fund)-[:FUNDS]->(p) RETURN a
           UNION
           MATCH (a:Agency)-[:IMPLEMENTS]->(p) RETURN a
         }
         RETURN a ORDER BY a.id
       } AS agencies,
       COLLECT { MATCH (g:Group)-[:IMPLEMENTS]->(p) RETURN DISTINCT g ORDER BY g.id } AS groups,
       COLLECT { MATCH (:Fund)-[f:FUNDS]->(p) WHERE f.amount_thb IS NOT NULL RETURN f.amount_thb } AS amounts,
       COLLECT { UNWIND coalesce(p.themes, []) AS theme RETURN theme ORDER BY theme } AS themes
  WITH d, pv, p, agencies, groups, amounts, themes, [p] + agencies + groups AS stake
  WITH d, pv, p, agencies, groups, amounts, themes, stake,
       COLLECT {
         UNWIND stake AS x
         MATCH (x)-[link:COORDINATES_WITH]-(other)
         WHERE link.tambon IS NULL OR link.tambon = t.id
         RETURN DISTINCT other
       } AS near
  ORDER BY p.id
  WITH d, pv, collect({
         agencies: agencies, groups: groups, stake: stake, near: near,
         side: {
           program: {id: p.id, name: coalesce(nullIf(p.name, ''), p.id), name_en: p.name_en},
           start_year: p.start_year, end_year: p.end_year, themes: themes,
           agencies: [a IN agencies | {id: a.id, name: coalesce(nullIf(a.name, ''), a.id), name_en: a.name_en}],
           groups: [g IN groups | {id: g.id, name: coalesce(nullIf(g.name, ''), g.id), name_en: g.name_en}],
           budget_thb: CASE WHEN size(amounts) = 0 THEN null ELSE reduce(s = 0.0, x IN amounts | s + x) END
         }
       }) AS sides
  // 3. Pairs within the tambon (sides are in id order, so i < j gives a.program.id < b.program.id).
  UNWIND range(0, size(sides) - 2) AS i
  UNWIND range(i + 1, size(sides) - 1) AS j
  WITH d, pv, sides[i] AS A, sides[j] AS B
  WITH d, pv, A, B,
       reduce(s = [], x IN A.side.themes |
              CASE WHEN x IN B.side.themes AND NOT x IN s THEN s + x ELSE s END) AS shared,
       CASE WHEN A.side.start_year > B.side.start_year THEN A.side.start_year ELSE B.side.start_year END AS y0,
       CASE WHEN A.side.end_year < B.side.end_year THEN A.side.end_year ELSE B.side.end_year END AS y1
  WHERE size(shared) > 0 AND y0 <= y1 AND none(x IN A.agencies WHERE x IN B.agencies)
  WITH d, pv, A.side AS a, B.side AS b, shared, y0, y1,
       CASE WHEN any(g IN A.groups WHERE g IN B.groups) THEN ['shared_group'] ELSE [] END
       + CASE WHEN any(x IN B.stake WHERE x IN A.near) THEN ['direct_link'] ELSE [] END
       + CASE WHEN any(x IN A.near WHERE x IN B.near) THEN ['shared_coordinator'] ELSE [] END AS clauses
  // 4. One slim row per pair (each group is one pair). The grouping leaves sides, stakes
  //    and neighbourhoods behind: rows carrying them cost the sort below ~MiBs each.
  RETURN d, pv, a.program.id AS a_id, b.program.id AS b_id,
         head(collect({a: a, b: b, shared_themes: shared, overlap_years: [y0, y1],
                       coordinated: size(clauses) > 0, coordinated_by: clauses})) AS pair
}
RETURN {id: t.id, name: coalesce(nullIf(t.name, ''), t.id), name_en: t.name_en} AS tambon,
       {id: d.id, name: coalesce(nullIf(d.name, ''), d.id), name_en: d.name_en} AS district,
       {id: pv.id, name: coalesce(nullIf(pv.name, ''), pv.id), name_en: pv.name_en} AS province,
       pair.a AS a,
       pair.b AS b,
       pair.shared_themes AS shared_themes,
       pair.overlap_years AS overlap_years,
       pair.coordinated AS coordinated,
       pair.coordinated_by AS coordinated_by
ORDER BY t.id, a_id, b_id
