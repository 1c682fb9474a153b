// name: schema_constraints
// params:
// The constraints and indexes `graphmodel load` creates before it writes (DDL, not for `graphmodel query`).
// Every statement is IF NOT EXISTS, so running them again is a no-op: one
// unique `id` per label (the loader MERGEs on it, and the relationship writes
// find both ends through it), an index on Tambon.code, and the keys of the
// loader's own bookkeeping (a load under way, one marker per dataset, and the
// graph's version; docs/neo4j.md). The loader runs the statements one by one.
// What the server holds: SHOW CONSTRAINTS and SHOW INDEXES.
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT fund_id IF NOT EXISTS FOR (n:Fund) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT program_id IF NOT EXISTS FOR (n:Program) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT group_id IF NOT EXISTS FOR (n:Group) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT tambon_id IF NOT EXISTS FOR (n:Tambon) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT district_id IF NOT EXISTS FOR (n:District) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT province_id IF NOT EXISTS FOR (n:Province) REQUIRE n.id IS UNIQUE;
CREATE INDEX tambon_code IF NOT EXISTS FOR (n:Tambon) ON (n.code);
CREATE CONSTRAINT graphmodel_load_dataset IF NOT EXISTS FOR (n:_GraphmodelLoad) REQUIRE n.dataset IS UNIQUE;
CREATE CONSTRAINT graphmodel_state_name IF NOT EXISTS FOR (n:_GraphmodelState) REQUIRE n.name IS UNIQUE;
