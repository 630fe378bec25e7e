"""Personal data in inspections: photos show people, faces and number plates (docs/PRIVACY.md). The
inspection stays with its answers, outcome and findings; the photo files and their rows go."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _l

from wangge.core.privacy import PersonalDataKind, register_kind

from .models import Photo


def expired_photos(cutoff):
    return Photo.objects.filter(inspection__inspected_at__lt=cutoff)


def delete_photos(queryset) -> int:
    names = [name for pair in queryset.values_list("file", "thumbnail") for name in pair if name]
    count = queryset.delete()[0]

    def remove_files():  # only once the rows are gone for good
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    return count


register_kind(PersonalDataKind(
    code="inspection_photos", label=_l("Inspection photos"),
    purpose=_l("Prove a finding and its rectification"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13 (3))"),
    expired=expired_photos, anonymise=delete_photos))
