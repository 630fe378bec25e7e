"""Is a field submission plausible? Computed when an inspection is recorded (page, API, field app's
offline queue alike), from the submission's own time and place: a phone that syncs a day late is
judged on when it says the visit happened, not on when it arrived. A flag never refuses anything —
nothing done offline may be lost — it marks the inspection for a reviewer to confirm or void
(services.review_flags). Thresholds are settings (docs/CONFIGURATION.md):

- far_from_premises: the phone's position is more than INSPECTION_RADIUS_M from the subject's own
  coordinates (both must be known);
- before_campaign: the campaign's inspection is dated before the campaign's first day;
- in_future: dated more than INSPECTION_FUTURE_MINUTES after the moment it reached the server;
- implausible_travel: the same submitter's nearest inspection in time (either side, within
  INSPECTION_TRAVEL_MINUTES) is more than the radius away and reaching it would need more than
  INSPECTION_MAX_SPEED_KMH.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.coords import distance_m
from wangge.core.display import distance

from .choices import FlagCode, FlagReview


def _flag(code: str, **params) -> dict:
    return {"code": code, "params": params}


def check(actor, *, subject, campaign, inspected_at: datetime.datetime, latitude, longitude, accuracy_m=None,
          now: datetime.datetime | None = None) -> list[dict]:
    """The flags of a submission about to be recorded: [{code, params}], empty when plausible."""
    from .models import Inspection

    now = now or timezone.now()
    radius = settings.INSPECTION_RADIUS_M
    flags = []
    lat, lon = getattr(subject, "latitude", None), getattr(subject, "longitude", None)
    if None not in (latitude, longitude, lat, lon):
        metres = distance_m(latitude, longitude, lat, lon)
        if metres > radius:
            # With the phone's own error estimate, when it gave one: the reviewer sees whether it could tell.
            extra = {"accuracy_m": accuracy_m} if accuracy_m is not None else {}
            flags.append(_flag(FlagCode.FAR_FROM_PREMISES, distance_m=round(metres), radius_m=radius, **extra))
    if campaign is not None and timezone.localtime(inspected_at).date() < campaign.starts_on:
        flags.append(_flag(FlagCode.BEFORE_CAMPAIGN, starts_on=campaign.starts_on.isoformat()))
    if inspected_at > now + datetime.timedelta(minutes=settings.INSPECTION_FUTURE_MINUTES):
        flags.append(_flag(FlagCode.IN_FUTURE, received_at=now.isoformat()))
    if None not in (latitude, longitude) and actor is not None:
        window = datetime.timedelta(minutes=settings.INSPECTION_TRAVEL_MINUTES)
        near = (Inspection.objects.filter(submitted_by=actor, latitude__isnull=False, longitude__isnull=False,
                                          inspected_at__range=(inspected_at - window, inspected_at + window))
                .exclude(flag_review=FlagReview.VOIDED).values_list("pk", "inspected_at", "latitude", "longitude"))
        worst = None
        for pk, at, other_lat, other_lon in near:
            metres = distance_m(latitude, longitude, other_lat, other_lon)
            seconds = max(abs((inspected_at - at).total_seconds()), 1.0)
            speed = metres / 1000 / (seconds / 3600)
            if metres > radius and speed > settings.INSPECTION_MAX_SPEED_KMH and (worst is None or speed > worst[0]):
                worst = (speed, pk, metres, seconds)
        if worst is not None:
            speed, pk, metres, seconds = worst
            flags.append(_flag(FlagCode.IMPLAUSIBLE_TRAVEL, other=pk, distance_m=round(metres),
                               minutes=round(seconds / 60), speed_kmh=round(speed)))
    return flags


def distance_to(subject, latitude, longitude) -> dict:
    """The phone's distance to the subject's own coordinates, for the field form before it is sent: the
    same measure and radius as the far_from_premises flag."""
    lat, lon = getattr(subject, "latitude", None), getattr(subject, "longitude", None)
    if lat is None or lon is None:
        return {"metres": None, "far": False, "text": _("The premises has no coordinates: no distance.")}
    metres = round(distance_m(latitude, longitude, lat, lon))
    far = metres > settings.INSPECTION_RADIUS_M
    text = _("About %(distance)s from the premises.") % {"distance": distance(metres)}
    if far:
        text += " " + _("More than %(radius)s: the inspection will be flagged for review.") % {
            "radius": distance(settings.INSPECTION_RADIUS_M)}
    return {"metres": metres, "far": far, "text": text}


def explain(flag: dict) -> str:
    """One flag in the reader's language."""
    p, code = flag.get("params", {}), flag.get("code")
    if code == FlagCode.FAR_FROM_PREMISES:
        text = _("Located %(distance)s from the premises (allowed: %(radius)s).") % {
            "distance": distance(p["distance_m"]), "radius": distance(p["radius_m"])}
        if p.get("accuracy_m") is not None:
            text += " " + _("The phone gave its accuracy as ±%(accuracy)s.") % {"accuracy": distance(p["accuracy_m"])}
        return text
    if code == FlagCode.BEFORE_CAMPAIGN:
        return _("Dated before the campaign began (%(date)s).") % {"date": p["starts_on"]}
    if code == FlagCode.IN_FUTURE:
        received = timezone.localtime(datetime.datetime.fromisoformat(p["received_at"]))
        return _("Dated later than it was received (%(when)s).") % {"when": received.strftime("%Y-%m-%d %H:%M")}
    if code == FlagCode.IMPLAUSIBLE_TRAVEL:
        return _("%(distance)s from the same inspector's inspection #%(other)s, %(minutes)s minutes apart "
                 "(about %(speed)s km/h).") % {"distance": distance(p["distance_m"]), "other": p["other"],
                                               "minutes": p["minutes"], "speed": p["speed_kmh"]}
    return str(code)
