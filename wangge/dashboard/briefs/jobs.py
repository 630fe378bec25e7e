"""A brief or review made by a worker (core/background.py): asked for on the brief page, by `wangge brief`
or by the evening's schedule. Its job page offers the two files once they are written."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core import background
from wangge.core.models import User

from ..figures import Period
from ..models import Brief
from .schedule import first_administrator, town_area
from .services import make_brief


def params(kind: str, period: Period, user: User | None = None, language: str = "zh-hans") -> dict:
    """`user`: a brief of that user's own figures made by a command (the page's is the asker's own)."""
    return {"kind": str(kind), "start": period.start.isoformat(), "end": period.end.isoformat(),
            "language": language, "user": user.pk if user else None}


def _run(job, report) -> dict:
    p = job.params
    period = Period(datetime.date.fromisoformat(p["start"]), datetime.date.fromisoformat(p["end"]))
    report.progress(0, 1)
    made_for = job.created_by or (User.objects.get(pk=p["user"]) if p.get("user") else None)
    if made_for is not None:
        brief = make_brief(made_for, p["kind"], period, language=p.get("language") or "zh-hans")
    else:  # the town's own brief, as the first administrator sees it
        try:
            admin = first_administrator()
        except ObjectDoesNotExist:
            raise background.UserFacingError(_("There is no active administrator to make the brief for.")) from None
        brief = make_brief(admin, p["kind"], period, area=town_area(), language=p.get("language") or "zh-hans")
    report.progress(1, 1)
    return {"brief": brief.pk, "docx": brief.docx_file, "pdf": brief.pdf_file}


def _links(job, user) -> list:
    brief = Brief.objects.visible_to(user).filter(pk=job.result.get("brief")).first()
    if brief is None:
        return []
    return [(_("Download Word"), reverse("dashboard:brief_download", args=[brief.pk, "docx"])),
            (_("Download PDF"), reverse("dashboard:brief_download", args=[brief.pk, "pdf"]))]


background.register("brief", _l("Brief"), _run, _links)
