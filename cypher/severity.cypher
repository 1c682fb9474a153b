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
