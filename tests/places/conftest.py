"""Helpers of the premises import tests: a direct SQL read (the oracle) and a count of the rows the
premises kind cleaned."""

import io

import pytest
from django.db import connection
from openpyxl import load_workbook

from wangge.core.tabular.kinds import get_kind
from wangge.core.tabular.writing import template_workbook


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


@pytest.fixture
def cleaned(monkeypatch):
    """The names of the rows the premises kind cleaned, in order (the real clean runs)."""
    kind = get_kind("premises")
    real = type(kind).clean
    calls = []

    def counting(self, actor, row, context):
        calls.append(row.get("name"))
        return real(self, actor, row, context)

    monkeypatch.setattr(type(kind), "clean", counting)
    return calls


def template_with_a_row():
    """The premises template (its example row kept) with one row of the user's own under it: a workbook."""
    book = load_workbook(io.BytesIO(template_workbook(get_kind("premises"))))
    book.worksheets[0].append(["阿强烧烤", "餐饮", "仙霞西路31号", "", "是", "", "", "", "", "13812340000", "18:00",
                               "01:00", "已张贴", "", "4", "", "", "", ""])
    return book
