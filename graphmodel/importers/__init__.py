"""Importers: IATI activity XML and HXL 3W/4W sheets to a v1 dataset folder.

Each importer reads its format into small activity records
(:mod:`~graphmodel.importers.builder`), which become the contract's CSV
files plus ``import-report.csv`` (:mod:`~graphmodel.importers.folder`),
written all at once and checked with the dataset reader. See
``docs/import-export.md`` for the mapping tables.
"""

from .folder import ImportFailed, ImportSummary
from .hxl import import_hxl, read_hxl
from .iati import import_iati, read_iati

__all__ = ["ImportFailed", "ImportSummary", "import_hxl", "import_iati", "read_hxl", "read_iati"]
