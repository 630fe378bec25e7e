"""The residents ledger as xlsx: masked, always (minimum necessary)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

COLUMNS = ("name", "id_number_masked", "sex", "birth_date", "phone_masked", "grid", "address", "status")


def residents_xlsx(residents) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Residents"))
    sheet.append([_("name"), _("ID number"), _("sex"), _("birth date"), _("phone"), _("grid"),
                  _("address"), _("status")])
    for r in residents.select_related("grid").only(
            "name", "id_number_masked", "sex", "birth_date", "phone_masked", "grid__name", "address", "status"):
        sheet.append([r.name, r.id_number_masked, r.get_sex_display(), r.birth_date, r.phone_masked,
                      r.grid.name, r.address, r.get_status_display()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
