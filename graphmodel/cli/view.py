"""The ``view`` command: an interactive HTML network view (being built, issue 5)."""
