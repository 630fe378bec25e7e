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
    """The contact ends, and so does its copy on the enterprise's work orders (a demand names the contact
    as its requester; the order keeps the enterprise as its requesting unit)."""
    from django.contrib.contenttypes.models import ContentType

    from wangge.workorders.models import WorkOrder

    ids = list(queryset.values_list("pk", flat=True))
    plain(WorkOrder.objects.filter(subject_type=ContentType.objects.get_for_model(Enterprise), subject_id__in=ids)
          .exclude(requester_name="")).update(requester_name="")
    return plain(Enterprise.objects.filter(pk__in=ids)).update(contact_name="", contact_phone="",
                                                                contact_phone_hash="", contact_phone_masked="")


register_kind(PersonalDataKind(
    code="enterprise_contacts", label=_l("Contact person and phone of an enterprise"),
    purpose=_l("Reach the enterprise about its demands, visits and inspections"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13 (3))"),
    expired=expired_contacts, anonymise=anonymise_contacts))
