"""Login throttling: too many failures for one account within the window lock it for a while."""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    recent = LoginFailure.objects.filter(username=username.lower(), at__gte=_window_start())
    return recent.count() >= settings.LOGIN_MAX_FAILURES


def record_failure(username: str, ip: str | None) -> None:
    username = username.lower()[:150]
    # Failures older than the window no longer count: drop them so the table stays small.
    LoginFailure.objects.filter(username=username, at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=username, ip=ip)


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
