"""Spreadsheet files: tables of text cells in and out, as CSV or XLSX, safe to open.

:func:`write_table` writes a header row and data rows; :func:`read_table` reads them back as rows
of text, numbered as a spreadsheet numbers them (the header is row 1). The format follows the
file name: ``.xlsx`` is an Excel workbook (openpyxl, imported only here, when one is read or
written), anything else CSV. Problems are :class:`TableError` messages naming the file, the row
and, where there is one, the column.

**Formulas.** A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (the "CSV injection" of a message such as ``=HYPERLINK(...)``). On export, such text is
neutralised: in CSV it gets a leading apostrophe (:func:`guard`), which spreadsheets read as "this
is text" and :func:`unguard` removes on import; in XLSX every cell is written as a text cell with
Excel's quote prefix (nothing added to the text). A formula typed into a workbook is not run on
import either: it is reported with its row and column (the value, not the formula, is wanted).

**CSV** is written as UTF-8 with a byte-order mark (spreadsheet programs then show Korean text
correctly); on import UTF-8 (with or without the mark) and, failing that, the Korean Windows
code page (cp949) are accepted, with comma, semicolon or tab as the delimiter (the header row
tells which).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

from .diagnostics import DrillsimError
from .units import format_duration

__all__ = ["TableError", "FORMULA_STARTS", "guard", "unguard", "is_xlsx", "read_table", "write_table"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (tab and carriage return: OWASP's advice)."""

_XLSX_MAGIC = b"PK\x03\x04"


class TableError(DrillsimError):
    """A table file that cannot be read or written; ``problems`` holds one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _needs_guard(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and _needs_guard(text[1:]))


def guard(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: a leading apostrophe where it would be a formula.

    Text that already starts with an apostrophe before such a character gets one more, so that
    :func:`unguard` gives back exactly what was written.
    """
    return "'" + text if _needs_guard(text) else text


def unguard(text: str) -> str:
    """Undo :func:`guard`: one leading apostrophe before a formula character is removed."""
    return text[1:] if text.startswith("'") and _needs_guard(text[1:]) else text


def is_xlsx(path: str | Path) -> bool:
    """Whether ``path`` names an Excel workbook (by its suffix)."""
    return Path(path).suffix.lower() == ".xlsx"


# ----------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------
def write_table(dest: str | Path | TextIO | None, header: list[str], rows: list[list[str]], *, sheet: str = "Sheet1") -> str | None:
    """Write ``header`` and ``rows`` to ``dest``: a path (``.xlsx``: a workbook, else CSV), an open
    text file (CSV) or None. Returns the CSV text (None when a workbook was written)."""
    if isinstance(dest, (str, Path)) and is_xlsx(dest):
        _write_xlsx(Path(dest), header, rows, sheet)
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([guard(cell) for cell in row])
    text = buffer.getvalue()
    if isinstance(dest, (str, Path)):
        try:
            Path(dest).write_text(text, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise TableError([f"{dest}: cannot write: {exc.strerror}"]) from None
    elif dest is not None:
        dest.write(text)
    return text


def _write_xlsx(path: Path, header: list[str], rows: list[list[str]], sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.worksheets[0]  # a new workbook has one sheet
    ws.title = sheet
    widths = [len(h) for h in header]
    for r, row in enumerate([header, *rows], start=1):
        for c, text in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = text
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            if _needs_guard(text):
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
            widths[c - 1] = max(widths[c - 1], min(60, max((len(line) for line in text.splitlines()), default=0)))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width + 2
    ws.freeze_panes = "A2"
    try:
        book.save(path)
    except OSError as exc:
        raise TableError([f"{path}: cannot write: {exc.strerror}"]) from None


# ----------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------
def read_table(source: str | Path | TextIO, name: str | None = None) -> tuple[str, list[tuple[int, list[str]]]]:
    """(file name for messages, [(spreadsheet row number, cells as text)]) of a CSV or XLSX table.

    ``source`` is a path or an open text file (CSV; then ``name`` is used in messages). CSV cells
    come back with :func:`unguard` applied; a workbook's cells as their text (numbers, dates and
    times written the way the events list writes them).
    """
    if not isinstance(source, (str, Path)):
        file = str(name or getattr(source, "name", None) or "<table>")
        return file, _csv_rows(source.read(), file)
    path = Path(source)
    file = name or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TableError([f"{file}: file not found"]) from None
    except IsADirectoryError:
        raise TableError([f"{file}: is a directory, not a CSV or XLSX file"]) from None
    except OSError as exc:
        raise TableError([f"{file}: cannot read: {exc.strerror}"]) from None
    if raw.startswith(_XLSX_MAGIC):
        return file, _xlsx_rows(path, file)
    if is_xlsx(path):
        raise TableError([f"{file}: not an XLSX workbook (save it from the spreadsheet as 'Excel workbook (.xlsx)')"])
    if path.suffix.lower() == ".xls" or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError([f"{file}: an old binary Excel file (.xls): save it as .xlsx or as 'CSV UTF-8'"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp949")  # what Korean spreadsheet programs save as "CSV"
        except UnicodeDecodeError as exc:
            raise TableError([f"{file}: not UTF-8 (nor cp949) text: byte {exc.start} cannot be read; save the sheet as 'CSV UTF-8'"]) from None
    return file, _csv_rows(text, file)


def _csv_rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the header tells: comma, or semicolon / tab in some locales
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter if first.count(delimiter) else ",")
    try:
        records = list(reader)
    except csv.Error as exc:
        raise TableError([f"{file}: row {reader.line_num}: not valid CSV: {exc}"]) from None
    return [(k, [unguard(cell) for cell in record]) for k, record in enumerate(records, start=1)]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00")
    if isinstance(value, time):
        return "0m" if value == time(0) else format_duration(value.hour + value.minute / 60)
    if isinstance(value, timedelta):
        hours = value / timedelta(hours=1)
        return "0m" if hours == 0 else format_duration(hours)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _xlsx_rows(path: Path, file: str) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, data_only=False)
    except Exception as exc:  # a damaged or foreign zip: openpyxl raises many kinds
        raise TableError([f"{file}: not a readable XLSX workbook ({type(exc).__name__}: {exc})"]) from None
    ws = book.worksheets[0]
    problems: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    for cells in ws.iter_rows():
        number = (cells[0].row if cells else None) or len(rows) + 1
        texts: list[str] = []
        for k, cell in enumerate(cells):
            if cell.data_type == "f":
                index = (cell.column or k + 1) - 1
                column = header[index] if index < len(header) and header[index] else get_column_letter(index + 1)
                problems.append(f"{file}: row {number}, column {column!r}: a formula ({str(cell.value)[:40]}): type the value itself (or paste it as a value)")
                texts.append("")
                continue
            texts.append(_cell_text(cell.value))
        if not header:
            header = [t.strip() for t in texts]
        rows.append((number, texts))
    if problems:
        raise TableError(problems)
    return rows
