"""Ledger files in and out through the browser (issue #22): the import error report is the user's own
file with the bad cells marked, corrected in place and imported again."""

import pytest
from openpyxl import load_workbook

from wangge.community.models import Resident

from ..conftest import PASSWORD, id_number
from ..core.test_error_report import bad_rows, marked
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_errors_fixed_in_the_downloaded_file(world, live_server, browser, tmp_path):
    rows = bad_rows()
    upload = tmp_path / "居民.csv"
    upload.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/ledgers/residents/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=import-errors]")
    with page.expect_download() as info:
        page.click("[data-testid=error-report]")
    download = info.value
    assert download.suggested_filename == "居民（待改正）.xlsx"  # a csv upload gets an .xlsx report
    with open(download.path(), "rb") as file:  # a temporary name without .xlsx
        book = load_workbook(file)
    sheet = book.active
    red = marked(sheet)
    assert set(red) == {"C2", "B3", "E3", "F4"} and all(red.values())
    report_url = page.get_attribute("[data-testid=error-report]", "href")

    # Correct the marked cells in the same file and import it again.
    sheet["C2"], sheet["B3"], sheet["E3"], sheet["F4"] = "13912340000", id_number("19450607", 71), "在住", "独居"
    fixed = tmp_path / "居民（待改正）.xlsx"
    book.save(fixed)
    page.goto(f"{live_server.url}/ledgers/residents/import/")
    page.set_input_files("input[type=file]", str(fixed))
    page.click("main button[type=submit]")
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=import-summary]")
    assert Resident.objects.filter(name__in=["甲", "乙", "丙"]).count() == 3
    context.close()

    # Anyone else, an administrator too, gets a 404 for the report.
    other = browser.new_context()
    page = other.new_page()
    sign_in(page, live_server, "admin", PASSWORD)
    assert page.goto(f"{live_server.url}{report_url}").status == 404
    other.close()
