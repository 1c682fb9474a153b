"""Reading and validating datasets: CSV folders and Excel workbooks (the contract, see docs/dataset.md).

``reader`` checks and builds, ``csvfile`` and ``workbook`` read the two
kinds of source, ``cells`` cleans and checks single cells, ``template``
writes the workbook to fill in.
"""

from .reader import FILES, MAX_ERRORS_PER_FILE, read_dataset

__all__ = ["FILES", "MAX_ERRORS_PER_FILE", "read_dataset"]
