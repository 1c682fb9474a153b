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
