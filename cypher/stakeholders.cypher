// name: tambon_stakeholders
// params: tambon
// Every program in one tambon with who funds, manages and implements it.
// For every program located in the tambon: each agency or group
// implementing it, each fund funding it, and each agency managing such a fund; then every
// group based in the tambon. One row per (program, stakeholder, role).
// Columns: program, program_name (null on a group's 'based here' row), kind (Agency, Fund
// or Group), id, name, name_en, role ('implements', or 'implements: ' + the role given;
// 'funds'; 'manages fund ' + the fund id; 'based here'), amount_thb and fiscal_year (on
// 'funds' rows: that funding link's; null when unknown). Names are the id where a node has
// none. Ordered by program, kind, id, role, fiscal_year (nulls last: the groups based here
// come after the programs). Python twin: graphmodel/analysis/stakeholders.py.
// example: graphmodel query tambon_stakeholders --param tambon=801208
MATCH (t:Tambon {id: $tambon})
CALL (t) {
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  MATCH (s)-[r:IMPLEMENTS]->(p)
  RETURN p, s, CASE WHEN r.role IS NULL THEN 'implements' ELSE 'implements: ' + r.role END AS role,
         null AS amount_thb, null AS fiscal_year
  UNION ALL
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  MATCH (s:Fund)-[r:FUNDS]->(p)
  RETURN p, s, 'funds' AS role, r.amount_thb AS amount_thb, r.fiscal_year AS fiscal_year
  UNION ALL
  MATCH (p:Program)-[:LOCATED_IN]->(t)
  MATCH (s:Agency)-[:MANAGES]->(f:Fund)-[:FUNDS]->(p)
  RETURN DISTINCT p, s, 'manages fund ' + f.id AS role, null AS amount_thb, null AS fiscal_year
  UNION ALL
  MATCH (s:Group)-[:BASED_IN]->(t)
  RETURN null AS p, s, 'based here' AS role, null AS amount_thb, null AS fiscal_year
}
RETURN p.id AS program, coalesce(nullIf(p.name, ''), p.id) AS program_name,
       [l IN labels(s) WHERE l IN ['Agency', 'Fund', 'Group']][0] AS kind,
       s.id AS id, coalesce(nullIf(s.name, ''), s.id) AS name, s.name_en AS name_en, role,
       amount_thb, fiscal_year
ORDER BY program, kind, id, role, fiscal_year

// name: agency_footprint
// params: agency
// One agency's funds, the programs it funds or runs, and their tambons.
// Every fund the agency manages and what each fund funds, then every program it
// implements, with the tambons of each program.
// One row per funding link (fund -> program, per fiscal year; a fund that funds nothing
// has one row with program null) with via = 'fund', and one row per implemented program
// with via = 'implements'. Agencies that are PART_OF it are not included (query them too).
// Columns: agency, via, fund, channel, program, program_name (the id where the program has
// no name), role (implements rows), amount_thb and fiscal_year (of the funding link),
// tambons (sorted codes). Ordered by via, fund, program, fiscal_year (nulls last: a fund's
// row without a program comes after its programs). Python twin: analysis/stakeholders.py.
// example: graphmodel query agency_footprint --param agency=codi
MATCH (a:Agency {id: $agency})
CALL (a) {
  MATCH (a)-[:MANAGES]->(f:Fund)
  OPTIONAL MATCH (f)-[r:FUNDS]->(p:Program)
  RETURN 'fund' AS via, f, p, null AS role, r.amount_thb AS amount_thb, r.fiscal_year AS fiscal_year
  UNION ALL
  MATCH (a)-[r:IMPLEMENTS]->(p:Program)
  RETURN 'implements' AS via, null AS f, p, r.role AS role, null AS amount_thb, null AS fiscal_year
}
RETURN a.id AS agency, via, f.id AS fund, f.channel AS channel, p.id AS program,
       coalesce(nullIf(p.name, ''), p.id) AS program_name, role, amount_thb, fiscal_year,
       COLLECT { MATCH (p)-[:LOCATED_IN]->(t:Tambon) RETURN DISTINCT t.id AS code ORDER BY code } AS tambons
ORDER BY via, fund, program, fiscal_year

// name: shared_groups
// params: province?
// Groups implementing programs of more than one agency.
// Such groups are the local bridges between agencies. An agency of a program is one that funds it (through a fund it manages) or
// implements it. One row per such group.
// Columns: group_id, name (the id where the group has none), name_en, tambon (where the
// group is based), agencies and programs (ids, sorted). $province: only groups based in
// that 2-digit province code. Ordered by tambon (null last), then group_id.
// Python twin: graphmodel/analysis/stakeholders.py.
// example: graphmodel query shared_groups --param province=80
WITH {province: $province} AS area
MATCH (g:Group)
OPTIONAL MATCH (g)-[:BASED_IN]->(t:Tambon)
WITH area, g, t
WHERE any(code IN [t.id] WHERE
  // include: code_in_area
)
WITH g, t,
     COLLECT { MATCH (g)-[:IMPLEMENTS]->(p:Program) RETURN DISTINCT p.id AS id ORDER BY id } AS programs,
     COLLECT {
       MATCH (g)-[:IMPLEMENTS]->(p:Program)
       // include: program_agencies
       RETURN DISTINCT a.id AS id ORDER BY id
     } AS agencies
WHERE size(agencies) > 1
RETURN g.id AS group_id, coalesce(nullIf(g.name, ''), g.id) AS name, g.name_en AS name_en,
       t.id AS tambon, agencies, programs
ORDER BY tambon, group_id
