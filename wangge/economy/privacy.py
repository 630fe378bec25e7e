"""Personal data in the economy module: an enterprise's contact person and phone (docs/PRIVACY.md).
They end a while after the enterprise moved out or was deregistered; the enterprise stays."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _l

from wangge.core.privacy import PersonalDataKind, plain, register_kind

from .choices import EnterpriseStatus
from .models import Enterprise


def expired_contacts(cutoff):
    # updated_at: an enterprise that has left is not edited any more, so its last change is its leaving.
    return Enterprise.objects.filter(status__in=[EnterpriseStatus.MOVED_OUT, EnterpriseStatus.DEREGISTERED],
                                     updated_at__lt=cutoff).filter(~Q(contact_name="") | ~Q(contact_phone_hash=""))


def anonymise_contacts(queryset) -> int:
    return plain(queryset).update(contact_name="", contact_phone="", contact_phone_hash="", contact_phone_masked="")


register_kind(PersonalDataKind(
    code="enterprise_contacts", label=_l("Contact person and phone of an enterprise"),
    purpose=_l("Reach the enterprise about its demands, visits and inspections"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13 (3))"),
    expired=expired_contacts, anonymise=anonymise_contacts))
