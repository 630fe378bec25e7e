"""A fixed-window request counter per client IP in Django's cache (shared by processes with Redis), for
the public pages that need no sign-in (the sampling sites, a requester's rating link)."""

import time

from django.core.cache import cache

from .clientip import client_ip as core_client_ip

WINDOW_SECONDS = 60


def client_ip(request) -> str:
    return core_client_ip(request) or "unknown"


def allow(request, bucket: str, limit: int) -> tuple[bool, int]:
    """Count this request against `limit` per minute (0: no limit); (allowed, seconds until the window ends)."""
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
