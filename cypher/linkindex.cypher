// name: entity_names
// params: ids
// The agencies, funds, programs and groups with these ids, named.
// The Cypher twin of graphmodel/analysis/linkindex.py:entity_names (tests hold them equal).
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
