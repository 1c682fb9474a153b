"""Reading and validating dataset folders (the dataset contract, see docs/dataset.md)."""

from .reader import FILES, MAX_ERRORS_PER_FILE, read_dataset

__all__ = ["FILES", "MAX_ERRORS_PER_FILE", "read_dataset"]
