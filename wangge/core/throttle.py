"""One lockout for every way in: the sign-in page, the Django admin's sign-in and API tokens.

Failures are counted in the database (shared by every worker) per account and per client address
(core/clientip.py). Too many for one account within LOGIN_LOCKOUT_MINUTES lock that account; too many
from one address lock that address (LOGIN_MAX_FAILURES_PER_ADDRESS, higher: a town hall signs in from
one address). While locked, even the right password or a valid token is refused. Passwords are checked
in `backends.ThrottledModelBackend`, which every sign-in form goes through; tokens in `api/auth.py`.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import LoginFailure

TOKEN_USERNAME = "(api token)"  # noqa: S105  (the username recorded for a bad API token: it names no account)


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def account_locked(username: str) -> bool:
    recent = LoginFailure.objects.filter(username=username.lower()[:150], at__gte=_window_start())
    return bool(username) and recent.count() >= settings.LOGIN_MAX_FAILURES


def address_locked(ip: str | None) -> bool:
    if not ip:
        return False
    return locks_address(LoginFailure.objects.filter(ip=ip, at__gte=_window_start()).count())


def address_failures(ip: str | None):
    """The count `address_locked` weighs, as an expression: annotated on the query that reads the
    credentials, the lock costs no statement of its own (api/auth.py)."""
    if not ip:
        return Value(0)
    recent = (LoginFailure.objects.filter(ip=ip, at__gte=_window_start()).order_by().values("ip")
              .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(recent), 0)


def locks_address(failures: int) -> bool:
    return failures >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS


def is_locked(username: str, ip: str | None = None) -> bool:
    return account_locked(username) or address_locked(ip)


def record_failure(username: str, ip: str | None) -> None:
    username = username.lower()[:150]
    # Failures older than the window no longer count: drop them so the table stays small.
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=username, ip=ip)


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
