"""Settings of public reports (docs/PUBLIC_REPORTS.md): Django settings override the environment, which
overrides the defaults here."""

import os

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def per_ip_per_hour() -> int:
    """Reports sent from one client address per hour (mobile carriers share addresses: generous)."""
    return _setting("PUBLIC_REPORT_PER_IP_HOUR", 20)


def per_phone_per_day() -> int:
    """Reports with the same phone number per day."""
    return _setting("PUBLIC_REPORT_PER_PHONE_DAY", 5)


def lookups_per_minute() -> int:
    """Status look-ups (and page views) from one client address per minute."""
    return _setting("PUBLIC_REPORT_LOOKUPS_PER_MINUTE", 20)


def wrong_digits_per_hour() -> int:
    """Wrong phone digits given for one tracking number per hour before it is locked for the hour."""
    return _setting("PUBLIC_REPORT_WRONG_DIGITS_PER_HOUR", 5)


def duplicate_hours() -> int:
    """Reports of the same place and category within this many hours join the first one's open order."""
    return _setting("PUBLIC_REPORT_DUPLICATE_HOURS", 72)


def duplicate_metres() -> int:
    """Two reports with positions this close (metres) are the same place."""
    return _setting("PUBLIC_REPORT_DUPLICATE_METRES", 100)


def captcha_minutes() -> int:
    """How long a captcha may be answered after the page was shown."""
    return _setting("PUBLIC_REPORT_CAPTCHA_MINUTES", 30)
