"""The investment report as an XLSX workbook (openpyxl): the tables of the HTML report, one sheet each.

Budget documents are written in spreadsheets, so every figure is a number cell with a number
format, never text: amounts in won (``#,##0``), or with ``korean_units`` in 억 (10^8 won) with
a ``억`` suffix format, so a reader can sum and chart them. A first sheet says what was analysed
and how. openpyxl is imported inside :func:`write_xlsx`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.diagnostics import DrillsimError
from .amounts import EOK, compact
from .office_html import headline
from .office_tables import Sheet, office_tables
from .results import InvestReport

__all__ = ["write_xlsx", "NUMBER_FORMATS"]

NUMBER_FORMATS = {
    "money": "#,##0",
    "share": "0.0%",
    "rate": "0.0000",
    "years": "0.0",
    "number": "0.000",
    "int": "0",
}
"""Number format of each cell kind (amounts in Korean units: :data:`KOREAN_MONEY`)."""

KOREAN_MONEY = '#,##0.00"억"'
"""Amounts in 억 (the cell holds won / 10^8)."""


def _sheet_name(name: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in name)[:31] or "Sheet"
    out, k = clean, 2
    while out in taken:
        out = f"{clean[:28]}-{k}"
        k += 1
    taken.add(out)
    return out


def _write(ws: Any, sheet: Sheet, korean_units: bool) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.cell(row=1, column=1, value=sheet.title).font = Font(bold=True, size=12)
    if sheet.note:
        ws.cell(row=2, column=1, value=sheet.note).font = Font(italic=True, size=9)
    header = 4
    fill = PatternFill("solid", fgColor="DDE3EA")
    for col, column in enumerate(sheet.columns, 1):
        title = column.title + (" (억 원)" if korean_units and column.kind == "money" else "")
        cell = ws.cell(row=header, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for r, row in enumerate(sheet.rows, header + 1):
        for col, raw in enumerate(row, 1):
            kind = sheet.kind(row, col - 1)
            value = Sheet.value(raw)
            if kind == "money" and value is not None and korean_units:
                value = float(value) / EOK
            cell = ws.cell(row=r, column=col, value=value)
            if kind == "money":
                cell.number_format = KOREAN_MONEY if korean_units else NUMBER_FORMATS["money"]
            elif kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            elif isinstance(value, str) and len(value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=header + 1, column=2)


def write_xlsx(report: InvestReport, path: str | Path, korean_units: bool = False) -> Path:
    """Write the workbook to ``path`` (a DrillsimError if it cannot be written)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    book = Workbook()
    about = book.active
    about.title = "About"
    s = report.settings
    lines: list[tuple[str, Any]] = [
        ("drillsim invest", None),
        ("model", report.model),
        ("threats file", report.threats_file),
        ("options file", report.options_file),
        ("currency", report.currency + (" (amounts in 억 = 10^8)" if korean_units else "")),
        ("runs per threat and portfolio", report.runs_label),
        ("seed", s.seed),
        ("discount rate", report.discount_rate),
        ("budget", s.budget),
        ("budget period (years)", s.years),
        ("simulated years", report.risk.years if report.risk else 0),
        ("outer samples", report.uncertainty.samples if report.uncertainty else 0),
        ("", None),
        ("findings", None),
    ]
    lines += [("", line) for line in headline(report, lambda v: "-" if v is None else f"{compact(v)} {report.currency}")]
    for r, (key, value) in enumerate(lines, 1):
        about.cell(row=r, column=1, value=key).font = Font(bold=True)
        cell = about.cell(row=r, column=2, value=value)
        if key == "discount rate":
            cell.number_format = "0.0%"
        elif key == "budget" and value is not None:
            cell.number_format = "#,##0"
        if isinstance(value, str) and len(value) > 60:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 120
    taken = {"About"}
    for sheet in office_tables(report):
        _write(book.create_sheet(_sheet_name(sheet.name, taken)), sheet, korean_units)
    try:
        book.save(path)
    except OSError as exc:
        raise DrillsimError(f"--xlsx: cannot write {path}: {exc.strerror or exc}") from None
    return path
