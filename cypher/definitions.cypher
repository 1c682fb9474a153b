// fragment: program_agencies
// The agencies of a program `p`, one row each as `a`: every agency managing a fund that
// funds p, and every agency implementing p (UNION: each agency once).
// Python twin: graphmodel.analysis.facts.program_agencies (tests hold them equal).
CALL (p) {
  MATCH (a:Agency)-[:MANAGES]->(:Fund)-[:FUNDS]->(p) RETURN a
  UNION
  MATCH (a:Agency)-[:IMPLEMENTS]->(p) RETURN a
}

// fragment: program_budget
// The known budget of a program `p` as `budget_thb`: the sum of the known amounts of the
// links funding p; null when no amount is known (unknown amounts are not guessed).
// Python twin: graphmodel.analysis.facts.program_budget.
CALL (p) {
  OPTIONAL MATCH (:Fund)-[f:FUNDS]->(p)
  WITH collect(f.amount_thb) AS amounts
  RETURN CASE WHEN size(amounts) = 0 THEN null ELSE reduce(s = 0.0, x IN amounts | s + x) END AS budget_thb
}

// fragment: link_counts_in_tambon
// Whether a coordination link `link` counts in tambon `t`: it has no tambon (it counts
// everywhere) or its tambon is t. Python twin: graphmodel.analysis.facts.link_counts_in.
(link.tambon IS NULL OR link.tambon = t.id)

// fragment: program_stake
// The rule's Stake(P) of a program `p`, one row each as `x`: p itself, its agencies
// (program_agencies) and the groups implementing it. Python twin: Facts.stake.
CALL (p) {
  RETURN p AS x
  UNION
  // include: program_agencies
  RETURN a AS x
  UNION
  MATCH (x:Group)-[:IMPLEMENTS]->(p)
  RETURN x
}

// fragment: stake_near_in_tambon
// The nodes joined to a member of the list `stake` by a coordination link counting in
// tambon `t` (a node or a map with an `id`), one row each as `other`. Python twin:
// graphmodel.analysis.facts.Links.near_all.
CALL (stake, t) {
  UNWIND stake AS x
  MATCH (x)-[link:COORDINATES_WITH]-(other)
  WHERE
    // include: link_counts_in_tambon
  RETURN DISTINCT other
}

// fragment: tambon_sides
// The analyses that take parallel pairs as the list parameter $pairs ([tambon, program_a,
// program_b] each, from the overlaps query) start here: one row per tambon `t` with `ab`
// (its [program_a, program_b] pairs) and `sides`, one map per program of those pairs:
// {id, stake: its Stake(P) (program_stake), near: the nodes joined to that stake by a link
// counting in t (stake_near_in_tambon)}. Unknown tambons are left out, and so are unknown
// programs from `sides`. Python twin: Facts.stake and Links.near_all.
UNWIND $pairs AS pair
WITH pair[0] AS tid, collect([pair[1], pair[2]]) AS ab
MATCH (t:Tambon {id: tid})
CALL (t, ab) {
  UNWIND ab AS pr
  UNWIND pr AS pid
  WITH DISTINCT t, pid
  MATCH (p:Program {id: pid})
  // include: program_stake
  WITH t, p, collect(x) AS stake
  RETURN collect({id: p.id, stake: stake, near: COLLECT {
    // include: stake_near_in_tambon
    RETURN other
  }}) AS sides
}

// fragment: pair_sides
// tambon_sides, then one row per pair of a tambon: `t`, `sides`, and `A` and `B`, the
// sides of its two programs (pairs naming an unknown program are left out).
// include: tambon_sides
UNWIND ab AS pr
WITH t, sides, [s IN sides WHERE s.id = pr[0]][0] AS A, [s IN sides WHERE s.id = pr[1]][0] AS B
WHERE A IS NOT NULL AND B IS NOT NULL

// fragment: code_in_area
// Whether the tambon code `code` lies in the area `area`: a map of a query's area
// parameters, {tambon, district, province} (a 6-, 4- or 2-digit DOPA code each; one that is
// missing, null or '' keeps every code). `code` equals the tambon and starts with the
// district and the province given. In an expression, bind `code` to a value with
// `any(code IN [value] WHERE ...)`. Python twin: graphmodel.geo.Area.of(...).contains.
((coalesce(area.tambon, '') = '' OR code = area.tambon)
 AND (coalesce(area.district, '') = '' OR code STARTS WITH area.district)
 AND (coalesce(area.province, '') = '' OR code STARTS WITH area.province))

// fragment: area_tambons
// The tambons of the area `area` (a map as in code_in_area), one row each as `t`, in one
// range seek on the unique index of Tambon.id: on the first code given of tambon, district,
// province (every tambon when none is), the others then checked (code_in_area).
MATCH (t:Tambon)
WHERE t.id STARTS WITH coalesce(nullIf(area.tambon, ''), nullIf(area.district, ''), nullIf(area.province, ''), '')
  AND any(code IN [t.id] WHERE
    // include: code_in_area
  )
