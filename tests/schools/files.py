"""Spreadsheets built in memory, as schools would send them."""

import csv
import io

from openpyxl import Workbook


def xlsx(rows: list[list], *, title_rows: list[list] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in [*title_rows, *rows]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode(encoding)
