"""PCR sampling sites: open now, paused, and throughput, from `sampling.figures` and `sampling.hours`."""

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.sampling.choices import SiteStatus
from wangge.sampling.figures import day_and_week, latest_date_with_figures
from wangge.sampling.hours import is_open
from wangge.sampling.models import SamplingSite

from ..figures import Figure, Section, cutoff
from ..links import list_url


def provide(user, period):
    if not user.can(Perm.VIEW_SAMPLING):
        return None
    sites = SamplingSite.objects.visible_to(user).prefetch_related("hours")
    moment = cutoff(period)
    if moment is not None:
        sites = sites.filter(created_at__lt=moment)
    sites = list(sites)
    ids = [s.pk for s in sites]
    now = timezone.now()
    today = period.end if moment is not None else timezone.localdate()
    day = latest_date_with_figures(ids, today) or today  # the staff page's own choice of day
    by_site, week = day_and_week(ids, day)
    overview = list_url("sampling:overview", date=day.isoformat())
    status = [Figure("paused", _("Paused"), sum(s.status == SiteStatus.PAUSED for s in sites), overview)]
    if moment is None:  # "open now" means nothing at a past end; a brief gives the paused sites as they are now
        status.insert(0, Figure("open_now", _("Open now"), sum(is_open(s.periods(), s.status, now) for s in sites),
                                overview))
    section = Section("sampling", _("Sampling sites"), [
        Figure("sites", _("Sampling sites"), len(sites), overview),
        *status,
        Figure("samples_day", _("Samples on %(date)s") % {"date": day.strftime("%m-%d")},
               sum(d.samples for d in by_site.values()), overview),
        Figure("samples_week", _("Samples in the 7 days to %(date)s") % {"date": day.strftime("%m-%d")},
               sum(week.totals), overview),
    ])
    if moment is not None:
        section.note = _("Paused sites are counted as they are now (no history of a site's status is kept).")
    return section
