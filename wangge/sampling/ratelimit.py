"""A fixed-window request counter per client IP in Django's cache (shared by processes with Redis)."""

import time

from django.core.cache import cache

from wangge.core.clientip import client_ip as core_client_ip

from . import conf

WINDOW_SECONDS = 60


def client_ip(request) -> str:
    return core_client_ip(request) or "unknown"


def allow(request, bucket: str) -> tuple[bool, int]:
    """Count this request; (allowed, seconds until the window ends)."""
    limit = conf.public_rate_limit()
    now = int(time.time())
    retry_after = WINDOW_SECONDS - now % WINDOW_SECONDS
    if limit <= 0:
        return True, retry_after
    key = f"ratelimit:{bucket}:{client_ip(request)}:{now // WINDOW_SECONDS}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    return count <= limit, retry_after
