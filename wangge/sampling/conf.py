"""Sampling settings: Django settings override the environment, which overrides the defaults here."""

import os

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def public_rate_limit() -> int:
    """Requests per client IP per minute to the public page and endpoint (0 turns the limit off)."""
    return _setting("SAMPLING_PUBLIC_RATE_LIMIT", 60)


def wait_stale_minutes() -> int:
    """A waiting time older than this is shown as unknown rather than as the current queue."""
    return _setting("SAMPLING_WAIT_STALE_MINUTES", 120)

