"""Importers: IATI activity XML and HXL 3W/4W sheets to a v1 dataset folder."""
