"""The Cypher library shipped as package data (see graphmodel/queries/library.py)."""
