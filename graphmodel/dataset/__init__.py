"""Reading and validating dataset folders (the dataset contract, see docs/dataset.md)."""

from .reader import FILES, read_dataset

__all__ = ["FILES", "read_dataset"]
