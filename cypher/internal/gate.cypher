// graphmodel's own queries for graphmodel/neo4j/gate.py (the load gate). The labels are
// gate.py's STATE_LABEL and LOAD_LABEL (tests/neo4j/test_gate.py holds them equal).

// name: graph_state
// The load gate's check, run before and after the query of every read transaction of
// graphmodel: the graph's version (0 before any load) and the batched loads or unloads
// begun and not ended, one map (dataset, kind, done, batches) per dataset, by dataset.
OPTIONAL MATCH (s:_GraphmodelState {name: 'graph'})
RETURN coalesce(s.version, 0) AS version,
       COLLECT {
         MATCH (j:_GraphmodelLoad)
         RETURN j {.dataset, .kind, .done, .batches} AS j ORDER BY j.dataset
       } AS open
