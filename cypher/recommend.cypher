// name: link_ends
// params: pairs
// The nodes a new link could join to resolve the given uncoordinated pairs.
// The Cypher twin of graphmodel/analysis/recommend.py:link_ends; `graphmodel recommend`
// works out from this table which pairs each link would resolve, and chooses links
// greedily (docs/analysis.md explains the split).
// $pairs: [tambon, program_a, program_b] lists (the overlaps query's uncoordinated pairs).
// For each tambon T and each node x that is in the stake of a program P of T's pairs or
// joined to such a stake by a link counting in T: stake, the programs of T's pairs whose
// stake x is in, and linked, those whose stake x is joined to by a link counting in T.
// A new link x - y counting in T resolves the pair of P and Q when P is in x's stake and Q
// in y's stake or linked, or the same with x and y, or P and Q, swapped (clause b, or
// clause c through y or x).
// Columns: tambon, node, label (Agency, Fund, Program or Group), stake, linked (program
// ids, sorted). One row per tambon and node, by tambon, node.
// example: graphmodel query link_ends --param 'pairs:=[["801208","moph_strong_thailand","thaihealth_healthy_tambon"]]'
// include: tambon_sides
UNWIND sides AS side
CALL (side) {
  UNWIND side.stake AS x
  RETURN x, 'stake' AS role
  UNION
  UNWIND side.near AS x
  RETURN x, 'linked' AS role
}
WITH t, x, role, side.id AS program
WITH t, x, collect(CASE role WHEN 'stake' THEN program END) AS stake,
     collect(CASE role WHEN 'linked' THEN program END) AS linked
RETURN t.id AS tambon, x.id AS node,
       [l IN labels(x) WHERE l IN ['Agency', 'Fund', 'Program', 'Group']][0] AS label,
       COLLECT { UNWIND stake AS p RETURN DISTINCT p ORDER BY p } AS stake,
       COLLECT { UNWIND linked AS p RETURN DISTINCT p ORDER BY p } AS linked
ORDER BY tambon, node
