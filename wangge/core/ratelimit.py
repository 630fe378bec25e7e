"""A fixed-window request counter in Django's cache (shared by processes with Redis), for the public pages
that need no sign-in (the sampling sites, a requester's rating link, a resident's report): per client IP,
or per any other key (a phone number's keyed hash, a tracking number)."""

import time

from django.core.cache import cache

from .clientip import client_ip as core_client_ip

WINDOW_SECONDS = 60


def client_ip(request) -> str:
    return core_client_ip(request) or "unknown"


def allow(request, bucket: str, limit: int, window: int = WINDOW_SECONDS) -> tuple[bool, int]:
    """Count this request against `limit` per `window` seconds (0: no limit); (allowed, seconds until the
    window ends)."""
    return allow_key(bucket, client_ip(request), limit, window)


def allow_key(bucket: str, key: str, limit: int, window: int = WINDOW_SECONDS, count: bool = True) -> tuple[bool, int]:
    """The same counter for any key. `count=False` only asks whether the limit is reached yet."""
    now = int(time.time())
    retry_after = window - now % window
    if limit <= 0:
        return True, retry_after
    name = f"ratelimit:{bucket}:{key}:{now // window}"
    if not count:
        return (cache.get(name) or 0) < limit, retry_after
    cache.add(name, 0, timeout=window + 5)
    try:
        total = cache.incr(name)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(name, 1, timeout=window + 5)
        total = 1
    return total <= limit, retry_after
