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
