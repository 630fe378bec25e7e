"""What the scheduled job makes: the daily brief (or a review) for the whole town, as the first
administrator sees it, kept for everyone whose areas cover the town."""

import datetime

from django.core.exceptions import ObjectDoesNotExist

from wangge.core.models import Area, User, UserRole
from wangge.core.roles import Role

from ..choices import BriefKind
from ..figures import Period
from .services import make_brief


def first_administrator() -> User:
    admin_ids = UserRole.objects.filter(role=Role.ADMIN).values("user_id")
    user = (User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
            or User.objects.filter(is_active=True, pk__in=admin_ids).order_by("pk").first())
    if user is None:
        raise ObjectDoesNotExist("no active administrator to make the brief for")
    return user


def town_area() -> Area | None:
    return Area.objects.filter(parent__isnull=True).order_by("code").first()


def scheduled_brief(day: datetime.date, kind: str = BriefKind.DAILY, start: datetime.date | None = None,
                    user: User | None = None):
    """For a named user the brief is theirs alone (their figures may cover less than the town)."""
    period = Period(start or day, day)
    if user is not None:
        return make_brief(user, kind, period)
    return make_brief(first_administrator(), kind, period, area=town_area())
