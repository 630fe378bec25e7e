"""Personal data in public reports: the reporter's phone (docs/PRIVACY.md). It is kept while the report is
handled and a while after, to answer the reporter and take the rating; then it goes. The report stays
(category, place, text, its order): it is about a place, not a person."""

from django.utils.translation import gettext_lazy as _l

from wangge.core.privacy import PersonalDataKind, plain, register_kind
from wangge.workorders.choices import State

from .models import PublicReport


def expired_phones(cutoff):
    return PublicReport.objects.filter(order__state=State.CLOSED, order__closed_at__lt=cutoff).exclude(phone_hash="")


def anonymise_phones(queryset) -> int:
    return plain(queryset).update(phone="", phone_hash="", phone_masked="")


register_kind(PersonalDataKind(
    code="public_report_phones", label=_l("Phones of people who reported a problem"),
    purpose=_l("Let the reporter follow the report and rate its result; call back on the hotline's behalf"),
    legal_basis=_l("Given by the reporter for this purpose (PIPL Art. 13 (1)); duties of the town government "
                   "(Art. 13 (3))"),
    expired=expired_phones, anonymise=anonymise_phones))
