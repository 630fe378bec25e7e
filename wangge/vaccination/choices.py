"""Choices of the vaccination drive (docs/VACCINATION.md); labels translated in the .po catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VaccineType(models.TextChoices):
    """The three kinds used in China in 2022 and the doses of their primary series (DOMAIN.md)."""

    INACTIVATED = "inactivated", _("inactivated (2 doses)")
    ADENOVIRUS = "adenovirus", _("adenovirus vector (1 dose)")
    RECOMBINANT = "recombinant", _("recombinant protein (3 doses)")


PRIMARY_DOSES = {VaccineType.INACTIVATED: 2, VaccineType.ADENOVIRUS: 1, VaccineType.RECOMBINANT: 3}
MAX_DOSE_NUMBER = 5  # a three-dose primary series and two boosters


class DoseSource(models.TextChoices):
    ENTERED = "entered", _("entered")
    IMPORTED = "imported", _("imported")
    GIVEN_HERE = "given_here", _("given at our point")


class Status(models.TextChoices):
    """Derived from the doses, never typed (services/status.py)."""

    UNVACCINATED = "unvaccinated", _("unvaccinated")
    FIRST_DOSE = "first_dose", _("started, series incomplete")
    FULL = "full", _("fully vaccinated")
    BOOSTED = "boosted", _("boosted")


NOT_FULL = (Status.UNVACCINATED, Status.FIRST_DOSE)


class Reason(models.TextChoices):
    PERMANENT = "permanent", _("permanent contraindication")
    TEMPORARY = "temporary", _("temporary contraindication")
    HESITANT = "hesitant", _("hesitant")
    REFUSES = "refuses", _("refuses")
    BEDRIDDEN = "bedridden", _("bedridden or cannot go out")
    AWAY = "away", _("away from the town")
    UNREACHABLE = "unreachable", _("cannot be reached")
    GONE = "gone", _("moved or deceased")


HEALTH_REASONS = (Reason.PERMANENT, Reason.TEMPORARY)


class Contraindication(models.TextChoices):
    ALLERGY = "allergy", _("allergy to a component or an earlier dose")
    SEVERE_ALLERGY = "severe_allergy", _("earlier severe allergic reaction")
    NEUROLOGICAL = "neurological", _("uncontrolled epilepsy or serious neurological disease")
    ACUTE = "acute", _("fever, acute illness or uncontrolled chronic disease")
    RECENT_INFECTION = "recent_infection", _("recently infected")
    OTHER = "other", _("other")


class Willingness(models.TextChoices):
    WILLING = "willing", _("willing")
    UNDECIDED = "undecided", _("undecided")
    UNWILLING = "unwilling", _("unwilling")


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("home visit")
    PHONE = "phone", _("phone call")
    DOCTOR = "doctor", _("doctor's consultation")


class ContactResult(models.TextChoices):
    AGREED = "agreed", _("agreed")
    BOOKED = "booked", _("booked")
    REFUSED = "refused", _("refused")
    LATER = "later", _("later")


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("booked")
    DONE = "done", _("vaccinated")
    CANCELLED = "cancelled", _("cancelled")


class Severity(models.TextChoices):
    NONE = "", _("none")
    MILD = "mild", _("mild")
    MODERATE = "moderate", _("moderate")
    SEVERE = "severe", _("severe")


class FollowUpResult(models.TextChoices):
    WELL = "well", _("well")
    MINOR = "minor", _("minor discomfort, resolved")
    REFERRED = "referred", _("referred to a doctor")
    UNREACHABLE = "unreachable", _("could not be reached")


class AgeBand(models.TextChoices):
    B60 = "60-69", "60–69"
    B70 = "70-79", "70–79"
    B80 = "80+", "80+"
