// name: agency_matrix
// params: tambon?, district?, province?
// Which pairs of agencies most often run parallel programs in one tambon without a link.
// The Cypher twin of graphmodel/analysis/matrix.py (tests hold the two equal). For every
// uncoordinated parallel pair of the overlaps rule (parallel_pairs), each agency x
// of one program (program_agencies) and each agency y of the other give the cell
// (min(x, y), max(x, y)); the rule makes the two programs' agencies disjoint, so x <> y and
// a pair counts once in each of its cells (sides {x} and {y, z}: cells (x, y) and (x, z)).
// A side without an agency counts in no cell. One row per cell: agency_a < agency_b,
// uncoordinated (pairs; a pair parallel in two tambons counts in each, as in the rule),
// tambons (distinct tambons of those pairs); most uncoordinated first, then by ids.
// $tambon, $district, $province: only tambons whose code starts with it.
// example: graphmodel query agency_matrix --param province=80
// The area's tambons (area_tambons), then the rule a chunk of 100 tambons at a time (its
// memory is the chunk's sides; each chunk adds its cells to the one aggregation).
WITH {tambon: $tambon, district: $district, province: $province} AS area
// include: area_tambons
WITH collect(t.id) AS codes
UNWIND range(0, size(codes) - 1, 100) AS first
CALL (codes, first) {
  UNWIND codes[first..first + 100] AS code
  MATCH (t:Tambon {id: code})
  // include: parallel_pairs
  WHERE coordinated_by = []
  UNWIND A.agencies AS x
  UNWIND B.agencies AS y
  RETURN CASE WHEN x < y THEN x ELSE y END AS agency_a, CASE WHEN x < y THEN y ELSE x END AS agency_b,
         t.id AS tambon
}
RETURN agency_a, agency_b, count(*) AS uncoordinated, count(DISTINCT tambon) AS tambons
ORDER BY uncoordinated DESC, agency_a, agency_b

// name: place_agencies
// params: by, tambon?, district?, province?
// Per place, the agencies working there and how many of its programs each funds or runs.
// The Cypher twin of graphmodel/analysis/matrix.py:place_agencies; the aggregated views
// (graphmodel view --district/--province/--nation) draw one edge per row, as wide as
// `programs`. A place is a tambon, district or province ($by), named by the first 6, 4 or
// 2 digits of its tambons' codes. One row per place and agency of a program located there
// (program_agencies): place, agency, programs (distinct programs of the place that the
// agency has); by place, then agency. $tambon, $district, $province: only that area.
// example: graphmodel query place_agencies --param by=tambon --param district=8012
WITH {tambon: $tambon, district: $district, province: $province} AS area
// include: area_tambons
MATCH (p:Program)-[:LOCATED_IN]->(t)
WITH DISTINCT left(t.id, CASE $by WHEN 'province' THEN 2 WHEN 'district' THEN 4 ELSE 6 END) AS place, p
// include: program_agencies
RETURN place, a.id AS agency, count(DISTINCT p) AS programs
ORDER BY place, agency
