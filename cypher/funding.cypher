// name: fund_flows
// params: channel?, province?
// Money from channel to agency to fund to program, with amounts and tambons.
// One row per funding link
// (a fund's FUNDS to a program, per fiscal year) with its amount and the tambons the
// program is located in. The amount belongs to the program as a whole (it is not split
// among tambons), so summing amount_thb over rows counts each link once.
// Columns: channel (normal, ceo, special; null if not given), agency, fund, program,
// program_name (the id where the program has no name), fiscal_year, amount_thb (null when
// unknown), tambons (sorted codes). Ordered by channel, agency, fund, program, fiscal_year
// (nulls last). Python twin: graphmodel/analysis/funding.py.
// $channel: only funds of this channel; $province: only programs located in this
// 2-digit province code, listing only their tambons there.
// example: graphmodel query fund_flows --param channel=special
WITH {province: $province} AS area
MATCH (a:Agency)-[:MANAGES]->(f:Fund)-[r:FUNDS]->(p:Program)
WHERE coalesce($channel, '') = '' OR f.channel = $channel
WITH area, a, f, r, p,
     COLLECT {
       MATCH (p)-[:LOCATED_IN]->(t:Tambon)
       WHERE any(code IN [t.id] WHERE
         // include: code_in_area
       )
       RETURN DISTINCT t.id AS code ORDER BY code
     } AS tambons
WHERE coalesce(area.province, '') = '' OR size(tambons) > 0
RETURN f.channel AS channel, a.id AS agency, f.id AS fund, p.id AS program,
       coalesce(nullIf(p.name, ''), p.id) AS program_name, r.fiscal_year AS fiscal_year, r.amount_thb AS amount_thb, tambons
ORDER BY channel, agency, fund, program, fiscal_year

// name: pilots_without_normal_partner
// params: tambon?, province?
// Pilot programs with no normal-channel partner in their tambon.
// These are the pilots the normal system does not take up (they end with their
// special budget). Definitions, for a program P located in tambon T:
// - the normal programs of T: programs located in T funded by a fund of channel
//   'normal'; the normal agencies of T: the agencies managing those funds;
// - a normal partner of P in T: a normal agency N of T that (1) funds P through a fund
//   it manages or implements P, or (2) shares a group with P: a group implementing P
//   also implements a normal program of T funded by N, or (3) is joined to P, to an
//   agency of P or to a group implementing P by a coordination link counting in T (no
//   tambon, or tambon T), directly or through one node linked to both.
// Listed: every P with pilot = true located in T that has no normal partner in T.
// Columns: tambon, tambon_name, program, program_name (names: the id where the node has
// none), agencies (P's, sorted ids), normal_agencies (the normal agencies of T, sorted ids:
// empty when no normal program is known in T), ordered by tambon, program.
// $tambon: one tambon code; $province: a 2-digit province code.
// Python twin: graphmodel/analysis/pilots.py (its docstring holds the same definitions).
// example: graphmodel query pilots_without_normal_partner --param province=80
WITH {tambon: $tambon, province: $province} AS area
// include: area_tambons
MATCH (p:Program)-[:LOCATED_IN]->(t)
WHERE p.pilot = true
WITH DISTINCT p, t
WITH p, t,
     COLLECT {
       MATCH (n:Agency)-[:MANAGES]->(:Fund {channel: 'normal'})-[:FUNDS]->(:Program)-[:LOCATED_IN]->(t)
       RETURN DISTINCT n ORDER BY n.id
     } AS normal,
     COLLECT {
       // include: program_agencies
       RETURN a ORDER BY a.id
     } AS agencies,
     COLLECT { MATCH (g:Group)-[:IMPLEMENTS]->(p) RETURN DISTINCT g } AS groups
WITH p, t, normal, agencies,
     // (2) normal agencies reached through a group that implements P
     COLLECT {
       UNWIND groups AS g
       MATCH (g)-[:IMPLEMENTS]->(q:Program)-[:LOCATED_IN]->(t),
             (n:Agency)-[:MANAGES]->(:Fund {channel: 'normal'})-[:FUNDS]->(q)
       RETURN DISTINCT n
     } AS via_groups,
     // (3) every node a counting link joins to P's stake
     COLLECT {
       UNWIND [p] + agencies + groups AS x
       MATCH (x)-[link:COORDINATES_WITH]-(other)
       WHERE
         // include: link_counts_in_tambon
       RETURN DISTINCT other
     } AS linked
WHERE none(n IN normal WHERE n IN agencies OR n IN via_groups OR n IN linked
           OR EXISTS {
             MATCH (n)-[link:COORDINATES_WITH]-(c)
             WHERE c IN linked AND
               // include: link_counts_in_tambon
           })
RETURN t.id AS tambon, coalesce(nullIf(t.name, ''), t.id) AS tambon_name, p.id AS program,
       coalesce(nullIf(p.name, ''), p.id) AS program_name,
       [a IN agencies | a.id] AS agencies, [n IN normal | n.id] AS normal_agencies
ORDER BY tambon, program
