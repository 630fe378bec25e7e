from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperKind(models.TextChoices):
    RECORD = "record", _("On-site inspection record")
    RECTIFICATION = "rectification", _("Rectification notice")
    SUSPENSION = "suspension", _("Suspension decision")
    SHUTDOWN = "shutdown", _("Shutdown decision")
    REINSPECTION = "reinspection", _("Re-inspection opinion")


# The short code of each kind in a paper's number (长新市监责改〔2022〕15号); PAPERS_KIND_CODES overrides.
KIND_CODES = {
    PaperKind.RECORD: "检录",
    PaperKind.RECTIFICATION: "责改",
    PaperKind.SUSPENSION: "责停",
    PaperKind.SHUTDOWN: "关停",
    PaperKind.REINSPECTION: "复查",
}


class PaperStatus(models.TextChoices):
    AWAITING = "awaiting", _("awaiting the party's signature")
    ISSUED = "issued", _("issued")
    VOID = "void", _("void")
