"""An empty dataset workbook to fill in: ``graphmodel template -o book.xlsx``.

One sheet per file of the contract (in reading order), each with its header
row (required columns first, in bold), one row of example values from the
Nakhon Si Thammarat seed, and drop-down lists for the two columns that take
one of a fixed set of values: ``kind`` in ``agencies`` and ``channel`` in
``funds``. Years and amounts are written as numbers, codes and ids as text
(so Excel keeps every digit), ``pilot`` as TRUE/FALSE: the workbook reads
back with :func:`~graphmodel.dataset.read_dataset` like a CSV folder.

Examples
--------
>>> import tempfile, pathlib, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "book.xlsx"
>>> write_template(path)
>>> book = openpyxl.load_workbook(path)
>>> book.sheetnames[:3], [c.value for c in book["funds"][1]][:4]
(['agencies', 'funds', 'programs'], ['id', 'name', 'agency', 'channel'])
"""

from __future__ import annotations

from pathlib import Path

from ..model import AgencyKind, Channel
from ..outputs import atomic_file
from .reader import FILES

__all__ = ["EXAMPLES", "write_template"]

#: One row per sheet, taken from seed/nst-2006; the values as typed in the workbook. Every id a
#: row names is in another sheet's row, so the template validates as written (the coordination
#: row joins the sheet's agency and group in Kalo).
EXAMPLES: dict[str, dict[str, object]] = {
    "agencies": {"id": "codi", "name": "สถาบันพัฒนาองค์กรชุมชน (พอช.)", "kind": "special_agency",
                 "name_en": "Community Organizations Development Institute (CODI)", "source": "seed"},
    "funds": {"id": "codi_nst", "name": "งบสนับสนุนของ พอช. ในจังหวัดนครศรีธรรมราช", "agency": "codi",
              "channel": "special", "fiscal_year": 2549,
              "name_en": "CODI support budget in Nakhon Si Thammarat", "source": "seed"},
    "programs": {"id": "codi_life_plan", "name": "แผนชีวิตชุมชน (ทุกตำบล)",
                 "themes": "community_planning;poverty_data", "start_year": 2549, "end_year": 2549,
                 "pilot": True, "name_en": "Community life plans (every tambon)", "source": "seed"},
    "groups": {"id": "kalo_village_fund_network", "name": "เครือข่ายกองทุนหมู่บ้านตำบลกะหรอ",
               "kind": "village fund network", "tambon": "802103", "name_en": "Kalo village fund network",
               "source": "seed"},
    "funding": {"fund": "codi_nst", "program": "codi_life_plan", "fiscal_year": 2549, "source": "seed"},
    "implementation": {"implementer": "kalo_village_fund_network", "program": "codi_life_plan",
                       "role": "lead in Kalo", "source": "seed"},
    "locations": {"program": "codi_life_plan", "tambon": "802103", "source": "seed"},
    "coordination": {"a": "codi", "b": "kalo_village_fund_network", "mechanism": "joint tambon plan",
                     "tambon": "802103", "source": "seed"},
}

#: Columns with a drop-down list of the values they accept.
_CHOICES = {("agencies", "kind"): [k.value for k in AgencyKind], ("funds", "channel"): [c.value for c in Channel]}
_NUMBERS = frozenset({"start_year", "end_year", "fiscal_year", "amount_thb", "pilot"})


def write_template(path: str | Path) -> None:
    """Write the template workbook to ``path`` (replaced whole, never left half-written).

    Raises
    ------
    WriteFailed
        When the file cannot be written (:func:`~graphmodel.outputs.atomic_file`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    for spec in FILES:
        sheet = book.create_sheet(spec.name)
        sheet.append(list(spec.columns))
        example = EXAMPLES[spec.name]
        sheet.append([example.get(column) for column in spec.columns])
        for i, column in enumerate(spec.columns, 1):
            letter = get_column_letter(i)
            sheet[f"{letter}1"].font = Font(bold=column in spec.required)
            if column not in _NUMBERS:
                sheet[f"{letter}2"].number_format = "@"  # text: Excel keeps every digit of a code
            sheet.column_dimensions[letter].width = max(12, min(40, len(str(example.get(column) or column)) + 2))
            choices = _CHOICES.get((spec.name, column))
            if choices:
                rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True,
                                      showErrorMessage=True, errorTitle=f"{column}",
                                      error=f"{column} is one of: {', '.join(choices)}")
                rule.add(f"{letter}2:{letter}1048576")
                sheet.add_data_validation(rule)
        sheet.freeze_panes = "A2"
    with atomic_file(path, binary=True) as fh:
        book.save(fh)
