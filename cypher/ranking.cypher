// name: pair_linkage
// params: pairs
// How the two stakes of each uncoordinated pair are joined outside the links that count.
// The Cypher twin of graphmodel/analysis/severity.py:pair_linkage (tests hold them equal).
// $pairs: [tambon, program_a, program_b] lists (the overlaps query's uncoordinated pairs).
// For a pair of P and Q in tambon T, with Stake and the links counting in T as in the rule:
// - linked_in: the other tambons Y (sorted codes) where the links counting in Y would
//   coordinate the pair by clause (b) or (c): "linked in tambon Y only". A province-wide
//   link counts in T too, so such a Y always has a link limited to it touching a stake.
// - via: [X, Z], the smallest by id, when X is joined to Stake(P) and Z to Stake(Q) by
//   links counting in T and X - Z is such a link too, X and Z in neither stake: the stakes
//   are linked only through a chain of three links (the rule stops at two). [] otherwise.
// Columns: tambon, program_a, program_b, linked_in, via. One row per input pair whose
// tambon and programs exist, by tambon, program_a, program_b.
// example: graphmodel query pair_linkage --param 'pairs:=[["801208","codi_life_plan","dopa_poverty_survey"]]'
// include: pair_sides
// linked_in: with E the neighbours by links counting everywhere and L_Y by links limited
// to Y, Y coordinates the stakes when (E + L_Y)(A) meets B or (E + L_Y)(B). If E alone
// does, every Y with a limited link at a stake does; otherwise Y brings a limited link of
// its own: L_Y(A) meets B or E(B), E(A) meets L_Y(B), or L_Y(A) meets L_Y(B).
WITH t, A, B, A.stake + B.stake AS both, t.id AS here,
     COLLECT { UNWIND A.stake AS x MATCH (x)-[l:COORDINATES_WITH]-(z) WHERE l.tambon IS NULL RETURN DISTINCT z } AS ea,
     COLLECT { UNWIND B.stake AS x MATCH (x)-[l:COORDINATES_WITH]-(z) WHERE l.tambon IS NULL RETURN DISTINCT z } AS eb
WITH t, A, B, both, here, ea, eb, any(z IN ea WHERE z IN B.stake OR z IN eb) AS everywhere
WITH t, A, B, both, COLLECT {
  CALL (A, B, both, ea, eb, everywhere) {
    WITH * WHERE everywhere
    UNWIND both AS x
    MATCH (x)-[l:COORDINATES_WITH]-()
    WHERE l.tambon IS NOT NULL
    RETURN l.tambon AS y
    UNION
    WITH * WHERE NOT everywhere
    UNWIND A.stake AS x
    MATCH (x)-[l:COORDINATES_WITH]-(z)
    WHERE l.tambon IS NOT NULL AND (z IN B.stake OR z IN eb)
    RETURN l.tambon AS y
    UNION
    WITH * WHERE NOT everywhere
    UNWIND B.stake AS x
    MATCH (x)-[l:COORDINATES_WITH]-(z)
    WHERE l.tambon IS NOT NULL AND z IN ea
    RETURN l.tambon AS y
    UNION
    WITH * WHERE NOT everywhere
    UNWIND A.stake AS x
    MATCH (x)-[l1:COORDINATES_WITH]-(z)-[l2:COORDINATES_WITH]-(y)
    WHERE l1.tambon IS NOT NULL AND l2.tambon = l1.tambon AND y IN B.stake
    RETURN l1.tambon AS y
  }
  WITH y WHERE y <> here
  RETURN DISTINCT y ORDER BY y
} AS linked_in
RETURN t.id AS tambon, A.id AS program_a, B.id AS program_b, linked_in,
       coalesce(head(COLLECT {
         UNWIND A.near AS x
         MATCH (x)-[link:COORDINATES_WITH]-(z)
         WHERE z IN B.near AND NOT x IN both AND NOT z IN both AND
           // include: link_counts_in_tambon
         RETURN [x.id, z.id] AS v ORDER BY x.id, z.id
       }), []) AS via
ORDER BY tambon, program_a, program_b

// name: entity_names
// params: ids
// The agencies, funds, programs and groups with these ids, named.
// One row per id of the list $ids that is one of them, by id: id, label, name (Thai; the
// id when empty), name_en, kind (an agency's or group's kind, a fund's channel, null for
// a program). The analyses name the nodes they print through this query.
// example: graphmodel query entity_names --param 'ids:=["codi","dopa"]'
UNWIND $ids AS wanted
CALL (wanted) {
  MATCH (n:Agency {id: wanted}) RETURN n, 'Agency' AS label, n.kind AS kind
  UNION
  MATCH (n:Fund {id: wanted}) RETURN n, 'Fund' AS label, n.channel AS kind
  UNION
  MATCH (n:Program {id: wanted}) RETURN n, 'Program' AS label, null AS kind
  UNION
  MATCH (n:Group {id: wanted}) RETURN n, 'Group' AS label, n.kind AS kind
}
WITH DISTINCT n, label, kind
RETURN n.id AS id, label, coalesce(nullIf(n.name, ''), n.id) AS name, n.name_en AS name_en, kind
ORDER BY id

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
