"""The assessment sheet (考核表) and the period report in the district's layout, as .xlsx. The sheet is
a ledger kind written by the ledgers' own writer (core/tabular/writing.export_workbook); the report is a
fixed form: title, period, the figures, a row per area, then the preparer, the approver and the version."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column
from wangge.core.tabular.kinds import LedgerKind
from wangge.core.tabular.writing import HEADER_FILL, HEADER_FONT, TITLE_FONT, _save, export_workbook, inert

from .indicators import INDICATORS


def _shown(value) -> str:
    return "—" if value is None else value


class AssessmentSheet(LedgerKind):
    name = "assessment-sheet"
    label = gettext_lazy("Assessment sheet")
    export_permission = Perm.VIEW_ASSESSMENT
    columns = [Column("rank", gettext_lazy("Rank"), width=8), Column("name", gettext_lazy("Name"), width=20),
               Column("score", gettext_lazy("Score"), width=10),
               *(Column(i.key, i.label, width=18) for i in INDICATORS)]

    def export_row(self, row, unmasked: bool = False) -> list:
        cells = []
        for indicator in INDICATORS:
            value = row.values.get(indicator.key)
            cells.append("—" if value is None or value.value is None else
                         f"{value.value}{indicator.unit} ({value.met}/{value.counted})")
        return [_shown(row.rank), row.name, _shown(row.score), *cells]


def assessment_workbook(rows, heading: str) -> bytes:
    body, _count = export_workbook(AssessmentSheet(), rows, heading=heading)
    return body


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_workbook(report) -> bytes:
    frozen = report.frozen
    with translation.override("zh-hans"):
        book = Workbook()
        sheet = book.active
        sheet.title = str(_("Period report"))[:31]
        sheet.append([inert(f"{report.area.name}{report.definition.name}")])
        sheet["A1"].font = TITLE_FONT
        sheet.append([_("Period"), f"{report.starts_on:%Y-%m-%d} — {report.ends_on:%Y-%m-%d}",
                      _("Version"), report.number])
        sheet.append([])
        sheet.append([_("No."), _("Figure"), _("Value"), _("Unit")])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for n, f in enumerate(frozen.get("figures", []), start=1):
            sheet.append([n, inert(f["label"]), _shown(f["value"]), f["unit"]])
        if frozen.get("indicators"):
            sheet.append([])
            sheet.append([_("Area"), *[f"{i['label']}（{i['unit']}）" for i in frozen["indicators"]]])
            for cell in sheet[sheet.max_row]:
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            for row in frozen.get("areas", []):
                sheet.append([inert(row["name"]), *[_shown(row["values"].get(i["key"])) for i in frozen["indicators"]]])
        sheet.append([])
        sheet.append([_("Prepared by"), inert(report.prepared_by.full_name or report.prepared_by.username),
                      _("Submitted"), _moment(report.submitted_at)])
        approver = report.approved_by
        sheet.append([_("Approved by"), inert(approver.full_name or approver.username) if approver else "",
                      _("Approved"), _moment(report.approved_at)])
        if report.previous_id:
            sheet.append([_("Corrects version"), report.previous.number, _("Reason"), inert(report.reason)])
        sheet.column_dimensions["B"].width = 40
        return _save(book)
