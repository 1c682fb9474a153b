"""DDL run by graphmodel load (not part of the read-only library)."""
