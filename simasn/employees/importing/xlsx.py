"""A lean streaming reader for the first sheet of an .xlsx file: values only, row by row.

openpyxl's read-only mode spent ~80% of a 10,000-row import building a rich object per cell (and scanned the
whole sheet for its size when the writer left out <dimension>); this reader walks the sheet XML once with
the C parser and keeps only what the importer needs: text, numbers, booleans and dates (by cell style).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element, fromstring, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

PREFERRED_SHEET = "Pegawai"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"([A-Z]+)(\d+)")


class XlsxFormatError(ValueError):
    """The package is a zip but not a readable workbook."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _parse(archive: zipfile.ZipFile, name: str):
    with archive.open(name) as fh:
        return [elem for _, elem in iterparse(fh, events=("end",))]


def _sheet_path(archive: zipfile.ZipFile) -> tuple[str, bool]:
    sheets: list[tuple[str, str]] = []
    date1904 = False
    for elem in _parse(archive, "xl/workbook.xml"):
        tag = _local(elem.tag)
        if tag == "sheet":
            rid = next((v for k, v in elem.attrib.items() if _local(k) == "id" and k.startswith("{")), None)
            sheets.append((elem.get("name", ""), rid or ""))
        elif tag == "workbookPr":
            date1904 = elem.get("date1904", "0").lower() in ("1", "true")
    if not sheets:
        raise XlsxFormatError("workbook has no sheets")
    targets = {}
    for elem in _parse(archive, "xl/_rels/workbook.xml.rels"):
        if _local(elem.tag) == "Relationship":
            target = elem.get("Target", "")
            targets[elem.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    name, rid = next((s for s in sheets if s[0] == PREFERRED_SHEET), sheets[0])
    if rid not in targets:
        raise XlsxFormatError(f"sheet {name!r} has no part")
    return targets[rid], date1904


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    skip = 0
    with archive.open("xl/sharedStrings.xml") as fh:
        for event, elem in iterparse(fh, events=("start", "end")):
            tag = _local(elem.tag)
            if tag == "rPh":  # phonetic hints (Japanese) are not part of the text
                skip += 1 if event == "start" else -1
            elif event == "end" and tag == "t" and not skip:
                parts.append(elem.text or "")
            elif event == "end" and tag == "si":
                strings.append("".join(parts))
                parts = []
                elem.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    with archive.open("xl/styles.xml") as fh:
        for event, elem in iterparse(fh, events=("start", "end")):
            tag = _local(elem.tag)
            if tag == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "start" and tag == "numFmt":
                custom[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "")
            elif event == "start" and tag == "xf" and in_cell_xfs:
                xfs.append(int(elem.get("numFmtId", "0")))
    dates = set()
    for index, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
        if code and is_date_format(code):
            dates.add(index)
    return frozenset(dates)


def _number(text: str) -> int | float:
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return int(text)


_ROOT_OPEN = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_SHEETDATA_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>")
_SHEETDATA_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData>")
_ROW_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")
_BLOCK = 1 << 20


def _last_row_end(buffer: bytes) -> int:
    """Offset just past the last </row> in the buffer, or -1. ('>' may appear unescaped in text, so each
    candidate is checked back to its '<'.)"""
    end = len(buffer)
    while (idx := buffer.rfind(b"row>", 0, end)) >= 0:
        lt = buffer.rfind(b"<", 0, idx)
        if lt >= 0 and _ROW_CLOSE.fullmatch(buffer, lt, idx + 4):
            return idx + 4
        end = idx
    return -1


def _row_batches(fh) -> Iterator[Element]:
    """Parse the rows of <sheetData> a block at a time, each block wholly in C (ElementTree.fromstring).

    Iterating parser events cost a Python round trip per XML element (~100 per row); here Python only sees
    rows and cells. A block is cut after its last complete row, so memory stays at about one block."""
    buffer = b""
    while not (match := _SHEETDATA_OPEN.search(buffer)):
        chunk = fh.read(_BLOCK)
        if not chunk:
            return
        buffer += chunk
    root = _ROOT_OPEN.search(buffer, 0, match.start())
    if root is None:
        raise XlsxFormatError("sheet has no worksheet element")
    if match.group(1):  # <sheetData/>: an empty sheet
        return
    wrap_open = root.group(0)
    wrap_close = b"</" + (root.group(1) or b"") + b"worksheet>"
    buffer = buffer[match.end():]
    finished = False
    while not finished:
        chunk = fh.read(_BLOCK)
        buffer += chunk
        end = _SHEETDATA_CLOSE.search(buffer)
        if end is not None:
            body, finished = buffer[:end.start()], True
        elif not chunk:
            raise XlsxFormatError("sheet data is cut short")
        else:
            cut = _last_row_end(buffer)
            if cut < 0:
                continue
            body, buffer = buffer[:cut], buffer[cut:]
        if body.strip():
            yield fromstring(wrap_open + body + wrap_close)


def iter_rows(archive: zipfile.ZipFile) -> Iterator[tuple[int, list]]:
    """(row number, cell values) for every non-empty row of the sheet named 'Pegawai', else the first."""
    path, date1904 = _sheet_path(archive)
    shared = _shared_strings(archive)
    dates = _date_styles(archive)
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    row_number = 0
    columns: dict[str, int] = {}  # "AB" → 27, computed once per column letter
    with archive.open(path) as fh:
        for block in _row_batches(fh):
            for row in block:
                if not row.tag.endswith("row"):
                    continue
                ns = row.tag[:-3]
                v_tag, is_tag = ns + "v", ns + "is"
                row_number = int(row.get("r") or row_number + 1)
                values: list = []
                col = -1
                for cell in row:
                    get = cell.get
                    ref = get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        col = columns.get(letters)
                        if col is None:
                            col = columns[letters] = _column_index(letters)
                    else:
                        col += 1
                    cell_type = get("t")
                    if cell_type == "inlineStr":
                        node = cell.find(is_tag)
                        value = "".join(node.itertext()) if node is not None else None
                    else:
                        v = cell.find(v_tag)
                        if v is None or v.text is None:
                            continue
                        value = _cell_value(cell_type, get("s"), v.text, shared, dates, epoch)
                    if value is not None:
                        if col >= len(values):
                            values.extend([None] * (col + 1 - len(values)))
                        values[col] = value
                if values:
                    yield row_number, values


def _cell_value(cell_type, style, text, shared, dates, epoch):
    if cell_type == "s":
        return shared[int(text)]
    if cell_type in ("str", "e"):
        return text
    if cell_type == "b":
        return text.strip() in ("1", "true")
    if cell_type == "d":
        return dt.datetime.fromisoformat(text.rstrip("Z"))
    number = _number(text)
    if style is not None and int(style) in dates:
        return from_excel(number, epoch)
    return number
