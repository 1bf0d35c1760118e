"""Results files made in the tests (counts tables and journal exports)."""

from __future__ import annotations

import io

COUNTS_HEADER = ["Класс", "Предмет", "Учитель", "Период", "5", "4", "3", "2", "н/а"]


def csv_bytes(rows, header=COUNTS_HEADER, encoding="utf-8", delimiter=";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, title=None, merged_header=False) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    if merged_header:
        top = 3 if title else 1
        sheet.append(
            ["Класс", "Предмет", "Учитель", "Период", "Количество отметок", "", "", "", ""]
        )
        sheet.append(["", "", "", "", "«5»", "«4»", "«3»", "«2»", "н/а"])
        for col in "ABCD":
            sheet.merge_cells(f"{col}{top}:{col}{top + 1}")
        sheet.merge_cells(f"E{top}:I{top}")
    else:
        sheet.append(COUNTS_HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["5А", "Математика", "Сидорова Анна Петровна", "1 четверть", 5, 10, 8, 2, 0],
    ["5А", "Русский язык", "Петров И.И.", "1 четверть", 4, 12, 8, 0, 1],
    ["5Б", "Математика", "Сидорова А.П.", "1 четверть", 6, 9, 9, 1, 0],
]
