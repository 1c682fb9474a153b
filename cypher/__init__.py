"""The Cypher library shipped as package data (see graphmodel/neo4j/library.py)."""
