"""#22.6: a ledger's own template imports unchanged. Its example row names grids, compounds and
doctors a town need not have, so the importer skips a row that is exactly the example (documented
in LEDGERS.md); the examples themselves are well-formed (an ID number with a right check character
and an obviously made-up birth date). Every kind that can be imported, as a person who may import it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wangge.core.models import User
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import all_kinds
from wangge.core.validators import validate_id_number

IMPORTABLE = [k for k in all_kinds() if k.import_permission]


def importer_of(kind):
    for user in User.objects.order_by("pk"):
        if kind.allows(user, kind.import_permission) and user.username != "admin":
            return user
    return User.objects.get(username="admin")


@pytest.mark.parametrize("kind", IMPORTABLE, ids=[k.name for k in IMPORTABLE])
def test_a_template_imports_unchanged(world, client, kind):
    user = importer_of(kind)
    client.force_login(user)
    response = client.get(reverse("ledgers:template", kwargs={"kind": kind.name}))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 2  # the headers and the example row
    result = run_import(kind, data, f"{kind.name}.xlsx", user, dry_run=True)
    assert result.file_error == "" and result.errors == [], (user.username, result.file_error, result.errors)
    assert result.skipped_example == 1 and result.created == result.updated == 0


def test_example_id_numbers_are_valid_and_made_up():
    for kind in IMPORTABLE:
        for column in kind.columns:
            if column.key == "id_number" and column.example:
                assert validate_id_number(column.example) == column.example
                assert column.example[6:14] == "19500101", kind.name  # 1 January 1950: plainly an example


def test_a_changed_example_row_is_the_users_own_and_is_checked(world):
    kind = next(k for k in IMPORTABLE if k.name == "residents")
    user = importer_of(kind)
    from wangge.core.tabular.writing import template_workbook

    book = load_workbook(io.BytesIO(template_workbook(kind)))
    sheet = book.active
    sheet["A2"] = "张某某"  # one cell changed: no longer the example; its grid etc. are checked
    out = io.BytesIO()
    book.save(out)
    result = run_import(kind, out.getvalue(), "residents.xlsx", user, dry_run=True)
    assert result.skipped_example == 0 and result.total == 1
    assert result.errors  # the example's grid and compound are not in this town
