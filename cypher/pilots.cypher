// fragment: tambon_pilots_and_normal
// For each tambon `t` of the area ($tambon, $district or $province, a code or its prefix;
// all when none is given) where a program is located: `pilots` and `normal`, its pilots
// and its normal-system programs. A pilot has pilot = true, or is funded only through
// special or ceo funds; a normal program is not a pilot, and has a local-government or
// line agency among its agencies (program_agencies) or a normal fund funding it.
// Python twin: graphmodel.analysis.pilots.tambon_pilots.
WITH {tambon: $tambon, district: $district, province: $province} AS area
// include: area_tambons
CALL (t) {
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  WITH DISTINCT p
  WITH p, coalesce(p.pilot = true, false)
          OR (EXISTS { (:Fund)-[:FUNDS]->(p) }
              AND NOT EXISTS { MATCH (f:Fund)-[:FUNDS]->(p)
                               WHERE f.channel IS NULL OR NOT f.channel IN ['ceo', 'special'] }) AS pilot
  WITH p, pilot,
       NOT pilot AND (EXISTS { (:Fund {channel: 'normal'})-[:FUNDS]->(p) }
                      OR EXISTS {
                        // include: program_agencies
                        WITH a WHERE a.kind IN ['local_government', 'line_agency']
                        RETURN a
                      }) AS normal
  ORDER BY p.id
  RETURN collect(CASE WHEN pilot THEN p END) AS pilots, collect(CASE WHEN normal THEN p END) AS normal
}
WITH t, pilots, normal
WHERE size(pilots) > 0

// name: pilots
// params: tambon?, district?, province?
// Pilots with no coordination path, in their tambon, to the normal system.
// The Cypher twin of graphmodel/analysis/pilots.py:pilots (docs/analysis.md has the
// definitions and the seed worked through). The coordination network of tambon T joins a
// program located in T to the funds funding it and the agencies and groups implementing
// it, a fund to its managing agency, and the ends of each coordination link counting in T.
// A pilot located in T is listed when no path in that network (of any length) leads to a
// local-government or line agency, or to a normal program of T.
// Pilots and normal programs as in pilots_without_normal_partner, which asks for a partner
// one step away rather than any path: every pilot listed here is listed there too.
// Columns: tambon, program, pilot (the property), channels (of its funds, sorted),
// agencies (its agencies, sorted ids), normal_programs (how many normal programs T has).
// $tambon, $district, $province: one 6-, 4- or 2-digit area code (at most one).
// example: graphmodel query pilots --param province=80
// include: tambon_pilots_and_normal
UNWIND pilots AS p
WITH t, p, normal
WHERE NOT EXISTS {
  MATCH ANY SHORTEST (p)
        (()-[link:FUNDS|MANAGES|IMPLEMENTS|COORDINATES_WITH]-(x)
         WHERE
           // include: link_counts_in_tambon
           AND (NOT x:Program OR EXISTS { (x)-[:LOCATED_IN]->(t) }))+
        (n WHERE n IN normal OR (n:Agency AND n.kind IN ['local_government', 'line_agency']))
}
RETURN t.id AS tambon, p.id AS program, p.pilot AS pilot,
       COLLECT { MATCH (f:Fund)-[:FUNDS]->(p) WHERE f.channel IS NOT NULL
                 RETURN DISTINCT f.channel AS c ORDER BY c } AS channels,
       COLLECT {
         // include: program_agencies
         RETURN a.id AS id ORDER BY id
       } AS agencies,
       size(normal) AS normal_programs
ORDER BY tambon, program

// name: pilot_gaps
// params: tambon?, district?, province?
// Per theme, the tambons where a pilot runs and no normal-system program on it.
// The Cypher twin of graphmodel/analysis/pilots.py:pilot_gaps. For each theme of a
// pilot located in tambon T (pilots and normal programs as in the pilots query): listed
// when no normal program of T has that theme.
// Columns: theme, tambon, pilots (the pilots on the theme located in T, sorted ids),
// normal_programs (how many normal programs T has, on any theme: 0 means none at all).
// $tambon, $district, $province: one 6-, 4- or 2-digit area code (at most one).
// example: graphmodel query pilot_gaps --param district=8012
// include: tambon_pilots_and_normal
UNWIND pilots AS p
UNWIND coalesce(p.themes, []) AS theme
WITH t, normal, theme, p ORDER BY p.id
WITH t, normal, theme, collect(DISTINCT p.id) AS ids
WHERE none(q IN normal WHERE theme IN coalesce(q.themes, []))
RETURN theme, t.id AS tambon, ids AS pilots, size(normal) AS normal_programs
ORDER BY theme, tambon

// name: pilots_without_normal_partner
// params: tambon?, district?, province?
// Pilots with no normal partner in their tambon: no agency of the normal system there that
// runs the pilot, shares a group with it or is linked to its stake.
// The Cypher twin of graphmodel/analysis/pilots.py:pilots_without_normal_partner (its
// docstring and docs/analysis.md hold the same definitions). Pilots and normal programs of
// tambon T as in the pilots query (the tambon_pilots_and_normal fragment); the normal
// agencies of T: the local-government and line agencies among the agencies of the programs
// located in T, and the agencies of its normal programs. A normal partner of pilot P in T is
// a normal agency N of T that (1) is an agency of P, (2) runs a normal program of T that a
// group implementing P also implements, or (3) is joined to P, to an agency of P or to a
// group implementing P by a coordination link counting in T, directly or through one node
// linked to both. A partner is a path, so every pilot the pilots query lists is listed here.
// Columns: tambon, tambon_name, program, program_name (names: the id where the node has
// none), agencies (P's, sorted ids), normal_agencies (of T, sorted ids: empty when T has no
// normal agency, so nobody there could take the pilot up), ordered by tambon, program.
// $tambon, $district, $province: one 6-, 4- or 2-digit area code (at most one).
// example: graphmodel query pilots_without_normal_partner --param province=80
// include: tambon_pilots_and_normal
CALL (t, normal) {
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  WITH DISTINCT p
  // include: program_agencies
  WITH p, a WHERE p IN normal OR a.kind IN ['local_government', 'line_agency']
  WITH DISTINCT a ORDER BY a.id
  RETURN collect(a) AS partners
}
UNWIND pilots AS p
WITH t, p, normal, partners,
     COLLECT {
       // include: program_agencies
       RETURN a ORDER BY a.id
     } AS agencies,
     COLLECT { MATCH (g:Group)-[:IMPLEMENTS]->(p) RETURN DISTINCT g } AS groups
WITH t, p, normal, partners, agencies, groups, [p] + agencies + groups AS stake
WITH t, p, normal, partners, agencies, groups,
     COLLECT {
       // include: stake_near_in_tambon
       RETURN other
     } AS linked
WHERE none(n IN partners WHERE n IN agencies OR n IN linked
           OR EXISTS {
             MATCH (n)-[link:COORDINATES_WITH]-(c)
             WHERE c IN linked AND
               // include: link_counts_in_tambon
           })
  AND NOT EXISTS { MATCH (g:Group)-[:IMPLEMENTS]->(q:Program) WHERE g IN groups AND q IN normal }
RETURN t.id AS tambon, coalesce(nullIf(t.name, ''), t.id) AS tambon_name, p.id AS program,
       coalesce(nullIf(p.name, ''), p.id) AS program_name,
       [a IN agencies | a.id] AS agencies, [n IN partners | n.id] AS normal_agencies
ORDER BY tambon, program
