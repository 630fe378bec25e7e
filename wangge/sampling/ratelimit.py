"""The public sampling page's rate limit: core/ratelimit.py with SAMPLING_PUBLIC_RATE_LIMIT."""

from wangge.core import ratelimit
from wangge.core.ratelimit import WINDOW_SECONDS, client_ip  # noqa: F401  (the names this module always had)

from . import conf


def allow(request, bucket: str) -> tuple[bool, int]:
    """Count this request; (allowed, seconds until the window ends)."""
    return ratelimit.allow(request, bucket, conf.public_rate_limit())
