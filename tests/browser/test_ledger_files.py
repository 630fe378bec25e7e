"""Ledger files in and out through the browser (issue #22): a list exported and printed with its
filters (8), and the import error report as the user's own file, corrected in place (11)."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from wangge.community.models import Resident
from wangge.workorders.models import WorkOrder

from ..conftest import PASSWORD, id_number
from ..core.test_error_report import bad_rows, marked
from ..workorders.helpers import raise_order
from .conftest import sign_in

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"

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


def test_a_filtered_list_exported_and_printed(world, live_server, browser, tmp_path):
    for n in range(45):  # two printed pages of the cadre's assigned orders, and some they may not see
        order = raise_order(world, grid="linquan1" if n % 3 else "linquan2")
        WorkOrder.objects.filter(pk=order.pk).update(title=f"林泉路{n + 1}号 占道经营整改")
    for _n in range(5):
        raise_order(world, grid="beihong1")
    ours = WorkOrder.objects.filter(grid__parent=world.hoods["linquan"], state="assigned").count()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/workorders/")
    page.select_option("select[name=state]", "assigned")
    page.locator("select[name=state]").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_url("**state=assigned**")
    with page.expect_download() as info:
        page.click("[data-testid=export-xlsx]")
    with open(info.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
    assert sheet["A1"].value.startswith("仅含您的范围：林泉") and "状态：已派单" in sheet["A1"].value
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:M{ours + 2}"  # …, 满意度, 评价来源
    assert sheet.column_dimensions["B"].width == 30 and sheet.max_row == ours + 2
    assert {sheet.cell(row=r, column=6).value for r in range(3, ours + 3)} == {"林泉第1网格", "林泉第2网格"}

    with context.expect_page() as popup:
        page.click("[data-testid=print-list]")
    printed = popup.value
    printed.wait_for_selector("[data-testid=print-table]")
    assert printed.locator("[data-testid=print-table] tbody tr").count() == ours
    pdf = tmp_path / "list.pdf"
    printed.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    for number, sheet_page in enumerate(reader.pages, start=1):
        text = sheet_page.extract_text()
        assert "新泾镇" in text and "仅含您的范围：林泉" in text  # the town's header on every page
        # (pypdf reads 页 from the CJK font as the radical ⻚)
        assert re.search(rf"第 {number} \S / 共 {len(reader.pages)} \S", text), text[:80]
    if os.environ.get("WANGGE_DOCS_SHOTS") and shutil.which("pdftoppm"):  # refresh docs/img by hand
        subprocess.run([shutil.which("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(DOCS_IMG / "printed-list")], check=True)

    # On a phone the buttons are there and the printable page scrolls inside its table, not sideways.
    printed.set_viewport_size({"width": 375, "height": 800})
    assert printed.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.locator("[data-testid=print-list]").is_visible()
    context.close()
