"""Reading a list export the way a person does: the first line says whose list it is (the scope line),
the second holds the column headings, the rows follow."""

from io import BytesIO

from openpyxl import load_workbook


def exported_rows(content: bytes) -> list[tuple]:
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    scope = [cell for cell in rows[0] if cell not in (None, "")]
    assert len(scope) == 1, f"the first line is one scope sentence, not {rows[0]!r}"
    return rows[2:]
